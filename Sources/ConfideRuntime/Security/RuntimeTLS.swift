import ConfideCore
import ConfideNet
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2

/// The TLS files of one runtime node (PEM): the deployment CA it trusts, and its own certificate
/// and key. Every gRPC link of the runtime is TLS with these; the key is never logged.
public struct RuntimeTLS: Sendable, Equatable {
    /// The CA certificate(s) peers must chain to (never the system store).
    public var caFile: String
    public var certificateFile: String
    /// Secret: the node's private key.
    public var keyFile: String
    /// The name clients expect in a server's certificate (SNI and hostname check), `localhost` by default.
    public var serverName: String

    public init(caFile: String, certificateFile: String, keyFile: String, serverName: String = "localhost") {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.serverName = serverName
    }

    /// Checks that the three files exist and are readable, so a node fails at start naming the file.
    /// - Throws: `.io` naming the role and path of the first missing or unreadable file.
    public func checkReadable() throws {
        for (role, path) in [("CA certificate", caFile), ("certificate", certificateFile), ("private key", keyFile)] {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ConfideError(.io, "cannot read the \(role) file \(path)")
            }
        }
    }

    /// Server side: presents this node's certificate; with `requireClientCertificate` only clients
    /// with a certificate issued by the CA get through the handshake (mutual TLS).
    public func serverSecurity(requireClientCertificate: Bool = true) -> HTTP2ServerTransport.Posix.TransportSecurity {
        let chain: [TLSConfig.CertificateSource] = [.file(path: certificateFile, format: .pem)]
        let key: TLSConfig.PrivateKeySource = .file(path: keyFile, format: .pem)
        if requireClientCertificate {
            return .mTLS(certificateChain: chain, privateKey: key) { config in
                config.trustRoots = .certificates([.file(path: caFile, format: .pem)])
                config.clientCertificateVerification = .noHostnameVerification
            }
        }
        return .tls(certificateChain: chain, privateKey: key) { config in
            config.trustRoots = .certificates([.file(path: caFile, format: .pem)])
            config.clientCertificateVerification = .noVerification
        }
    }

    /// Client side: presents this node's certificate and accepts only a server whose certificate
    /// chains to the CA and names exactly `role` (see ``RoleVerifier``).
    /// - Throws: `.io` / `.invalidValue` when the CA file cannot be read.
    public func clientSecurity(expecting role: NetRole) throws -> HTTP2ClientTransport.Posix.TransportSecurity {
        let verifier = try RoleVerifier(caFile: caFile, role: role)
        return .mTLS(certificateChain: [.file(path: certificateFile, format: .pem)], privateKey: .file(path: keyFile, format: .pem)) { config in
            config.trustRoots = .certificates([.file(path: caFile, format: .pem)])
            config.serverCertificateVerification = .fullVerification
            config.customVerificationCallback = verifier.callback
        }
    }
}

extension RuntimeTLS {
    /// The one canonical role the calling client's verified certificate names; nil without a
    /// certificate, or for one that names several roles or a non-canonical name.
    static func certifiedRole(_ context: ServerContext) -> NetRole? {
        guard let posix = context.transportSpecific as? HTTP2ServerTransport.Posix.Context, let certificate = posix.peerCertificate else { return nil }
        return try? NetRole.of(certificate: certificate)
    }
}

extension RuntimeTLS: CustomStringConvertible {
    /// Names the files, never their contents.
    public var description: String { "RuntimeTLS(ca: \(caFile), certificate: \(certificateFile), key: <file \(keyFile)>)" }
}
