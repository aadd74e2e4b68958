import ConfideCore

/// Replaces CipherCore's fixed-point custom operations by equivalent graphs of basic operations,
/// built node for node as CipherCore's `instantiate` builds them, so that evaluating the expanded
/// graph gives CipherCore's values bit for bit.
///
/// Expanded: `FixedMultiply`, `NewtonInversion`, `InverseSqrt`, `GoldschmidtDivision`,
/// `TaylorExponent`, `ApproxExponent`, `ApproxSigmoid`, `ApproxGelu`, `ApproxGeluDerivative`,
/// `LongDivision` and `AucScore`.
/// The expansions use only operations the plaintext evaluator runs natively: arithmetic
/// (`Add`, `Subtract`, `Multiply`, `MixedMultiply`, `Truncate`), `Constant`, `Zeros`, `Ones`,
/// `A2B`, `B2A`, shape operations (`Get`, `GetSlice`, `Reshape`, `PermuteAxes`, `Concatenate`,
/// `Stack`), `CumSum`, `Sum`, tuple and named-tuple construction and access, `Assert`, `NOP` and
/// the custom operations `GreaterThanEqualTo`, `Not`, `Mux`, `Equal`, `BinaryAdd` and
/// `SortByIntegerKey`. Where CipherCore
/// goes through a vector (`CreateVector`/`VectorToArray`, tuple reshapes) the expansion uses the
/// equivalent `Stack` or `Concatenate`; where it calls a helper graph the helper is inlined.
public enum CustomExpansion {
    /// The custom operations this pass expands.
    public static let expandedOperations: Set<String> = [
        "FixedMultiply", "NewtonInversion", "InverseSqrt", "GoldschmidtDivision", "TaylorExponent",
        "ApproxExponent", "ApproxSigmoid", "ApproxGelu", "ApproxGeluDerivative", "LongDivision",
        "AucScore",
    ]

    /// Whether ``expand(_:)`` replaces custom operations named `name`.
    public static func expands(_ name: String) -> Bool { expandedOperations.contains(name) }

    /// Expands every custom node of ``expandedOperations`` in every graph of `context`.
    ///
    /// Each such node is replaced, in place, by the nodes of its expansion; the last of them
    /// carries the replaced node's name and annotations. Every other node is copied unchanged
    /// (renumbered). Input nodes keep their order, names and annotations, each graph's output
    /// node is its old output's counterpart, and graph indices, names and annotations, the main
    /// graph and `finalized` are unchanged, so callers and `Call`/`Iterate` nodes stay valid.
    /// - Parameter context: a context that type-checks.
    /// - Returns: the expanded context; it type-checks, and its output types equal the input's.
    /// - Throws: the type-inference error of `context`, or of an expansion (prefixed with the
    ///   custom node and operation).
    public static func expand(_ context: Context) throws -> Context {
        let types = try TypeInference.inferTypes(context)
        var result = context
        result.nodeNames = [:]
        result.nodeAnnotations = [:]
        for g in context.graphs.indices {
            let graph = context.graphs[g]
            var e = ExpansionEmitter()
            var mapping = [Int](repeating: 0, count: graph.nodes.count)
            for (id, node) in graph.nodes.enumerated() {
                let dependencies = node.dependencies.map { mapping[$0] }
                if case let .custom(custom) = node.operation, expands(custom.name) {
                    do {
                        mapping[id] = try expandFresh(custom, dependencies, &e)
                    } catch let error as ConfideError {
                        throw error.prefixed("\(context.describe(graph: g, node: id)) (\(custom.name))")
                    }
                } else {
                    let copy = Node(node.operation, dependencies: dependencies, graphDependencies: node.graphDependencies)
                    mapping[id] = e.append(copy, type: types[g][id])
                }
            }
            result.graphs[g].nodes = e.nodes
            result.graphs[g].outputNode = graph.outputNode.map { mapping[$0] }
            for (key, name) in context.nodeNames where key.graph == g {
                result.nodeNames[Context.NodeID(graph: g, node: mapping[key.node])] = name
            }
            for (key, annotations) in context.nodeAnnotations where key.graph == g {
                result.nodeAnnotations[Context.NodeID(graph: g, node: mapping[key.node])] = annotations
            }
        }
        return result
    }

    /// The expansion of one custom operation as a one-graph context: one `Input` per argument
    /// type, in order, then the expansion; its output node is the operation's result.
    /// - Throws: the operation's type-inference error; `.unsupportedOperation` for an operation
    ///   outside ``expandedOperations`` (naming it).
    public static func expansion(of operation: CustomOperation, argumentTypes: [ValueType]) throws -> Context {
        _ = try TypeInference.inferType(of: .custom(operation), arguments: argumentTypes)
        var e = ExpansionEmitter()
        let inputs = argumentTypes.map { e.append(Node(.input($0)), type: $0) }
        let output = try expandFresh(operation, inputs, &e)
        return Context(graphs: [Graph(nodes: e.nodes, outputNode: output)], mainGraph: 0)
    }

    /// Expands `operation` on the nodes `arguments`; the result is always a new node (a `NOP`
    /// when the expansion is just one of its arguments, as with zero iterations), so that names
    /// and annotations never collide.
    static func expandFresh(_ operation: CustomOperation, _ arguments: [Int], _ e: inout ExpansionEmitter) throws -> Int {
        let before = e.count
        let result = try expandNode(operation, arguments, &e)
        return result < before ? try e.add(.nop, [result]) : result
    }

    /// Appends the expansion of `operation` on `arguments` (already type-checked) and returns its
    /// result node.
    static func expandNode(_ operation: CustomOperation, _ arguments: [Int], _ e: inout ExpansionEmitter) throws -> Int {
        switch operation.name {
        case "FixedMultiply": return try FixedMultiplyExpansion.fixedMultiply(&e, operation, arguments)
        case "NewtonInversion": return try IterativeDivisionExpansion.newtonInversion(&e, operation, arguments)
        case "InverseSqrt": return try IterativeDivisionExpansion.inverseSqrt(&e, operation, arguments)
        case "GoldschmidtDivision": return try IterativeDivisionExpansion.goldschmidtDivision(&e, operation, arguments)
        case "TaylorExponent": return try TaylorExponentExpansion.taylorExponent(&e, operation, arguments)
        case "LongDivision": return try LongDivisionExpansion.longDivision(&e, operation, arguments)
        case "AucScore": return try AucScoreExpansion.aucScore(&e, operation, arguments)
        default:
            if let function = PiecewiseLinearTable.Function(rawValue: operation.name) {
                return try PiecewiseLinearExpansion.approximation(&e, function, operation, arguments)
            }
            throw ConfideError(.unsupportedOperation, "custom operation '\(operation.name)' has no expansion")
        }
    }
}
