import ConfideCore
import ConfideNet
import Crypto
import Foundation
import SwiftASN1
import X509

/// Checks what the aggregator relays for other collaborators in secure aggregation.
///
/// A relayed certificate must chain to the federation's CA (RFC 5280, the same CA file the TLS links
/// trust) and name exactly the collaborator it is relayed for: a single common name equal to it, no
/// other role among its DNS names (``NetRole/of(certificate:)``), and a valid collaborator name, so
/// that neither the aggregator's own certificate nor another collaborator's passes for it. A
/// signature must then verify with the certificate's P-256 key.
public struct FLPeerVerifier: Sendable {
    /// The largest relayed certificate accepted (DER bytes); federation certificates are under 1 KiB.
    public static let maximumCertificateBytes = 16 << 10
    /// The largest signature accepted (an ECDSA P-256 DER signature is at most 72 bytes).
    public static let maximumSignatureBytes = 128

    /// Identifies the federation in signed transcripts: SHA-256 of its CA certificates (DER, in file order).
    public let federation: [UInt8]
    private let roots: [Certificate]

    /// Reads the federation's CA certificate(s) from a PEM file.
    /// - Throws: `.io` when the file cannot be read; `.invalidValue` when it holds no certificate.
    public init(caFile: String) throws {
        guard let text = try? String(contentsOfFile: caFile, encoding: .utf8) else { throw ConfideError(.io, "cannot read the CA certificate file \(caFile)") }
        let documents: [PEMDocument]
        let roots: [Certificate]
        do {
            documents = try PEMDocument.parseMultiple(pemString: text).filter { $0.discriminator == "CERTIFICATE" }
            roots = try documents.map { try Certificate(derEncoded: $0.derBytes) }
        } catch { throw ConfideError(.invalidValue, "the CA file \(caFile) is not PEM X.509 certificates") }
        guard !roots.isEmpty else { throw ConfideError(.invalidValue, "the CA file \(caFile) holds no certificate") }
        var hasher = SHA256()
        for document in documents { hasher.update(data: document.derBytes) }
        federation = Array(hasher.finalize())
        self.roots = roots
    }

    /// The P-256 key of a certificate relayed for `collaborator`.
    /// - Parameter context: names where the certificate was relayed (for example "round 3"), for messages.
    /// - Throws: `.authenticationFailed` naming `collaborator` when the certificate is too long or does
    ///   not parse, names anyone else, does not chain to the federation's CA, or holds no P-256 key.
    func key(certificate der: [UInt8], for collaborator: String, context: String) async throws -> P256.Signing.PublicKey {
        let who = NetRole.printable(collaborator)
        guard FLRegistry.isValidName(collaborator) else {
            throw ConfideError(.authenticationFailed, "\(context): '\(who)' is not a valid collaborator name")
        }
        guard der.count <= Self.maximumCertificateBytes else {
            throw ConfideError(.authenticationFailed, "\(context): the certificate relayed for '\(who)' has \(der.count) bytes, more than \(Self.maximumCertificateBytes)")
        }
        let certificate: Certificate
        do { certificate = try Certificate(derEncoded: der) } catch {
            throw ConfideError(.authenticationFailed, "\(context): the certificate relayed for '\(who)' cannot be parsed")
        }
        let role: NetRole
        do { role = try NetRole.of(certificate: certificate) } catch let error as ConfideError {
            throw ConfideError(.authenticationFailed, "\(context): the certificate relayed for '\(who)' does not name one collaborator: \(error.message)")
        }
        guard role == .named(collaborator) else {
            throw ConfideError(.authenticationFailed, "\(context): the certificate relayed for '\(who)' names '\(NetRole.printable(role.name))', not '\(who)'")
        }
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) { RFC5280Policy() }
        guard case .validCertificate = await verifier.validate(leaf: certificate, intermediates: CertificateStore()) else {
            throw ConfideError(.authenticationFailed, "\(context): the certificate relayed for '\(who)' does not chain to the federation's CA (or has expired)")
        }
        guard let key = P256.Signing.PublicKey(certificate.publicKey) else {
            throw ConfideError(.authenticationFailed, "\(context): the certificate relayed for '\(who)' holds no P-256 key")
        }
        return key
    }

    /// Whether `signature` (DER ECDSA, at most ``maximumSignatureBytes``) over `message` verifies with `key`.
    static func isValid(signature: [UInt8], of message: [UInt8], key: P256.Signing.PublicKey) -> Bool {
        guard signature.count <= maximumSignatureBytes, let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return key.isValidSignature(parsed, for: message)
    }
}
