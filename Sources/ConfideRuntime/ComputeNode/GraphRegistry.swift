import ConfideCore
import ConfideProtos

/// The graphs registered on a compute node, planned once at registration, at most `capacity`
/// (least recently used first out when full).
actor GraphRegistry {
    struct Entry: Sendable {
        let plan: GraphPlan
        /// The policy entry that allowed it; nil when the node runs without a policy.
        let approval: GraphApproval?
        /// "compiled" or the I/O spec of an uncompiled graph, for logs.
        let kind: String
        /// The rounds a session of it takes (``GraphPlan/plannedRounds``), for progress.
        var plannedRounds: Int? = nil
    }

    let capacity: Int
    private var graphs: [String: Entry] = [:]
    /// Registration or last use, oldest first: the order in which a full registry evicts.
    private var recency: [String] = []

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    func contains(_ id: String) -> Bool { graphs[id] != nil }

    /// The entry of a graph, marking it as used.
    func entry(_ id: String) -> Entry? {
        guard let entry = graphs[id] else { return nil }
        touch(id)
        return entry
    }

    /// Adds a planned graph. A full registry first evicts its least recently used graph that no
    /// live session runs.
    /// - Parameter inUse: the graphs of the node's live sessions.
    /// - Returns: nil, or the refusal (a reused id; a registry full of graphs that sessions run).
    func add(_ id: String, _ entry: Entry, inUse: Set<String>) -> Ciphercore_RegisterGraphResponse? {
        if graphs[id] != nil {
            return .with { $0.result = .duplicate; $0.message = "graph '\(id)' is already registered" }
        }
        if graphs.count >= capacity {
            guard let victim = recency.first(where: { !inUse.contains($0) }) else {
                return .with { $0.result = .genericFailure; $0.message = "the node holds \(capacity) graphs, all run by live sessions" }
            }
            remove(victim)
        }
        graphs[id] = entry
        recency.append(id)
        return nil
    }

    /// Every graph with its entry, least recently used first.
    func list() -> [(id: String, entry: Entry)] {
        recency.compactMap { id in graphs[id].map { (id, $0) } }
    }

    /// Forgets a graph (sessions already running it keep their plan).
    /// - Returns: whether it was registered.
    @discardableResult
    func remove(_ id: String) -> Bool {
        guard graphs.removeValue(forKey: id) != nil else { return false }
        recency.removeAll { $0 == id }
        return true
    }

    private func touch(_ id: String) {
        recency.removeAll { $0 == id }
        recency.append(id)
    }
}
