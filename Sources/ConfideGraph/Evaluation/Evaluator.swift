import ConfideCore

/// CipherCore's plaintext reference evaluator: runs a graph of a ``Context`` on plaintext values,
/// with exactly the semantics of CipherCore's `SimpleEvaluator`.
///
/// Nodes are evaluated in order; a node's value is kept only until its last use. `Call` and
/// `Iterate` evaluate other graphs of the same context. `Random` and `RandomPermutation` draw from
/// an AES-CTR stream keyed either by the key given at initialisation (reproducible) or by fresh
/// system entropy for every evaluation. `Print` passes its value through without printing anything.
public struct Evaluator: Sendable {
    /// The key of the generator `Random` draws from; nil draws a fresh key for every evaluation.
    private let randomKey: [UInt8]?

    /// Deepest chain of nested `Call`/`Iterate` graphs an evaluation may build.
    static let coreMaxCallDepth = 64

    /// Creates an evaluator.
    /// - Parameter randomKey: a 16-byte key that makes `Random` and `RandomPermutation`
    ///   reproducible (tests, debugging), or nil for a fresh system-entropy key per evaluation.
    public init(randomKey: [UInt8]? = nil) {
        self.randomKey = randomKey
    }

    /// Evaluates the main graph of `context`.
    /// - Parameters:
    ///   - context: the context holding the main graph and every graph it calls.
    ///   - inputs: one value per `Input` node of the main graph, in node order.
    /// - Returns: the value of the main graph's output node.
    /// - Throws: the type-inference error of the first ill-typed node (every graph is checked before
    ///   anything runs); `.tooLarge` for a node whose value would exceed the evaluator's limits;
    ///   `.invalidGraph` when the context has no main graph or a graph is malformed;
    ///   `.wrongInputCount` / `.typeMismatch` when the inputs do not match the `Input` nodes (the
    ///   message names the input, counted from 0, its node and both types);
    ///   `.invalidArgument` when the random key is not 16 bytes; `CancellationError` when the
    ///   calling task is cancelled (checked before every node, also inside `Call` and `Iterate`);
    ///   otherwise the error of the first failing node, its message prefixed with the node and operation.
    public func evaluate(_ context: Context, inputs: [Value]) throws -> Value {
        try evaluate(graph: try context.mainIndex(), in: context, inputs: inputs)
    }

    /// Evaluates graph `graph` of `context`.
    /// - Parameters:
    ///   - graph: the index of the graph to run.
    ///   - context: the context holding the graph and every graph it calls.
    ///   - inputs: one value per `Input` node of the graph, in node order.
    /// - Returns: the value of the graph's output node.
    /// - Throws: as ``evaluate(_:inputs:)``; `.invalidGraph` when `graph` is not in the context.
    public func evaluate(graph: Int, in context: Context, inputs: [Value]) throws -> Value {
        guard context.graphs.indices.contains(graph) else {
            throw ConfideError(.invalidGraph, "the context has no graph \(graph) (it has \(context.graphs.count))")
        }
        let types = try TypeInference.inferTypes(context)
        try Evaluator.checkMaterializable(types, context)
        return try evaluateWithoutInference(graph: graph, in: context, inputs: inputs)
    }

    /// Evaluates graph `graph` of `context` relying only on the evaluator's own per-node checks
    /// (tests use it to exercise those checks, which type inference normally pre-empts).
    func evaluateWithoutInference(graph: Int, in context: Context, inputs: [Value]) throws -> Value {
        var random = try makeGenerator()
        return try Evaluator.coreRun(graph: graph, context, inputs, &random, depth: 0)
    }

    /// Most scalars one node's value may hold in the plaintext evaluator (2^30).
    static let maxNodeScalars = 1 << 30

    /// Rejects, before anything runs, a graph whose nodes would build values too large to hold.
    /// - Throws: `.tooLarge` naming the first such node and its type.
    public static func checkMaterializable(_ types: [[ValueType]], _ context: Context) throws {
        for (g, graphTypes) in types.enumerated() {
            for (n, type) in graphTypes.enumerated() {
                do {
                    try coreCheckBuildable(type)
                    guard type.scalarCount <= maxNodeScalars else {
                        throw ConfideError(.tooLarge, "type \(type) holds more than 2^30 scalars")
                    }
                } catch let error as ConfideError {
                    throw error.prefixed(context.describe(graph: g, node: n) + " (" + context.graphs[g].nodes[n].operation.name + ")")
                }
            }
        }
    }

    /// The generator of one evaluation.
    private func makeGenerator() throws -> AESCTRGenerator {
        if let randomKey { return try AESCTRGenerator(key: randomKey) }
        return AESCTRGenerator.fromSystemEntropy()
    }

