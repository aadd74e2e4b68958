import ConfideCore

/// CipherCore's `TaylorExponent` (`taylor_exponent.rs`) as basic operations.
enum TaylorExponentExpansion {
    /// ln 2 as an f64 (what Rust's `2.0_f64.ln()` returns).
    static let ln2 = 0.6931471805599453

    /// TaylorExponent(x) with `p = fixed_precision_points` (≤ 15) and `taylor_terms = T`:
    /// approximately `2^p · exp(x / 2^p)` for i64 `x`.
    ///
    /// CipherCore computes `2^(x / ln 2)`: `z = Truncate(x · ⌊2^p / ln 2⌋, 2^p)`; the integer part of
    /// `z` (its bits `p ..< p + m`, `m = ⌈log2(31 − p)⌉`) gives `∏ 2^(2^j)` directly from the bits,
    /// the fractional part `f` (bits `0 ..< p`) gives `Σ_{i<T} (f · ⌊ln 2 · 2^p⌋ / 2^p)^i / i!` with a
    /// `Truncate` after every step; the two multiply. For negative `z` (sign bit set) the bits
    /// describe `z + 2^m`, so the product is divided by `2^(2^m)` instead. Results are 0 where
    /// `z < −10 · 2^p` (signed comparison), as `exp(−10)` is below the precision.
    ///
    /// Accuracy: relative error about `2^−p` plus the Taylor remainder of `T` terms on `[0, ln 2)`
    /// for `x / 2^p` in `[−10, 31 − p)`; beyond `2^m` (integer part) the bits wrap.
    static func taylorExponent(_ e: inout ExpansionEmitter, _ op: CustomOperation, _ args: [Int]) throws -> Int {
        let terms = Int(try TypeInference.customCount(op, "taylor_terms"))
        let p = Int(try TypeInference.customCount(op, "fixed_precision_points"))
        guard p <= 15 else { throw ConfideError(.invalidArgument, "TaylorExponent needs fixed_precision_points <= 15, found \(p)") }
        let argument = args[0]
        let type = e.type(argument)
        let scalar = e.scalar(argument)
        let denominator = UInt128(1) << UInt128(p)

        let oneOverLn2 = try e.constant(scalar, Int128(UInt64(Double(1 << p) / ln2)))
        let z = try e.truncate(try e.multiply(argument, oneOverLn2), denominator)
        let zBinary = try e.a2b(z)
        let zBits = try e.pullOutBits(zBinary)
        let sign = try e.get(zBits, [63])

        // Integer part: 2^(2^j) for every set bit p + j.
        let exponentBits = ceilLog2(31 - p)
        let one = try e.ones(type)
        var integerPart = one
        for j in 0..<exponentBits {
            let bit = try e.get(zBits, [p + j])
            let power = try e.constant(scalar, Int128(UInt64(1) << UInt64(1 << j)))
            let term = try e.add(try e.mixedMultiply(try e.subtract(power, one), bit), one)
            integerPart = try e.multiply(integerPart, term)
        }

        // Fractional part: a Taylor series of 2^f = exp(f · ln 2).
        var fractionalPart = one
        if p > 0 {
            var zeroShape = e.shape(zBits)
            zeroShape[0] = 64 - p
            let low = try e.rows(zBits, 0, p)
            let zeros = try e.zeros(.array(zeroShape, .bit))
            let f = try e.b2a(try e.putInBits(try e.concatenate([low, zeros], axis: 0)), scalar)
            fractionalPart = try e.zeros(e.type(f))
            var coefficient = try e.constant(scalar, rustInt32Literal(Int64(1) << Int64(p)))
            let ln2Fixed = try e.constant(scalar, Int128(UInt64(ln2 * Double(1 << p))))
            let y = try e.truncate(try e.multiply(f, ln2Fixed), denominator)
            for i in 0..<terms {
                fractionalPart = try e.add(fractionalPart, coefficient)
                if i < terms - 1 {
                    coefficient = try e.multiply(coefficient, y)
                    coefficient = try e.truncate(coefficient, UInt128(i + 1) << UInt128(p))
                }
            }
        }

        // Combine; for negative z divide by 2^(2^m) instead; zero below −10.
        let exponent = try e.multiply(fractionalPart, integerPart)
        let inverse = try e.truncate(exponent, UInt128(1) << UInt128(1 << exponentBits))
        let bound = try e.a2b(try e.constant(scalar, rustInt32Literal(-10 * (Int64(1) << Int64(p)))))
        let aboveBound = try e.custom(CustomOperation.comparison("GreaterThanEqualTo", signed: true), [zBinary, bound])
        let chosen = try e.add(exponent, try e.mixedMultiply(try e.subtract(inverse, exponent), sign))
        return try e.mixedMultiply(chosen, aboveBound)
    }

    /// ⌈log2 n⌉ for n >= 1 (the smallest m with 2^m >= n).
    static func ceilLog2(_ n: Int) -> Int {
        var m = 0
        while (1 << m) < n { m += 1 }
        return m
    }
}
