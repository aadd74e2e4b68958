import ConfideCore
import ConfideNet
import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A TLS listener that asks every client for a certificate and verifies one against the deployment
/// CA when it is presented, but also admits clients without one (`control_auth: none`).
///
/// CipherCore's example orchestrator connects with server-side TLS only and gives peers the same
/// port for `SendValue`, so one port must take both kinds of client. The handler then decides per
/// call from ``PeerCertificates``: `SendValue` still needs a party certificate; control calls are
/// allowed without one only because an approval policy guards the node.
struct OptionalCertificateListener: HTTP2ServerTransport.ListenerFactory {
    let eventLoopGroup: any EventLoopGroup
    let address: NIOCore.SocketAddress
    let context: NIOSSLContext
    let certificates: PeerCertificates

    /// - Throws: `.io` naming a TLS file that cannot be read; `.invalidAddress` for a bad listen address.
    init(host: String, port: Int, tls: RuntimeTLS, certificates: PeerCertificates) throws {
        var configuration: TLSConfiguration
        do {
            configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificateFile).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.keyFile, format: .pem)))
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(tls.caFile))
        } catch {
            throw ConfideError(.io, "cannot read the TLS files of \(tls)", cause: RuntimeErrors.describe(error))
        }
        configuration.certificateVerification = .optionalVerification
        configuration.applicationProtocols = ["grpc-exp", "h2"]
        do { context = try NIOSSLContext(configuration: configuration) } catch {
            throw ConfideError(.io, "cannot make a TLS context from \(tls)", cause: RuntimeErrors.describe(error))
        }
        let listen = try RuntimeTransport.listenAddress(host: host, port: port)
        do {
            if let v4 = listen.ipv4 {
                address = try NIOCore.SocketAddress(ipAddress: v4.host, port: v4.port)
            } else if let v6 = listen.ipv6 {
                address = try NIOCore.SocketAddress(ipAddress: v6.host, port: v6.port)
            } else {
                throw ConfideError(.invalidAddress, "listen address '\(host)' is not an IP address")
            }
        } catch let error as ConfideError {
            throw error
        } catch {
            throw ConfideError(.invalidAddress, "listen address '\(host)' is not an IP address")
        }
        eventLoopGroup = MultiThreadedEventLoopGroup.singleton
        self.certificates = certificates
    }

    func makeListeningChannel(
        listenerConfigurator: HTTP2ServerTransport.ListenerConfigurator, connectionConfigurator: HTTP2ServerTransport.ConnectionConfigurator
    ) async throws -> NIOAsyncChannel<HTTP2ServerTransport.ConnectionConfigurator.ConnectionChannel, Never> {
        let context = self.context
        let certificates = self.certificates
        return try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { listenerConfigurator.configure(channel: $0) }
            .bind(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    certificates.add(channel)
                }.flatMap {
                    connectionConfigurator.configure(channel: channel, tls: .configured(requireALPN: false))
                }
            }
    }
}

/// The TLS connections of an ``OptionalCertificateListener``, to find the verified certificate a
/// call's client presented (gRPC names a call's connection by its peer and local address).
final class PeerCertificates: Sendable {
    private let channels = Mutex<[String: any Channel]>([:])

    /// Tracks an accepted connection until it closes.
    func add(_ channel: any Channel) {
        guard let key = PeerCertificates.key(remote: channel.remoteAddress, local: channel.localAddress) else { return }
        channels.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = channels.withLock { $0.removeValue(forKey: key) }
        }
    }

    /// The role of the certificate the client of a call presented (verified against the CA during
    /// the handshake); nil without one, or for one naming no single canonical role.
    func role(of context: ServerContext) async -> NetRole? {
        guard let channel = channels.withLock({ $0["\(context.remotePeer)|\(context.localPeer)"] }) else { return nil }
        let der = try? await channel.eventLoop.submit { () -> [UInt8]? in
            try channel.pipeline.syncOperations.nioSSL_peerCertificate()?.toDERBytes()
        }.get()
        guard let der = der ?? nil else { return nil }
        return try? NetRole.of(der: der)
    }

    /// gRPC's spelling of a connection (`ipv4:127.0.0.1:5000|ipv4:127.0.0.1:4203`).
    private static func key(remote: NIOCore.SocketAddress?, local: NIOCore.SocketAddress?) -> String? {
        guard let remote = spelling(remote), let local = spelling(local) else { return nil }
        return "\(remote)|\(local)"
    }

    private static func spelling(_ address: NIOCore.SocketAddress?) -> String? {
        guard let address, let port = address.port, let host = address.ipAddress else { return nil }
        switch address {
        case .v4: return "ipv4:\(host):\(port)"
        case .v6: return "ipv6:[\(host)]:\(port)"
        default: return nil
        }
    }
}
