import ConfideCore

/// `Call`, `Iterate` and `Assert`.
extension Evaluator {
    /// `Call`: evaluates the node's graph dependency on the node's arguments.
    static func coreCall(
        _ node: Node, caller: Int, _ args: [Value], _ context: Context,
        _ random: inout AESCTRGenerator, depth: Int
    ) throws -> Value {
        let callee = try coreCallee(node, caller: caller, context, depth: depth)
        return try coreRun(graph: callee, context, args, &random, depth: depth + 1)
    }

    /// `Iterate`: folds the graph dependency over a vector. The graph takes `(state, element)` and
    /// returns the tuple `(new state, output)`; the node's value is `(final state, vector of outputs)`.
    static func coreIterate(
        _ node: Node, caller: Int, _ args: [Value], _ context: Context,
        _ random: inout AESCTRGenerator, depth: Int
    ) throws -> Value {
        try coreExpectCount(args, 2)
        let body = try coreCallee(node, caller: caller, context, depth: depth)
        guard case let .vector(_, elements) = args[1] else {
            throw ConfideError(.typeMismatch, "argument 1 must be a vector, found \(args[1].type)")
        }
        let stateType = args[0].type
        var state = args[0]
        var outputs: [Value] = []
        outputs.reserveCapacity(elements.count)
        var outputType: ValueType?
        for (step, element) in elements.enumerated() {
            let (newState, output) = try coreIterationResult(
                coreRun(graph: body, context, [state, element], &random, depth: depth + 1), stateType: stateType, step: step)
            let type = output.type
            if let outputType, outputType != type {
                throw ConfideError(.typeMismatch, "iteration \(step) output has type \(type), earlier iterations \(outputType)")
            }
            outputType = type
            state = newState
            outputs.append(output)
        }
        let elementType: ValueType
        if let outputType {
            elementType = outputType
        } else {
            elementType = try coreEmptyIterationOutputType(body, context)
        }
        return .tuple([state, .vector(elementType: elementType, outputs)])
    }

    /// The graph a `Call`/`Iterate` node runs.
    /// - Throws: `.invalidGraph` when there is not exactly one graph dependency or it is not a graph
    ///   with a smaller index than the caller (CipherCore's rule, which also rules out recursion);
    ///   `.tooLarge` when calls nest too deep.
    private static func coreCallee(_ node: Node, caller: Int, _ context: Context, depth: Int) throws -> Int {
        guard node.graphDependencies.count == 1 else {
            throw ConfideError(.invalidGraph, "expected 1 graph dependency, found \(node.graphDependencies.count)")
        }
        let callee = node.graphDependencies[0]
        guard callee >= 0, callee < caller else {
            throw ConfideError(.invalidGraph, "graph dependency \(callee) is not a graph with a smaller index than \(caller)")
        }
        guard depth < coreMaxCallDepth else {
            throw ConfideError(.tooLarge, "graph calls are nested more than \(coreMaxCallDepth) deep")
        }
        return callee
    }

    /// Splits an `Iterate` body result into the new state and the output.
    private static func coreIterationResult(_ result: Value, stateType: ValueType, step: Int) throws -> (Value, Value) {
        guard case let .tuple(parts) = result, parts.count == 2 else {
            throw ConfideError(.typeMismatch, "the Iterate graph must return a tuple (state, output), found \(result.type)")
        }
        let newType = parts[0].type
        guard newType == stateType else {
            throw ConfideError(.typeMismatch, "iteration \(step) returned a state of type \(newType), expected \(stateType)")
        }
        return (parts[0], parts[1])
    }

    /// The output type of an `Iterate` over an empty vector: the static type of the second element
    /// of the body's output, from type inference (CipherCore does not run the body either).
    /// - Throws: the type inference error, or `.typeMismatch` when the body does not return a pair.
    private static func coreEmptyIterationOutputType(_ body: Int, _ context: Context) throws -> ValueType {
        let types = try TypeInference.inferTypes(context)
        let output = try TypeInference.signature(ofGraph: body, in: context, types: types[body]).outputType
        guard case let .tuple(parts) = output, parts.count == 2 else {
            throw ConfideError(.typeMismatch, "the Iterate graph must return a tuple (state, output), found \(output)")
        }
        return parts[1]
    }

    /// `Assert(message)`: passes argument 1 through when the bit scalar argument 0 is 1.
    /// - Throws: `.assertionFailed` with the message when it is 0.
    static func coreAssert(_ args: [Value], _ message: String) throws -> Value {
        try coreExpectCount(args, 2)
        guard let condition = args[0].tensor, condition.type == .scalar(.bit) else {
            throw ConfideError(.typeMismatch, "the condition (argument 0) must be a bit scalar, found \(args[0].type)")
        }
        guard condition.residue(at: 0) == 1 else {
            throw ConfideError(.assertionFailed, "assertion failed: \(message)")
        }
        return args[1]
    }
}
