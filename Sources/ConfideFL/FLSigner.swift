import ConfideCore
import Crypto
import Foundation
import SwiftASN1
import X509

/// A collaborator's signing identity in secure aggregation: its certificate (DER), relayed by the
/// aggregator to the other collaborators, and the P-256 private key of its TLS credentials, which
/// signs its per-round keys and the survivor set it is told.
///
/// The key never appears in `description`, reflection or errors.
public struct FLSigner: Sendable, CustomStringConvertible, CustomReflectable {
    /// The certificate, DER-encoded.
    public let certificate: [UInt8]
    private let key: P256.Signing.PrivateKey

    /// Reads the certificate (the first PEM certificate in `certificateFile`) and the private key.
    /// - Throws: `.io` for an unreadable file; `.invalidValue` when the certificate does not parse,
    ///   the key is not a PEM P-256 private key, or the key does not belong to the certificate.
    public init(certificateFile: String, keyFile: String) throws {
        guard let certificateText = try? String(contentsOfFile: certificateFile, encoding: .utf8) else {
            throw ConfideError(.io, "cannot read the certificate file \(certificateFile)")
        }
        guard let keyText = try? String(contentsOfFile: keyFile, encoding: .utf8) else { throw ConfideError(.io, "cannot read the private key file \(keyFile)") }
        let der: [UInt8]
        let parsed: Certificate
        do {
            guard let document = try PEMDocument.parseMultiple(pemString: certificateText).first(where: { $0.discriminator == "CERTIFICATE" }) else {
                throw ConfideError(.invalidValue, "\(certificateFile) holds no PEM certificate")
            }
            der = document.derBytes
            parsed = try Certificate(derEncoded: der)
        } catch let error as ConfideError { throw error } catch {
            throw ConfideError(.invalidValue, "\(certificateFile) is not a PEM X.509 certificate")
        }
        let key: P256.Signing.PrivateKey
        do { key = try P256.Signing.PrivateKey(pemRepresentation: keyText) } catch {
            throw ConfideError(.invalidValue, "the key file \(keyFile) is not a PEM P-256 private key (federation certificates carry P-256 keys)")
        }
        guard let certified = P256.Signing.PublicKey(parsed.publicKey), certified.rawRepresentation == key.publicKey.rawRepresentation else {
            throw ConfideError(.invalidValue, "the private key in \(keyFile) does not belong to the certificate in \(certificateFile)")
        }
        self.certificate = der
        self.key = key
    }

    /// An ECDSA P-256 signature with SHA-256 over `message`, DER-encoded.
    /// - Throws: `.invalidArgument` if signing fails.
    func sign(_ message: [UInt8]) throws -> [UInt8] {
        do { return Array(try key.signature(for: message).derRepresentation) } catch {
            throw ConfideError(.invalidArgument, "cannot sign with the collaborator's key", cause: "\(type(of: error))")
        }
    }

    public var description: String { "FLSigner(certificate: \(certificate.count) bytes, key: <redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: ["certificate": certificate.count], displayStyle: .struct) }
}
