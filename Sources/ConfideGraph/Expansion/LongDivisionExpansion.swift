import ConfideCore

/// CipherCore's `LongDivision {signed}` (`long_division.rs`) as basic bit operations: restoring
/// long division of `n`-bit dividends by `m`-bit divisors (bits in the last axis, least
/// significant first, the other axes broadcast), giving `(quotient: n bits, remainder: m bits)`.
///
/// It computes `|dividend| / |divisor|` one dividend bit at a time from the most significant: the
/// `m`-bit remainder drops its top bit, takes the next dividend bit as its lowest, and
/// `BinaryAdd {overflow_bit: true}` with `−|divisor|` gives the difference and, as its carry, the
/// quotient bit (`remainder ≥ |divisor|`); a `Mux` keeps the difference or the shifted remainder.
/// CipherCore iterates a graph with the bits pulled to the front (`BinaryAddTransposed`); the
/// expansion unrolls the same steps with the bits last, so every bit it computes is CipherCore's.
/// Signed division then rounds toward negative infinity as NumPy's `//` and `%` do (the
/// remainder takes the divisor's sign).
///
/// Values, CipherCore's:
/// - `dividend = quotient · divisor + remainder` with `0 <= remainder < divisor` (unsigned) or the
///   floor rule (signed), as long as the quotient fits; signed `min / −1` wraps to `min`.
/// - Division by zero gives quotient 0 for non-negative dividends, remainder the low `m` bits of
///   the dividend (signed negative dividends: quotient −1, or 0 when those bits are 0).
/// - Unsigned with `n > m` and a divisor above `2^(m−1)`: the dropped top bit of the remainder can
///   be 1, and CipherCore's quotient is wrong. The evaluator refuses such divisors
///   (``ExpansionPreconditions``); the secure planner refuses the operation when `n > m`.
///
/// Requires what type inference checks: bit arrays, `m >= 2` a power of two, signed `n >= 2` a
/// power of two. Reveals nothing: only bitwise operations, additions and multiplexers.
enum LongDivisionExpansion {
    /// The expansion; returns the `(quotient, remainder)` tuple node.
    static func longDivision(_ e: inout ExpansionEmitter, _ op: CustomOperation, _ args: [Int]) throws -> Int {
        let signed = try TypeInference.customFlag(op, "signed")
        let dividend = args[0], divisor = args[1]
        let dividendShape = e.shape(dividend), divisorShape = e.shape(divisor)
        let n = dividendShape[dividendShape.count - 1]
        let m = divisorShape[divisorShape.count - 1]
        let prefix = try Broadcast.shape(Array(dividendShape.dropLast()), Array(divisorShape.dropLast()))
        let last = prefix.count

        let dividendNegative = signed ? try signBit(&e, dividend) : nil
        let divisorNegative = signed ? try signBit(&e, divisor) : nil
        let absDividend = try absolute(&e, dividend, negative: dividendNegative)
        let absDivisor = try absolute(&e, divisor, negative: divisorNegative)
        let minusDivisor = try broadcast(&e, try negative(&e, absDivisor), to: prefix + [m])

        var remainder = try e.zeros(.array(prefix + [m], .bit))
        var quotientBits: [Int] = []
        for k in (0..<n).reversed() {
            let bit = try broadcast(&e, try e.slice(absDividend, [.ellipsis, .subArray(start: k, stop: k + 1, step: nil)]), to: prefix + [1])
            let kept = try e.slice(remainder, [.ellipsis, .subArray(start: 0, stop: m - 1, step: nil)])
            let shifted = try e.concatenate([bit, kept], axis: last)
            let sum = try e.custom(binaryAdd(overflow: true), [shifted, minusDivisor])
            let difference = try e.add(.tupleGet(0), [sum])
            let carry = try e.add(.tupleGet(1), [sum])
            remainder = try e.custom(CustomOperation("Mux"), [carry, difference, shifted])
            quotientBits.append(carry)
        }
        var quotient = try e.concatenate(quotientBits.reversed(), axis: last)

        if let dividendNegative, let divisorNegative {
            (quotient, remainder) = try floorAdjusted(
                &e, quotient: quotient, remainder: remainder, absDivisor: absDivisor,
                dividendNegative: dividendNegative, divisorNegative: divisorNegative)
        }
        return try e.add(.createTuple, [quotient, remainder])
    }

