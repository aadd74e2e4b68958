import ConfideCore

/// What `confide inspect` reports about a context: size, operations and, for compiled graphs, traffic.
///
/// Communication is read off the `Send(s, d)` annotations of `NOP` nodes: each one moves the value of the
/// node's dependency from party s to party d. A round is one link of the longest chain of such sends on a
/// dependency path of the main graph.
public struct GraphSummary: Sendable, Equatable {
    /// Nodes in the main graph.
    public var mainNodeCount: Int
    /// Nodes in all graphs of the context.
    public var totalNodeCount: Int
    public var graphCount: Int
    /// Operation name → count over all graphs, most frequent first (ties by name).
    public var operationHistogram: [(name: String, count: Int)]
    /// Types of the main graph's Input nodes, in node order.
    public var inputTypes: [ValueType]
    /// Type of the main graph's output node, if it has one.
    public var outputType: ValueType?
    /// Number of Send annotations in the main graph.
    public var sendCount: Int
    /// Longest chain of Send-annotated NOPs on a dependency path (0 for an uncompiled graph).
    public var rounds: Int
    /// Bytes each party sends (party index → bytes), from the encoded size of each sent value.
    public var bytesSentByParty: [Int: Int]

    /// Whether the graph is a compiled MPC graph (has Send annotations).
    public var isCompiled: Bool { sendCount > 0 }
    /// Total bytes sent by all parties.
    public var totalBytesSent: Int { bytesSentByParty.values.reduce(0, +) }

    public static func == (a: GraphSummary, b: GraphSummary) -> Bool {
        a.mainNodeCount == b.mainNodeCount && a.totalNodeCount == b.totalNodeCount && a.graphCount == b.graphCount
            && a.operationHistogram.map(\.name) == b.operationHistogram.map(\.name)
            && a.operationHistogram.map(\.count) == b.operationHistogram.map(\.count)
            && a.inputTypes == b.inputTypes && a.outputType == b.outputType && a.sendCount == b.sendCount
            && a.rounds == b.rounds && a.bytesSentByParty == b.bytesSentByParty
    }

    /// Summarises a context whose node types are known.
    /// - Parameters:
    ///   - context: a validated context.
    ///   - types: the type of every node, `types[graph][node]` (from `TypeInference.inferTypes`).
    /// - Throws: `.invalidGraph` when the context has no main graph or `types` does not match it.
    public init(_ context: Context, types: [[ValueType]]) throws {
        let mainIndex = try context.mainIndex()
        let main = context.graphs[mainIndex]
        guard types.count == context.graphs.count, types[mainIndex].count == main.nodes.count else {
            throw ConfideError(.invalidGraph, "node types do not match the context")
        }
        let nodeTypes = types[mainIndex]
        mainNodeCount = main.nodes.count
        totalNodeCount = context.graphs.reduce(0) { $0 + $1.nodes.count }
        graphCount = context.graphs.count

        var counts: [String: Int] = [:]
        for graph in context.graphs {
            for node in graph.nodes { counts[node.operation.name, default: 0] += 1 }
        }
        operationHistogram = counts.map { (name: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
        inputTypes = main.inputNodeIDs.map { nodeTypes[$0] }
        outputType = main.outputNode.map { nodeTypes[$0] }

        var depth = [Int](repeating: 0, count: main.nodes.count)
        var sends = 0
        var bytes: [Int: Int] = [:]
        for (id, node) in main.nodes.enumerated() {
            var d = node.dependencies.reduce(0) { max($0, depth[$1]) }
            let phases = context.sendPhases(graph: mainIndex, node: id)
            let transfers = phases.flatMap { $0 }
            if !transfers.isEmpty, let source = node.dependencies.first {
                d += phases.count
                let size = GraphSummary.encodedByteCount(nodeTypes[source])
                for (from, _) in transfers {
                    sends += 1
                    bytes[from, default: 0] += size
                }
            }
            depth[id] = d
        }
        sendCount = sends
        rounds = depth.max() ?? 0
        bytesSentByParty = bytes
    }

    /// Bytes of a value of `type` in the value.proto leaf encoding (bit arrays packed 8 per byte).
    public static func encodedByteCount(_ type: ValueType) -> Int {
        switch type {
        case let .scalar(s): return Tensor.encodedByteCount(s, count: 1)
        case let .array(shape, s): return Tensor.encodedByteCount(s, count: Tensor.elementCount(shape))
        case let .vector(n, element): return n * encodedByteCount(element)
        case let .tuple(elements): return elements.reduce(0) { $0 + encodedByteCount($1) }
        case let .namedTuple(fields): return fields.reduce(0) { $0 + encodedByteCount($1.type) }
        }
    }
}
