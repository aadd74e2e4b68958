import ConfideCore
import ConfideNet
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2

/// HTTP/2 settings for the runtime's links, tuned for bulk party traffic.
///
/// The default 64 KiB flow-control window caps a loopback stream at about 100 MB/s; 4 MiB windows
/// with 1 MiB frames move about ten times that. Windows of 8 MiB or more made two-way streams fail
/// with `InvalidFlowControlWindowSize`, so the window stays at 4 MiB.
public enum RuntimeTransport {
    /// The flow-control window of every connection and stream.
    public static let windowSize = Int(ProcessInfo.processInfo.environment["CONFIDE_H2_WINDOW"] ?? "") ?? 4 << 20
    /// The largest HTTP/2 frame.
    public static let maxFrameSize = Int(ProcessInfo.processInfo.environment["CONFIDE_H2_FRAME"] ?? "") ?? 1 << 20
    /// The largest gRPC message either side accepts (a party message or a data node's inputs).
    public static let maxMessageBytes = 256 << 20

    /// The server transport of a runtime node listening on `host:port` (port 0: chosen by the OS).
    /// - Throws: `.invalidAddress` unless `host` is an IPv4 or IPv6 literal or `localhost`.
    public static func server(host: String, port: Int, security: HTTP2ServerTransport.Posix.TransportSecurity) throws -> HTTP2ServerTransport.Posix {
        HTTP2ServerTransport.Posix(
            address: try listenAddress(host: host, port: port), transportSecurity: security,
            config: .defaults { config in
                config.http2.targetWindowSize = windowSize
                config.http2.maxFrameSize = maxFrameSize
                config.rpc.maxRequestPayloadSize = maxMessageBytes
            })
    }

    /// The same HTTP/2 settings for a custom-listener server transport (``OptionalCertificateListener``).
    static var customServerConfig: HTTP2ServerTransport.Custom<OptionalCertificateListener>.Config {
        var config = HTTP2ServerTransport.Custom<OptionalCertificateListener>.Config.defaults
        config.http2.targetWindowSize = windowSize
        config.http2.maxFrameSize = maxFrameSize
        config.rpc.maxRequestPayloadSize = maxMessageBytes
        return config
    }

    /// A client transport to `host:port` verifying the server as `serverName`.
    /// - Throws: `.invalidAddress`-like `.invalidArgument` when the target cannot be resolved.
    public static func client(host: String, port: Int, security: HTTP2ClientTransport.Posix.TransportSecurity, serverName: String) throws -> HTTP2ClientTransport.Posix {
        let methods = MethodConfig(names: [MethodConfig.Name(service: "")], maxRequestMessageBytes: maxMessageBytes, maxResponseMessageBytes: maxMessageBytes)
        do {
            return try HTTP2ClientTransport.Posix(
                target: .dns(host: RuntimeEndpoint.bare(host), port: port), transportSecurity: security,
                config: .defaults { config in
                    config.http2.targetWindowSize = windowSize
                    config.http2.maxFrameSize = maxFrameSize
                    config.http2.authority = serverName
                    config.backoff = .init(initial: .milliseconds(100), max: .seconds(2), multiplier: 1.6, jitter: 0.2)
                },
                serviceConfig: ServiceConfig(methodConfig: [methods]))
        } catch {
            throw ConfideError(.invalidArgument, "cannot create a gRPC client for \(host):\(port)", cause: "\(error)")
        }
    }

    /// The socket address a server binds: an IP literal (`[::1]` or `::1`), `localhost` as 127.0.0.1.
    static func listenAddress(host: String, port: Int) throws -> GRPCNIOTransportCore.SocketAddress {
        let bare = RuntimeEndpoint.bare(host)
        guard (0...65_535).contains(port) else { throw ConfideError(.invalidAddress, "port \(port) of \(host) is not in 0...65535") }
        if bare == "localhost" { return .ipv4(host: "127.0.0.1", port: port) }
        switch NetAddress.ipBytes(bare)?.count {
        case 4: return .ipv4(host: bare, port: port)
        case 16: return .ipv6(host: bare, port: port)
        default: throw ConfideError(.invalidAddress, "listen address '\(host)' is not an IPv4 or IPv6 literal or localhost")
        }
    }
}
