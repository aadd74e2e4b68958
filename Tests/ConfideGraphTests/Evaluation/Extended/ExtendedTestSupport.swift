import ConfideCore
import Testing

@testable import ConfideGraph

/// Evaluates an extended operation with a generator keyed by `seed`.
func extendedEval(_ op: Operation, _ args: [Value], seed: UInt8 = 7) throws -> Value {
    var random = try AESCTRGenerator(key: [UInt8](repeating: seed, count: 16))
    let value = try Evaluator.evaluateExtended(op, args, random: &random)
    #expect(try TypeInference.inferType(of: op, arguments: args.map(\.type)) == value.type, "inferred type of \(op.name)")
    return value
}

/// The error code an evaluation fails with (nil when it succeeds or throws something else).
func extendedErrorCode(_ op: Operation, _ args: [Value]) -> ConfideError.Code? {
    do {
        _ = try extendedEval(op, args)
        return nil
    } catch let error as ConfideError {
        return error.code
    } catch {
        return nil
    }
}

/// A tensor value from signed numbers (wrapping to the type).
func extendedTensor(_ s: ScalarType, _ shape: [Int], _ values: [Int128]) -> Value {
    .tensor(Tensor(s, shape: shape, wrapping: values))
}

/// A bit-array value.
func extendedBits(_ shape: [Int], _ bits: [UInt64]) -> Value {
    .tensor(Tensor(.bit, shape: shape, narrow: bits))
}

/// The `width` bits of `value`, least significant first.
func extendedBitsOf(_ value: UInt64, width: Int) -> [UInt64] {
    (0..<width).map { (value >> UInt64($0)) & 1 }
}

/// The number whose bits (least significant first) are `bits`.
func extendedNumber(_ bits: ArraySlice<UInt64>) -> UInt64 {
    bits.reversed().reduce(0) { $0 << 1 | $1 }
}

/// Edge values of every scalar type: 0, 1, -1 (all ones), min, max and a middle value.
func extendedEdgeValues(_ s: ScalarType) -> [Int128] {
    if s == .bit { return [0, 1, 1, 0, 1, 0] }
    // Computed here: ScalarType.minValue / maxSigned overflow for i128.
    let maxValue: Int128 = s.isSigned ? Int128(truncatingIfNeeded: s.maxUnsigned >> 1) : Int128(truncatingIfNeeded: s.maxUnsigned)
    let minValue: Int128 = s.isSigned ? ~maxValue : 0
    return [0, 1, -1, minValue, maxValue, 42]
}

/// A custom operation with parameters.
func extendedCustom(_ name: String, _ parameters: [(String, JSONValue)] = []) -> Operation {
    .custom(CustomOperation(name, parameters: parameters))
}
