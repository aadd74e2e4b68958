import ConfideCore
import ConfideProtos

/// The graphs registered on a compute node, planned once at registration.
actor GraphRegistry {
    struct Entry: Sendable {
        let plan: GraphPlan
        /// The policy entry that allowed it; nil when the node runs without a policy.
        let approval: GraphApproval?
        /// "compiled" or the I/O spec of an uncompiled graph, for logs.
        let kind: String
    }

    let capacity: Int
    private var graphs: [String: Entry] = [:]

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    func contains(_ id: String) -> Bool { graphs[id] != nil }

    func entry(_ id: String) -> Entry? { graphs[id] }

    /// Adds a planned graph.
    /// - Returns: nil, or the refusal (a reused id, a full registry).
    func add(_ id: String, _ entry: Entry) -> Ciphercore_RegisterGraphResponse? {
        if graphs[id] != nil {
            return .with { $0.result = .duplicate; $0.message = "graph '\(id)' is already registered" }
        }
        guard graphs.count < capacity else {
            return .with { $0.result = .genericFailure; $0.message = "the node holds \(capacity) graphs already" }
        }
        graphs[id] = entry
        return nil
    }
}
