import ConfideCore
import ConfideNet
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2

/// A gRPC client connection to one runtime endpoint, with its connection task running until
/// ``close()``. Reconnects with back-off when the server is not up yet or restarts.
public final class RuntimeClient: Sendable {
    public let endpoint: RuntimeEndpoint
    public typealias Transport = HTTP2ClientTransport.Posix
    let client: GRPCClient<Transport>
    private let connections: Task<Void, Never>

    /// The role the server's certificate must name exactly.
    public let role: NetRole

    /// Creates the client and starts connecting in the background. The handshake fails unless the
    /// server's certificate chains to the deployment CA and names `role` (its canonical name is the
    /// TLS server name; `confide credentials` puts each certificate's role among its DNS names and
    /// refuses host names spelled like another role).
    /// - Throws: `.invalidArgument` when the endpoint cannot be resolved into a target.
    public init(_ endpoint: RuntimeEndpoint, tls: RuntimeTLS, expecting role: NetRole) throws {
        self.endpoint = endpoint
        self.role = role
        let transport = try RuntimeTransport.client(
            host: endpoint.host, port: endpoint.port, security: try tls.clientSecurity(expecting: role), serverName: role.name)
        let client = GRPCClient(transport: transport)
        self.client = client
        connections = Task { try? await client.runConnections() }
    }

    /// Stops accepting new calls; the connection closes when in-flight calls have finished.
    public func close() {
        client.beginGracefulShutdown()
    }

    /// Waits for the connection task to end (after ``close()``).
    public func closed() async {
        await connections.value
    }

    deinit {
        client.beginGracefulShutdown()
    }
}

/// A `host:port` a runtime node listens on or is reached at (`[::1]:4203` for IPv6 literals).
public struct RuntimeEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` (`[v6]:PORT` for IPv6 literals).
    /// - Throws: `.invalidAddress` naming `what` and the text.
    public init(parsing text: String, what: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.lastIndex(of: ":"), colon != trimmed.startIndex else {
            throw ConfideError(.invalidAddress, "\(what) '\(text)' is not HOST:PORT")
        }
        var host = String(trimmed[..<colon])
        if host.hasPrefix("[") {
            guard host.hasSuffix("]") else { throw ConfideError(.invalidAddress, "\(what) '\(text)': an IPv6 literal needs a closing ]") }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw ConfideError(.invalidAddress, "\(what) '\(text)': write IPv6 literals in brackets, as [::1]:4203")
        }
        guard !host.isEmpty, let port = Int(trimmed[trimmed.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ConfideError(.invalidAddress, "\(what) '\(text)' needs a host and a port in 0...65535")
        }
        self.init(host: host, port: port)
    }

    /// A host without the brackets of an IPv6 literal (`[::1]` → `::1`).
    static func bare(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
