import ConfideCore

/// CipherCore's iterative inversions (`newton_inversion.rs`, `inverse_sqrt.rs`,
/// `goldschmidt_division.rs`) as basic operations, node for node as CipherCore instantiates them.
///
/// All three work in fixed point with `cap = denominator_cap_2k` fractional bits: every product of
/// two fixed-point values is followed by `Truncate(2^cap)`, which rounds toward zero for signed
/// types. No operation checks its argument range; outside it the results are meaningless.
enum IterativeDivisionExpansion {
    /// NewtonInversion(d[, x0]): approximately `2^cap / d` (`x ← x · (2^(cap+1) − d·x) / 2^cap`,
    /// `iterations` times, from ``InitialApproximationExpansion/inverse(_:divisor:cap:)`` or `x0`).
    ///
    /// Accuracy (CipherCore's documented range `0 < d < 2^cap`, cap ≤ 30, iterations ≥
    /// 1 + log2(cap)): within 1 of `⌊2^cap / d⌋`. The constant `2^(cap+1)` is a 32-bit literal in
    /// CipherCore; for cap = 30 it wraps to `−2^31` (kept, for bit-identical results).
    static func newtonInversion(_ e: inout ExpansionEmitter, _ op: CustomOperation, _ args: [Int]) throws -> Int {
        let iterations = try TypeInference.customCount(op, "iterations")
        let cap = Int(try TypeInference.customCount(op, "denominator_cap_2k"))
        let divisor = args[0]
        let scalar = e.scalar(divisor)
        var x: Int
        if args.count == 2 {
            x = args[1]
        } else if cap == 0 {
            x = try e.ones(e.type(divisor))
        } else {
            x = try InitialApproximationExpansion.inverse(&e, divisor: divisor, cap: cap)
        }
        let twoPowerCapPlusOne = try e.constant(scalar, rustInt32Literal(Int64(1) << Int64(cap + 1)))
        for _ in 0..<iterations {
            let dx = try e.multiply(x, divisor)
            let factor = try e.subtract(twoPowerCapPlusOne, dx)
            x = try e.truncate(try e.multiply(factor, x), UInt128(1) << UInt128(cap))
        }
        return x
    }

    /// InverseSqrt(d[, x0]): approximately `2^cap / sqrt(d)`
    /// (`x ← x · (3·2^(cap−1) − (d·x·x) / 2^(cap+1)) / 2^cap`, `iterations` times, from
    /// ``InitialApproximationExpansion/inverseSqrt(_:divisor:cap:)`` or `x0`).
    ///
    /// Accuracy (documented range `0 < d < 2^(2·cap − 1)`, cap ≤ 30, enough iterations): within a
    /// few units of `2^cap / sqrt(d)`, relative error about `2^−cap · sqrt(d)`. The constant
    /// `3·2^(cap−1)` is a 32-bit literal in CipherCore and wraps for cap = 31 (kept).
    static func inverseSqrt(_ e: inout ExpansionEmitter, _ op: CustomOperation, _ args: [Int]) throws -> Int {
        let iterations = try TypeInference.customCount(op, "iterations")
        let cap = Int(try TypeInference.customCount(op, "denominator_cap_2k"))
        guard cap >= 2 else { throw ConfideError(.invalidArgument, "InverseSqrt needs denominator_cap_2k >= 2, found \(cap)") }
        let divisor = args[0]
        let scalar = e.scalar(divisor)
        var x = args.count == 2 ? args[1] : try InitialApproximationExpansion.inverseSqrt(&e, divisor: divisor, cap: cap)
        let threeHalves = try e.constant(scalar, rustInt32Literal(Int64(3) << Int64(cap - 1)))
        for _ in 0..<iterations {
            let dxx = try e.multiply(try e.multiply(divisor, x), x)
            let normalized = try e.truncate(dxx, UInt128(1) << UInt128(cap + 1))
            let factor = try e.subtract(threeHalves, normalized)
            x = try e.truncate(try e.multiply(factor, x), UInt128(1) << UInt128(cap))
        }
        return x
    }

    /// GoldschmidtDivision(n, d[, w0]): approximately `2^cap · n / d`. With `w = w0` (or the
    /// initial approximation of `d`), `a = n·w`, `b = d·w`, then `iterations − 1` times
    /// `w = 2^(cap+1) − b`, `a = a·w / 2^cap`, `b = b·w / 2^cap`; the result is `a`.
    ///
    /// Accuracy (documented range `0 < n, d < 2^(cap−1)`, enough iterations): within a few units
    /// of `2^cap · n / d` while `n · 2^(2·cap+1) / d` stays below the type's range (products wrap).
    static func goldschmidtDivision(_ e: inout ExpansionEmitter, _ op: CustomOperation, _ args: [Int]) throws -> Int {
        let iterations = try TypeInference.customCount(op, "iterations")
        let cap = Int(try TypeInference.customCount(op, "denominator_cap_2k"))
        let dividend = args[0], divisor = args[1]
        let scalar = e.scalar(dividend)
        var w: Int
        if args.count == 3 {
            w = args[2]
        } else if cap == 0 {
            w = try e.ones(e.type(divisor))
        } else {
            w = try InitialApproximationExpansion.inverse(&e, divisor: divisor, cap: cap)
        }
        let twoPowerCapPlusOne = try e.constant(scalar, Int128(truncatingIfNeeded: UInt128(1) << UInt128(cap + 1)))
        var a = try e.multiply(dividend, w)
        var b = try e.multiply(divisor, w)
        var remaining = iterations
        while remaining > 1 {
            w = try e.subtract(twoPowerCapPlusOne, b)
            a = try e.truncate(try e.multiply(a, w), UInt128(1) << UInt128(cap))
            b = try e.truncate(try e.multiply(b, w), UInt128(1) << UInt128(cap))
            remaining -= 1
        }
        return a
    }
}
