import ConfideCore

extension CompiledGraph {
    /// How many `Send(from, to)` annotations the main graph carries per ordered pair of parties
    /// (a node with several phases counts once per phase).
    public var transferCounts: [Transfer: Int] {
        var counts: [Transfer: Int] = [:]
        for nodePhases in phases {
            for transfer in nodePhases.joined() { counts[transfer, default: 0] += 1 }
        }
        return counts
    }

    /// The transfers that feed the output node directly: the Send nodes reached by walking back from
    /// the output through local nodes only. CipherCore compiles a reveal to party p as
    /// `Send(p-1, p)`, a local sum, then `Send(p, q)` to each further output party, so these name the
    /// last hops of the reveal. Sorted by sender, then receiver.
    public var finalTransfers: [Transfer] {
        let nodes = context.graphs[mainIndex].nodes
        var seen = [Bool](repeating: false, count: nodes.count)
        var stack = [output]
        var found = Set<Transfer>()
        while let id = stack.popLast() {
            guard !seen[id] else { continue }
            seen[id] = true
            if phases[id].isEmpty {
                stack.append(contentsOf: nodes[id].dependencies)
            } else {
                found.formUnion(phases[id].joined())
            }
        }
        return found.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
    }
}

extension CompiledGraph {
    /// Per main-graph node, how many `Send` transfers it carries (0 for local nodes).
    public var transfersPerNode: [(node: Int, transfers: Int)] {
        phases.enumerated().map { ($0.offset, $0.element.reduce(0) { $0 + $1.count }) }
    }
}
