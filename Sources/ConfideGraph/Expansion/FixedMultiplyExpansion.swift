import ConfideCore

/// CipherCore's `FixedMultiply` (`fixed_precision/fixed_multiply.rs`) as basic operations.
enum FixedMultiplyExpansion {
    /// FixedMultiply(a, b) with `config = {fractional_bits: f, debug}`: `Truncate(a · b, 2^f)`, the
    /// i64 product (wrapping modulo 2^64) divided by `2^f` rounding toward zero — exact up to
    /// that rounding while `|a · b| < 2^63`.
    ///
    /// With `debug: true` the product first passes an `Assert` ("Integer overflow") whose condition
    /// is CipherCore's `is_multiplication_safe_from_overflow`: after flipping every bit of a
    /// negative operand, no bit `i` of `a` and bit `j` of `b` with `i + j >= 56` are both set. That
    /// guarantees `|a · b| < 2^63` (it is conservative: it also fails some safe products).
    static func fixedMultiply(_ e: inout ExpansionEmitter, _ op: CustomOperation, _ args: [Int]) throws -> Int {
        let fractionalBits = try TypeInference.fixedPrecisionBits(op, "config")
        let debug = op["config"]?["debug"]?.boolValue ?? false
        var product = try e.multiply(args[0], args[1])
        if debug {
            let safe = try multiplicationIsSafe(&e, args[0], args[1])
            product = try e.add(.assert("Integer overflow"), [safe, product])
        }
        return try e.truncate(product, UInt128(1) << UInt128(fractionalBits))
    }

    /// A bit scalar: 1 when no pair of bits `x[i]`, `y[j]` with `i + j >= 56` is set (negative
    /// operands with all bits flipped first).
    static func multiplicationIsSafe(_ e: inout ExpansionEmitter, _ x: Int, _ y: Int) throws -> Int {
        let xBits = try magnitudeBits(&e, x)
        let yBits = try magnitudeBits(&e, y)
        let pairs = try e.multiply(try e.unsqueeze(xBits, -1), try e.unsqueeze(yBits, -2))
        var mask: [UInt64] = []
        for i in 0..<64 {
            for j in 0..<64 { mask.append(i + j >= 56 ? 1 : 0) }
        }
        let masked = try e.multiply(pairs, try e.constantBits([64, 64], mask))
        var clear = try e.add(masked, try e.ones(e.type(masked)))
        while e.type(clear).isArray {
            clear = try e.reduceMultiplyLastAxis(clear)
        }
        return clear
    }

    /// The 64 bits of `x`, each XORed with the sign bit.
    private static func magnitudeBits(_ e: inout ExpansionEmitter, _ x: Int) throws -> Int {
        let bits = try e.a2b(x)
        let sign = try e.slice(bits, [.ellipsis, .subArray(start: -1, stop: nil, step: nil)])
        return try e.add(bits, sign)
    }
}
