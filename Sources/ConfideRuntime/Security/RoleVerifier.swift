import ConfideCore
import ConfideNet
import Foundation
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// Verifies a server's certificate on a client: it must chain to the deployment CA (RFC 5280) and
/// name exactly the role the client expects (``NetRole/of(certificate:)``).
///
/// Hostname checks alone are not enough: TLS stacks accept a certificate whose IP address entry
/// matches the connected address, and every deployment certificate carries the hosts' addresses,
/// so a data-node certificate would pass for a compute node on the same host. The role check
/// closes that.
struct RoleVerifier: Sendable {
    let roots: [Certificate]
    let role: NetRole

    /// Reads the CA certificate(s) from a PEM file.
    /// - Throws: `.io` when the file cannot be read; `.invalidValue` when it holds no certificate.
    init(caFile: String, role: NetRole) throws {
        guard let data = FileManager.default.contents(atPath: caFile), let text = String(data: data, encoding: .utf8) else {
            throw ConfideError(.io, "cannot read the CA certificate file \(caFile)")
        }
        let roots: [Certificate]
        do {
            roots = try PEMDocument.parseMultiple(pemString: text).filter { $0.discriminator == "CERTIFICATE" }.map { try Certificate(derEncoded: $0.derBytes) }
        } catch {
            throw ConfideError(.invalidValue, "the CA file \(caFile) is not PEM X.509 certificates")
        }
        guard !roots.isEmpty else { throw ConfideError(.invalidValue, "the CA file \(caFile) holds no certificate") }
        self.roots = roots
        self.role = role
    }

    /// Whether `chain` (leaf first, as presented) is valid and names ``role``.
    func verify(_ chain: [Certificate]) async -> Bool {
        guard let leaf = chain.first, (try? NetRole.of(certificate: leaf)) == role else { return false }
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) { RFC5280Policy() }
        guard case .validCertificate = await verifier.validate(leaf: leaf, intermediates: CertificateStore(chain.dropFirst())) else { return false }
        return true
    }

    /// The callback for NIOSSL's custom verification.
    var callback: @Sendable ([NIOSSLCertificate], EventLoopPromise<NIOSSLVerificationResultWithMetadata>) -> Void {
        { [self] presented, promise in
            let chain: [Certificate]
            do { chain = try presented.map { try Certificate(derEncoded: try $0.toDERBytes()) } } catch {
                promise.succeed(.failed)
                return
            }
            Task {
                promise.succeed(await verify(chain) ? .certificateVerified(VerificationMetadata(nil)) : .failed)
            }
        }
    }
}
