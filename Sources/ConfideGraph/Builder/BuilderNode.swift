import ConfideCore

/// A node made by a ``GraphBuilder``: its graph and id, plus naming and annotating.
///
/// Not `Sendable` (it refers to its builder); see ``ContextBuilder``.
public struct BuilderNode: Hashable {
    /// The builder of the node's graph.
    public let graph: GraphBuilder
    /// The node's id (index) in its graph.
    public let id: Int

    /// The node's address in the context.
    public var nodeID: Context.NodeID { Context.NodeID(graph: graph.index, node: id) }

    /// Names the node; names are unique within a graph.
    /// - Returns: the node, for chaining (`try g.input(t).named("x")`).
    /// - Throws: `.invalidArgument` when the node already has a name or another node of the graph
    ///   has this name.
    @discardableResult
    public func named(_ name: String) throws -> BuilderNode {
        try graph.context.setName(name, node: nodeID)
        return self
    }

    /// Adds an annotation to the node (several are kept in order).
    /// - Returns: the node, for chaining.
    @discardableResult
    public func annotated(_ annotation: NodeAnnotation) -> BuilderNode {
        graph.context.annotate(node: nodeID, annotation)
        return self
    }

    public static func == (a: BuilderNode, b: BuilderNode) -> Bool { a.graph === b.graph && a.id == b.id }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(graph))
        hasher.combine(id)
    }
}
