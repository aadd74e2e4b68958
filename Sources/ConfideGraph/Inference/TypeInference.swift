import ConfideCore

/// CipherCore's type inference: the type of every node of a ``Context``, with exactly the rules of
/// CipherCore's `type_inference.rs` (and, for custom operations, the types their instantiated graphs
/// would produce).
///
/// Graph JSON does not store node types; a reader re-infers them from `Input`, `Constant` and the
/// typed operations. A graph may only `Call`/`Iterate` graphs with a smaller index (as CipherCore
/// requires), so graphs are inferred in index order and a callee's types are computed once and reused
/// by every caller: a callee's types depend only on its own `Input` nodes, never on the caller.
public enum TypeInference {
    /// Infers the type of every node of every graph.
    /// - Parameter context: the context to check.
    /// - Returns: `types[graph][node]`, one array per graph of the context.
    /// - Throws: ``ConfideError`` for the first node whose type cannot be inferred, its message
    ///   prefixed with the node (``Context/describe(graph:node:)``) and the operation name, e.g.
    ///   `node 12 (Add): shapes [2, 3] and [4] cannot be broadcast together`. Codes:
    ///   `.invalidGraph` (wrong dependency count, a dependency that is not an earlier node, a bad
    ///   graph dependency or output node), `.typeMismatch`, `.shapeMismatch`, `.invalidArgument`,
    ///   `.outOfRange`, `.invalidType`, `.tooLarge` (sizes that overflow `Int`) and
    ///   `.unsupportedOperation` (an unknown custom operation).
    public static func inferTypes(_ context: Context) throws -> [[ValueType]] {
        var types: [[ValueType]] = []
        types.reserveCapacity(context.graphs.count)
        for index in context.graphs.indices {
            types.append(try inferGraphTypes(index, context, known: types))
        }
        return types
    }

    /// The signature (input types and output type) of a graph whose node types are known.
    /// - Parameters:
    ///   - graph: the graph's index in `context`.
    ///   - context: the context holding the graph.
    ///   - types: the graph's node types, `types[node]` (for example from ``inferTypes(_:)``).
    /// - Returns: the types of its `Input` nodes in node order and the type of its output node.
    /// - Throws: `.invalidGraph` when the graph does not exist, is not finalized, has no output
    ///   node, or `types` does not cover its nodes.
    public static func signature(ofGraph graph: Int, in context: Context, types: [ValueType]) throws -> GraphSignature {
        guard context.graphs.indices.contains(graph) else {
            throw ConfideError(.invalidGraph, "the context has no graph \(graph) (it has \(context.graphs.count))")
        }
        let body = context.graphs[graph]
        guard types.count == body.nodes.count else {
            throw ConfideError(.invalidGraph, "graph \(graph) has \(body.nodes.count) nodes but \(types.count) types were given")
        }
        guard body.finalized else {
            throw ConfideError(.invalidGraph, "graph \(graph) is not finalized")
        }
        guard let output = body.outputNode else {
            throw ConfideError(.invalidGraph, "graph \(graph) has no output node")
        }
        guard body.nodes.indices.contains(output) else {
            throw ConfideError(.invalidGraph, "the output node \(output) of graph \(graph) does not exist (it has \(body.nodes.count) nodes)")
        }
        return GraphSignature(inputTypes: body.inputNodeIDs.map { types[$0] }, outputType: types[output])
    }

    /// Infers the types of one graph; `known` holds the types of every graph with a smaller index.
    private static func inferGraphTypes(_ index: Int, _ context: Context, known: [[ValueType]]) throws -> [ValueType] {
        let graph = context.graphs[index]
        if let output = graph.outputNode, !graph.nodes.indices.contains(output) {
            let label = index == context.mainGraph ? "the main graph" : "graph \(index)"
            throw ConfideError(.invalidGraph, "the output node \(output) of \(label) does not exist (it has \(graph.nodes.count) nodes)")
        }
        var types: [ValueType] = []
        types.reserveCapacity(graph.nodes.count)
        var signatures: [Int: GraphSignature] = [:]
        for (id, node) in graph.nodes.enumerated() {
            do {
                var arguments: [ValueType] = []
                arguments.reserveCapacity(node.dependencies.count)
                for dependency in node.dependencies {
                    guard dependency >= 0, dependency < id else {
                        throw ConfideError(.invalidGraph, "dependency \(dependency) is not an earlier node of the graph")
                    }
                    arguments.append(types[dependency])
                }
                var callees: [GraphSignature] = []
                for callee in node.graphDependencies {
                    guard callee >= 0, callee < index else {
                        throw ConfideError(.invalidGraph, "graph dependency \(callee) is not a graph with a smaller index than \(index)")
                    }
                    if let known = signatures[callee] {
                        callees.append(known)
                    } else {
                        let computed = try signature(ofGraph: callee, in: context, types: known[callee])
                        signatures[callee] = computed
                        callees.append(computed)
                    }
                }
                types.append(try inferType(of: node.operation, validArguments: arguments, callees: callees))
            } catch let error as ConfideError {
                throw error.prefixed("\(context.describe(graph: index, node: id)) (\(node.operation.name))")
            }
        }
        return types
    }
}