    /// Runs one graph; `depth` counts the enclosing `Call`/`Iterate` nodes.
    static func coreRun(
        graph index: Int, _ context: Context, _ inputs: [Value],
        _ random: inout AESCTRGenerator, depth: Int
    ) throws -> Value {
        let graph = context.graphs[index]
        let label = index == context.mainGraph ? "the main graph" : "graph \(index)"
        guard let output = graph.outputNode else {
            throw ConfideError(.invalidGraph, "\(label) has no output node")
        }
        guard graph.nodes.indices.contains(output) else {
            throw ConfideError(.invalidGraph, "the output node \(output) of \(label) does not exist (it has \(graph.nodes.count) nodes)")
        }
        let inputIDs = graph.inputNodeIDs
        guard inputIDs.count == inputs.count else {
            throw ConfideError(
                .wrongInputCount, "\(label) expects \(inputIDs.count) input\(inputIDs.count == 1 ? "" : "s"), found \(inputs.count)")
        }
        var remainingUses = [Int](repeating: 0, count: graph.nodes.count)
        for (id, node) in graph.nodes.enumerated() {
            for dependency in node.dependencies {
                guard dependency >= 0, dependency < id else {
                    throw ConfideError(
                        .invalidGraph,
                        "\(context.describe(graph: index, node: id)) depends on node \(dependency), which is not an earlier node")
                }
                remainingUses[dependency] += 1
            }
        }

        var values = [Value?](repeating: nil, count: graph.nodes.count)
        var inputPosition = 0
        for (id, node) in graph.nodes.enumerated() {
            if Task.isCancelled { throw CancellationError() }
            let result: Value
            if case let .input(type) = node.operation {
                guard node.dependencies.isEmpty else {
                    throw ConfideError(.invalidGraph, "\(context.describe(graph: index, node: id)) (Input) has dependencies")
                }
                let value = inputs[inputPosition]
                try value.check(type, what: "input \(inputPosition) (\(context.describe(graph: index, node: id)))")
                inputPosition += 1
                result = value
            } else {
                var args: [Value] = []
                args.reserveCapacity(node.dependencies.count)
                for dependency in node.dependencies {
                    guard let value = values[dependency] else {
                        throw ConfideError(
                            .invalidGraph, "\(context.describe(graph: index, node: id)): the value of node \(dependency) was released early"
                        )
                    }
                    args.append(value)
                }
                do {
                    result = try coreEvaluate(node, graph: index, args, context, &random, depth: depth)
                } catch let error as ConfideError {
                    throw error.prefixed(context.describe(graph: index, node: id) + " (" + node.operation.name + ")")
                } catch let error as CancellationError {
                    throw error
                } catch {
                    throw ConfideError(.evaluation, "evaluation failed", cause: String(describing: type(of: error)))
                        .prefixed(context.describe(graph: index, node: id) + " (" + node.operation.name + ")")
                }
            }
            if remainingUses[id] > 0 || id == output { values[id] = result }
            for dependency in node.dependencies {
                remainingUses[dependency] -= 1
                if remainingUses[dependency] == 0, dependency != output { values[dependency] = nil }
            }
        }
        guard let value = values[output] else {
            throw ConfideError(.invalidGraph, "the output node \(output) of \(label) has no value")
        }
        return value
    }

    /// Evaluates one non-Input node on the values of its dependencies.
    static func coreEvaluate(
        _ node: Node, graph: Int, _ args: [Value], _ context: Context,
        _ random: inout AESCTRGenerator, depth: Int
    ) throws -> Value {
        switch node.operation {
        case .call, .iterate: break
        default:
            guard node.graphDependencies.isEmpty else {
                throw ConfideError(.invalidGraph, "expected no graph dependencies, found \(node.graphDependencies.count)")
            }
        }
        switch node.operation {
        case .input:
            throw ConfideError(.invalidGraph, "Input nodes take their values from the graph inputs")
        case .call:
            return try coreCall(node, caller: graph, args, context, &random, depth: depth)
        case .iterate:
            return try coreIterate(node, caller: graph, args, context, &random, depth: depth)
        case .random, .randomPermutation, .prf, .permutationFromPRF, .gather, .inversePermutation,
            .applyPermutation, .sort, .segmentCumSum, .custom, .cuckooHash, .cuckooToPermutation,
            .decomposeSwitchingMap, .shard, .join:
            return try evaluateExtended(node.operation, args, random: &random)
        case let .zeros(type):
            try coreExpectCount(args, 0)
            try coreCheckBuildable(type)
            return .zeros(type)
        case let .ones(type):
            try coreExpectCount(args, 0)
            try coreCheckBuildable(type)
            return .ones(type)
        case let .constant(type, encoded):
            try coreExpectCount(args, 0)
            try coreCheckBuildable(type)
            return try Value(decoding: encoded, as: type)
        case .add: return try coreElementwise(.add, args)
        case .subtract: return try coreElementwise(.subtract, args)
        case .multiply: return try coreElementwise(.multiply, args)
        case .mixedMultiply: return try coreMixedMultiply(args)
        case .dot: return try coreDot(args)
        case .matmul: return try coreMatmul(args)
        case let .gemm(transposeA, transposeB): return try coreGemm(args, transposeA: transposeA, transposeB: transposeB)
        case let .truncate(scale): return try coreTruncate(args, scale: scale)
        case let .sum(axes): return try coreSum(args, axes: axes)
        case let .cumSum(axis): return try coreCumSum(args, axis: axis)
        case let .permuteAxes(permutation): return try corePermuteAxes(args, permutation)
        case let .get(index): return try coreGet(args, index)
        case let .getSlice(slice): return try coreGetSlice(args, slice)
        case let .reshape(type): return try coreReshape(args, type)
        case let .stack(outerShape): return try coreStack(args, outerShape: outerShape)
        case let .concatenate(axis): return try coreConcatenate(args, axis: axis)
        case .a2b: return try coreA2B(args)
        case let .b2a(scalarType): return try coreB2A(args, scalarType)
        case .createTuple: return .tuple(args)
        case let .createNamedTuple(names): return try coreCreateNamedTuple(args, names)
        case let .createVector(elementType): return try coreCreateVector(args, elementType)
        case let .tupleGet(index): return try coreTupleGet(args, index)
        case let .namedTupleGet(name): return try coreNamedTupleGet(args, name)
        case .vectorGet: return try coreVectorGet(args)
        case .zip: return try coreZip(args)
        case let .repeat(count): return try coreRepeat(args, count)
        case .arrayToVector: return try coreArrayToVector(args)
        case .vectorToArray: return try coreVectorToArray(args)
        case .nop, .print:
            try coreExpectCount(args, 1)
            return args[0]
        case let .assert(message): return try coreAssert(args, message)
        }
    }
}
