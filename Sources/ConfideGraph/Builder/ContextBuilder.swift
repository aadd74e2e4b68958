import ConfideCore

/// Builds a ``Context`` in code, the way CipherCore's graph-building API does.
///
/// ```swift
/// let b = ContextBuilder()
/// let g = b.makeGraph()
/// let x = try g.input(.scalar(.u32)).named("x")
/// let y = try g.add(x, x)
/// try g.setOutput(y)
/// try b.setMain(g)
/// let context = try b.finish()
/// ```
///
/// `ContextBuilder`, ``GraphBuilder`` and ``BuilderNode`` have reference semantics: graph builders
/// and node handles write into the context builder that made them. They are not `Sendable`;
/// build a context within one task and share the finished ``Context`` (a `Sendable` value).
/// The builder only records nodes; it checks structure (dependencies, graph references, names)
/// but not types, which type inference checks later.
public final class ContextBuilder {
    /// The graphs built so far, by index.
    var graphs: [Graph] = []
    private var mainGraph: Int?
    private var graphNames: [Int: String] = [:]
    private var nodeNames: [Context.NodeID: String] = [:]
    private var nodeAnnotations: [Context.NodeID: [NodeAnnotation]] = [:]
    private var graphAnnotations: [Int: [GraphAnnotation]] = [:]

    /// Creates an empty builder.
    public init() {}

    /// Adds a new, empty graph; its index is the number of graphs made before it.
    /// - Returns: the builder of the new graph.
    public func makeGraph() -> GraphBuilder {
        graphs.append(Graph(nodes: [], outputNode: nil, finalized: false))
        return GraphBuilder(context: self, index: graphs.count - 1)
    }

    /// Makes `graph` the main graph.
    /// - Throws: `.invalidArgument` when the graph belongs to another builder, has no output node,
    ///   or a main graph is already set.
    public func setMain(_ graph: GraphBuilder) throws {
        try check(graph, "the main graph")
        guard mainGraph == nil else { throw ConfideError(.invalidArgument, "the main graph is already set (graph \(mainGraph ?? 0))") }
        guard graphs[graph.index].outputNode != nil else {
            throw ConfideError(.invalidArgument, "graph \(graph.index) has no output node and cannot be the main graph")
        }
        mainGraph = graph.index
    }

    /// The context built so far, not finalized and not checked (for inspection while building).
    public var context: Context {
        Context(
            graphs: graphs.map { Graph(nodes: $0.nodes, outputNode: $0.outputNode, finalized: $0.outputNode != nil) },
            mainGraph: mainGraph, finalized: false, graphNames: graphNames, nodeNames: nodeNames,
            nodeAnnotations: nodeAnnotations, graphAnnotations: graphAnnotations)
    }

    /// The finished, finalized context.
    /// - Throws: `.invalidGraph` when no main graph is set, a graph has no output node, or
    ///   ``Context/checkStructure()`` fails.
    public func finish() throws -> Context {
        guard mainGraph != nil else { throw ConfideError(.invalidGraph, "no main graph is set") }
        if let g = graphs.firstIndex(where: { $0.outputNode == nil }) {
            throw ConfideError(.invalidGraph, "graph \(g) has no output node")
        }
        var result = context
        result.finalized = true
        try result.checkStructure()
        return result
    }

    func check(_ graph: GraphBuilder, _ what: String) throws {
        guard graph.context === self else {
            throw ConfideError(.invalidArgument, "\(what) (graph \(graph.index)) belongs to another context builder")
        }
    }

    func setName(_ name: String, graph: Int) throws {
        if let old = graphNames[graph] { throw ConfideError(.invalidArgument, "graph \(graph) is already named '\(old)'") }
        if let other = graphNames.first(where: { $0.value == name }) {
            throw ConfideError(.invalidArgument, "graph \(other.key) is already named '\(name)'")
        }
        graphNames[graph] = name
    }

    func setName(_ name: String, node id: Context.NodeID) throws {
        if let old = nodeNames[id] { throw ConfideError(.invalidArgument, "\(id) is already named '\(old)'") }
        if let other = nodeNames.first(where: { $0.key.graph == id.graph && $0.value == name }) {
            throw ConfideError(.invalidArgument, "\(other.key) is already named '\(name)'")
        }
        nodeNames[id] = name
    }

    func annotate(node id: Context.NodeID, _ annotation: NodeAnnotation) {
        nodeAnnotations[id, default: []].append(annotation)
    }

    func annotate(graph: Int, _ annotation: GraphAnnotation) {
        graphAnnotations[graph, default: []].append(annotation)
    }
}
