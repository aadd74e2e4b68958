import ConfideCore
import ConfideNet
import Synchronization

/// One gRPC client per peer endpoint and expected role, shared by every session of a node (HTTP/2 multiplexes the
/// sessions' streams over one connection). Clients reconnect by themselves after a peer restarts.
final class PeerClients: Sendable {
    private let tls: RuntimeTLS
    private let clients = Mutex<[Key: RuntimeClient]>([:])

    private struct Key: Hashable {
        let endpoint: RuntimeEndpoint
        let role: NetRole
    }

    init(tls: RuntimeTLS) {
        self.tls = tls
    }

    /// The client for `endpoint` whose server must present a certificate for exactly `role`,
    /// created on first use.
    /// - Throws: `.invalidArgument` when the endpoint cannot be turned into a gRPC target.
    func client(for endpoint: RuntimeEndpoint, expecting role: NetRole) throws -> RuntimeClient {
        try clients.withLock { clients in
            let key = Key(endpoint: endpoint, role: role)
            if let client = clients[key] { return client }
            let client = try RuntimeClient(endpoint, tls: tls, expecting: role)
            clients[key] = client
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
