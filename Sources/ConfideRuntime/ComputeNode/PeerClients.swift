import ConfideCore
import Synchronization

/// One gRPC client per peer endpoint, shared by every session of a node (HTTP/2 multiplexes the
/// sessions' streams over one connection). Clients reconnect by themselves after a peer restarts.
final class PeerClients: Sendable {
    private let tls: RuntimeTLS
    private let clients = Mutex<[RuntimeEndpoint: RuntimeClient]>([:])

    init(tls: RuntimeTLS) {
        self.tls = tls
    }

    /// The client for `endpoint`, created on first use.
    /// - Throws: `.invalidArgument` when the endpoint cannot be turned into a gRPC target.
    func client(for endpoint: RuntimeEndpoint) throws -> RuntimeClient {
        try clients.withLock { clients in
            if let client = clients[endpoint] { return client }
            let client = try RuntimeClient(endpoint, tls: tls)
            clients[endpoint] = client
            return client
        }
    }

    /// Closes every client.
    func closeAll() {
        let all = clients.withLock { clients in
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for client in all { client.close() }
    }
}
