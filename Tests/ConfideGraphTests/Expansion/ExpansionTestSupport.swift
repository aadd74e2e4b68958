import ConfideCore
import Testing

@testable import ConfideGraph

/// A one-node context: one Input per argument type, then `operation` on them (the output).
func expansionContext(_ operation: CustomOperation, _ types: [ValueType]) -> Context {
    let inputs = types.map { Node(.input($0)) }
    let node = Node(.custom(operation), dependencies: Array(types.indices))
    return Context(graphs: [Graph(nodes: inputs + [node], outputNode: types.count)], mainGraph: 0)
}

/// Evaluates `operation` on `args` with the plaintext evaluator, and checks that the expanded
/// context has no fixed-point custom node left and evaluates to the same value.
func expansionEval(_ operation: CustomOperation, _ args: [Value], sourceLocation: SourceLocation = #_sourceLocation) throws -> Value {
    let context = expansionContext(operation, args.map(\.type))
    let value = try Evaluator().evaluate(context, inputs: args)
    let expanded = try CustomExpansion.expand(context)
    for node in try expanded.main().nodes {
        if case let .custom(custom) = node.operation {
            #expect(!CustomExpansion.expands(custom.name), "\(custom.name) left in the expansion", sourceLocation: sourceLocation)
        }
    }
    #expect(try Evaluator().evaluate(expanded, inputs: args) == value, "expanded context differs", sourceLocation: sourceLocation)
    return value
}

/// The signed values of an i64 (or any) tensor result.
func expansionValues(_ value: Value) -> [Int128] {
    guard let t = value.tensor else { return [] }
    return (0..<t.count).map { t.value(at: $0) }
}

/// A one-dimensional tensor of `scalar` from values (wrapping).
func expansionTensor(_ scalar: ScalarType, _ values: [Int128]) -> Value {
    .tensor(Tensor(scalar, shape: [values.count], wrapping: values))
}

/// The error code of evaluating `operation` on `args` (nil when it succeeds).
func expansionError(_ operation: CustomOperation, _ args: [Value]) -> ConfideError? {
    do {
        _ = try Evaluator().evaluate(expansionContext(operation, args.map(\.type)), inputs: args)
        return nil
    } catch {
        return error as? ConfideError
    }
}

/// Signed division rounding toward zero by 2^k (CipherCore's Truncate on signed types).
func expansionTruncate(_ v: Int64, _ k: Int) -> Int64 {
    Int64(truncatingIfNeeded: Int128(v) / (Int128(1) << Int128(k)))
}

/// A reproducible generator for test inputs: Confide's AES-CTR PRG keyed by the seed.
struct ExpansionRandom: RandomNumberGenerator {
    var generator: AESCTRGenerator
    init(seed: UInt64) {
        let key = withUnsafeBytes(of: seed.littleEndian) { Array($0) } + [UInt8](repeating: 0x5A, count: 8)
        generator = try! AESCTRGenerator(key: key)
    }
    mutating func next() -> UInt64 { generator.next(UInt64.self) }
}

/// The index of the highest set bit of a positive number.
func expansionHighestBit(_ v: Int64) -> Int { 63 - v.leadingZeroBitCount }

/// The fixed-point config parameter of FixedMultiply.
func fixedConfig(_ bits: UInt64, debug: Bool = false) -> JSONValue {
    .object([("fractional_bits", .int(bits)), ("debug", .bool(debug))])
}