    /// NumPy's floor rule from the quotient and remainder of the absolute values:
    /// a negative result is `−q` when the remainder is 0 and `−q − 1` otherwise; the remainder is
    /// `|divisor| − r` for a negative result (0 when `r` is), negated for a negative divisor.
    private static func floorAdjusted(
        _ e: inout ExpansionEmitter, quotient: Int, remainder: Int, absDivisor: Int, dividendNegative: Int, divisorNegative: Int
    ) throws -> (quotient: Int, remainder: Int) {
        let mux = CustomOperation("Mux")
        let m = e.shape(remainder).last ?? 0
        let resultNegative = try e.add(dividendNegative, divisorNegative)
        let isZero = try e.custom(CustomOperation("Equal"), [remainder, try e.zeros(.array([m], .bit))])
        let remainderIsZero = try e.unsqueeze(isZero, -1)
        let inverted = try e.custom(CustomOperation("Not"), [quotient])
        let negated = try addOne(&e, inverted)
        let negativeQuotient = try e.custom(mux, [remainderIsZero, negated, inverted])
        let adjustedQuotient = try e.custom(mux, [resultNegative, negativeQuotient, quotient])
        let complement = try e.custom(binaryAdd(overflow: false), [absDivisor, try negative(&e, remainder)])
        let signAdjusted = try e.custom(mux, [resultNegative, complement, remainder])
        let positive = try e.custom(mux, [remainderIsZero, remainder, signAdjusted])
        let adjustedRemainder = try e.custom(mux, [divisorNegative, try negative(&e, positive), positive])
        return (adjustedQuotient, adjustedRemainder)
    }

    private static func binaryAdd(overflow: Bool) -> CustomOperation {
        CustomOperation("BinaryAdd", parameters: [("overflow_bit", .bool(overflow))])
    }

    /// The top bit of a signed bit array, keeping its axis (`x[..., -1:]`).
    private static func signBit(_ e: inout ExpansionEmitter, _ a: Int) throws -> Int {
        try e.slice(a, [.ellipsis, .subArray(start: -1, stop: nil, step: nil)])
    }

    /// `|a|` for a signed bit array with sign bits `negative`; `a` itself when unsigned (nil).
    private static func absolute(_ e: inout ExpansionEmitter, _ a: Int, negative isNegative: Int?) throws -> Int {
        guard let isNegative else { return a }
        return try e.custom(CustomOperation("Mux"), [isNegative, try negative(&e, a), a])
    }

    /// The two's complement `−a` (`Not`, then `BinaryAdd` of one).
    private static func negative(_ e: inout ExpansionEmitter, _ a: Int) throws -> Int {
        try addOne(&e, try e.custom(CustomOperation("Not"), [a]))
    }

    /// `a + 1` modulo `2^bits` (`BinaryAdd` of the constant one).
    private static func addOne(_ e: inout ExpansionEmitter, _ a: Int) throws -> Int {
        let bits = e.shape(a).last ?? 0
        let one = try e.constantBits([bits], [1] + [UInt64](repeating: 0, count: bits - 1))
        return try e.custom(binaryAdd(overflow: false), [a, one])
    }

    /// `a` broadcast to `shape` (XOR into zeros, as CipherCore's `broadcast`), or `a` itself when
    /// it has that shape already.
    private static func broadcast(_ e: inout ExpansionEmitter, _ a: Int, to shape: [Int]) throws -> Int {
        guard e.shape(a) != shape else { return a }
        return try e.add(try e.zeros(.array(shape, .bit)), a)
    }
}
