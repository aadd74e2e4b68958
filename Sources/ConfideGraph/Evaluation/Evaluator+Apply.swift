import ConfideCore

extension Evaluator {
    /// Applies one deterministic operation to argument values, with the evaluator's semantics and
    /// checks (type inference first, so errors name the problem as for a graph node).
    ///
    /// Used to apply local (linear) operations to share components.
    /// - Throws: `.invalidArgument` for operations that need randomness, other graphs or inputs
    ///   (Input, Random, RandomPermutation, CuckooToPermutation, DecomposeSwitchingMap, Call, Iterate);
    ///   otherwise the operation's error.
    public static func apply(_ operation: Operation, to arguments: [Value]) throws -> Value {
        switch operation {
        case .input, .random, .randomPermutation, .cuckooToPermutation, .decomposeSwitchingMap, .call, .iterate:
            throw ConfideError(.invalidArgument, "\(operation.name) cannot be applied outside a graph")
        default: break
        }
        let node = Node(operation, dependencies: Array(arguments.indices))
        let context = Context(graphs: [Graph(nodes: arguments.map { Node(.input($0.type)) } + [node], outputNode: arguments.count)], mainGraph: 0)
        do {
            let type = try TypeInference.inferType(of: operation, arguments: arguments.map(\.type))
            try coreCheckBuildable(type)
            var unused = try AESCTRGenerator(key: [UInt8](repeating: 0, count: 16))
            return try coreEvaluate(node, graph: 0, arguments, context, &unused, depth: 0)
        } catch let error as ConfideError {
            throw error.prefixed(operation.name)
        }
    }
}

extension Evaluator {
    /// Evaluates one node of graph `graph` of `context` on the values of its dependencies, drawing
    /// `Random` from `random`; `Call` and `Iterate` run their graphs.
    ///
    /// The compiled-graph interpreter uses this to run each party's local nodes.
    /// - Throws: the node's error (type, shape, argument count), prefixed with the operation name.
    public static func evaluate(node: Node, graph: Int, in context: Context, arguments: [Value], random: inout AESCTRGenerator) throws -> Value {
        do {
            return try coreEvaluate(node, graph: graph, arguments, context, &random, depth: 0)
        } catch let error as ConfideError {
            throw error.prefixed(node.operation.name)
        }
    }
}
