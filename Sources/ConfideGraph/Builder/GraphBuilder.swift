import ConfideCore

/// Builds one graph of a ``ContextBuilder``: each method appends one node and returns its handle.
///
/// Methods throw `.invalidArgument` when a dependency belongs to another graph. A graph can be
/// called (``call(_:_:)``, ``iterate(_:state:input:)``) from later graphs once its output node is
/// set. Not `Sendable`; see ``ContextBuilder``.
public final class GraphBuilder {
    /// The context builder this graph belongs to.
    public let context: ContextBuilder
    /// The graph's index in the context.
    public let index: Int

    init(context: ContextBuilder, index: Int) {
        self.context = context
        self.index = index
    }

    /// The number of nodes added so far.
    public var nodeCount: Int { context.graphs[index].nodes.count }

    /// Appends a node with any operation.
    /// - Parameters:
    ///   - operation: the operation.
    ///   - dependencies: earlier nodes of this graph, in the operation's argument order.
    ///   - graphs: graphs the operation calls (Call, Iterate); they must be earlier graphs of the
    ///     same context with an output node.
    /// - Returns: the new node.
    /// - Throws: `.invalidArgument` for a dependency from another graph or an invalid graph reference.
    @discardableResult
    public func addNode(_ operation: Operation, dependencies: [BuilderNode] = [], graphs: [GraphBuilder] = []) throws -> BuilderNode {
        for d in dependencies where d.graph !== self {
            throw ConfideError(.invalidArgument, "node \(d.id) of graph \(d.graph.index) cannot be a dependency in graph \(index) (\(operation.name))")
        }
        for g in graphs {
            try context.check(g, "called graph")
            guard g.index < index else {
                throw ConfideError(.invalidArgument, "graph \(index) can only call earlier graphs, not graph \(g.index) (\(operation.name))")
            }
            guard context.graphs[g.index].outputNode != nil else {
                throw ConfideError(.invalidArgument, "called graph \(g.index) has no output node (\(operation.name))")
            }
        }
        let node = Node(operation, dependencies: dependencies.map(\.id), graphDependencies: graphs.map(\.index))
        context.graphs[index].nodes.append(node)
        return BuilderNode(graph: self, id: context.graphs[index].nodes.count - 1)
    }

    /// Sets (or replaces) the graph's output node.
    /// - Throws: `.invalidArgument` when the node belongs to another graph.
    public func setOutput(_ node: BuilderNode) throws {
        guard node.graph === self else {
            throw ConfideError(.invalidArgument, "node \(node.id) of graph \(node.graph.index) cannot be the output of graph \(index)")
        }
        context.graphs[index].outputNode = node.id
    }

    /// Names the graph; graph names are unique within a context.
    /// - Returns: the graph, for chaining.
    /// - Throws: `.invalidArgument` when the graph is already named or the name is taken.
    @discardableResult
    public func named(_ name: String) throws -> GraphBuilder {
        try context.setName(name, graph: index)
        return self
    }

    /// Adds an annotation to the graph.
    /// - Returns: the graph, for chaining.
    @discardableResult
    public func annotated(_ annotation: GraphAnnotation) -> GraphBuilder {
        context.annotate(graph: index, annotation)
        return self
    }
}
