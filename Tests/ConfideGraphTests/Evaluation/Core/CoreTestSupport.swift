import ConfideCore
import Testing

@testable import ConfideGraph

/// A one-graph context: one Input node per argument type, then `op` on all of them (the output).
func coreContext(_ op: Operation, _ argumentTypes: [ValueType]) -> Context {
    var nodes = argumentTypes.map { Node(.input($0)) }
    nodes.append(Node(op, dependencies: Array(argumentTypes.indices)))
    return Context(graphs: [Graph(nodes: nodes, outputNode: argumentTypes.count)], mainGraph: 0)
}

/// Evaluates `op` on `args` through the evaluator's driver, exercising its own per-node checks;
/// when that succeeds, the checked path (type inference first) must give the same value and type
/// inference the value's type.
func coreEval(_ op: Operation, _ args: [Value]) throws -> Value {
    let evaluator = Evaluator(randomKey: [UInt8](repeating: 3, count: 16))
    let context = coreContext(op, args.map(\.type))
    let value = try evaluator.evaluateWithoutInference(graph: 0, in: context, inputs: args)
    #expect(try evaluator.evaluate(context, inputs: args) == value, "checked evaluation of \(op.name)")
    #expect(try TypeInference.inferTypes(context)[0].last == value.type, "inferred type of \(op.name)")
    return value
}

/// The error evaluating `op` on `args` throws (nil when it succeeds).
func coreError(_ op: Operation, _ args: [Value]) -> ConfideError? {
    do {
        _ = try coreEval(op, args)
        return nil
    } catch {
        return error as? ConfideError
    }
}

/// The error a closure throws (nil when it succeeds or throws something else).
func coreError(_ body: () throws -> Value) -> ConfideError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? ConfideError
    }
}

/// A tensor value from signed numbers, wrapping to the type.
func coreValue(_ s: ScalarType, _ shape: [Int], _ values: [Int128]) -> Value {
    .tensor(Tensor(s, shape: shape, wrapping: values))
}

/// A scalar value from a signed number, wrapping to the type.
func coreScalar(_ s: ScalarType, _ value: Int128) -> Value {
    coreValue(s, [], [value])
}

/// A tensor value from residues.
func coreResidues(_ s: ScalarType, _ shape: [Int], _ residues: [UInt128]) -> Value {
    .tensor(Tensor(s, shape: shape, residues: residues))
}

/// The smallest value of a type (0 for unsigned), computed without ScalarType.minValue.
func coreMin(_ s: ScalarType) -> Int128 {
    s.isSigned ? ~coreMax(s) : 0
}

/// The largest value of a type; for u128 this is the residue 2^128 - 1 read as Int128 (-1).
func coreMax(_ s: ScalarType) -> Int128 {
    s.isSigned ? Int128(truncatingIfNeeded: s.maxUnsigned >> 1) : Int128(truncatingIfNeeded: s.maxUnsigned)
}

/// Edge values of a type: 0, 1, -1 (all ones), min, max and a middle value.
func coreEdges(_ s: ScalarType) -> [Int128] {
    s == .bit ? [0, 1, 1, 0, 1, 0] : [0, 1, -1, coreMin(s), coreMax(s), 42]
}

/// The residues of a value's tensor.
func coreResiduesOf(_ value: Value) -> [UInt128] {
    value.tensor?.residues ?? []
}

/// The interpreted (sign-extended for signed types) elements of a value's tensor.
func coreNumbers(_ value: Value) -> [Int128] {
    guard let t = value.tensor else { return [] }
    return (0..<t.count).map { t.value(at: $0) }
}
