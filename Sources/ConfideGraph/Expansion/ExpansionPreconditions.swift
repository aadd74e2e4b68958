import ConfideCore

/// The argument ranges outside which CipherCore's fixed-point operations return meaningless
/// numbers rather than an error. The plaintext evaluator checks them before it runs an expansion
/// (they are cheap on plaintext; a secure evaluation cannot check them). Errors are `.outOfRange`
/// and name the operation, its parameters and the range, never the values.
enum ExpansionPreconditions {
    /// - Throws: `.outOfRange` when an argument of `operation` is outside its range, or
    ///   `.invalidArgument` when the parameters make CipherCore's own constants wrap.
    static func check(_ operation: CustomOperation, _ arguments: [Value]) throws {
        let tensors = arguments.compactMap(\.tensor)
        guard tensors.count == arguments.count else { return }
        switch operation.name {
        case "NewtonInversion":
            let cap = Int(try TypeInference.customCount(operation, "denominator_cap_2k"))
            guard cap <= 29 else {
                throw ConfideError(.invalidArgument, "NewtonInversion: with denominator_cap_2k \(cap) CipherCore's 32-bit constant 2^\(cap + 1) wraps; use at most 29")
            }
            try checkDivisor(operation.name, tensors[0], approximation: tensors.count == 2 ? tensors[1] : nil, cap: cap)
        case "GoldschmidtDivision":
            let cap = Int(try TypeInference.customCount(operation, "denominator_cap_2k"))
            try checkDivisor(operation.name, tensors[1], approximation: tensors.count == 3 ? tensors[2] : nil, cap: cap)
            try checkDividend(tensors[0], tensors[1], cap: cap)
        case "InverseSqrt":
            let cap = Int(try TypeInference.customCount(operation, "denominator_cap_2k"))
            guard cap <= 30 else {
                throw ConfideError(.invalidArgument, "InverseSqrt: with denominator_cap_2k \(cap) CipherCore's 32-bit constant 3·2^\(cap - 1) wraps; use at most 30")
            }
            try checkInverseSqrt(tensors[0], approximation: tensors.count == 2 ? tensors[1] : nil, cap: cap)
        case "TaylorExponent":
            try checkTaylorExponent(operation, tensors[0])
        case "LongDivision":
            if try !TypeInference.customFlag(operation, "signed") {
                try checkUnsignedDivisor(dividend: tensors[0], divisor: tensors[1])
            }
        default:
            if let function = PiecewiseLinearTable.Function(rawValue: operation.name) {
                let precision = Int(try TypeInference.customCount(operation, "precision"))
                let buckets = function == .exponent ? 6 : Int(try TypeInference.customCount(operation, "approximation_log_buckets"))
                if PiecewiseLinearTable(function, precision: precision, logBuckets: buckets).overflowed {
                    throw ConfideError(
                        .invalidArgument,
                        "\(operation.name): at precision \(precision) CipherCore's segment constants overflow 64 bits (they wrap); use a smaller precision")
                }
            }
        }
    }

    /// `0 < d < 2^cap` (the bits the initial approximation examines), or with an initial
    /// approximation `x0`: `d > 0` and `2^(cap−1) <= d · x0 < 2^(cap+1)` (CipherCore's condition).
    private static func checkDivisor(_ name: String, _ divisor: Tensor, approximation: Tensor?, cap: Int) throws {
        let limit = Int128(1) << Int128(cap)
        for i in 0..<divisor.count {
            let d = divisor.value(at: i)
            guard d > 0 else {
                throw ConfideError(.outOfRange, "\(name) needs positive divisors; found one <= 0")
            }
            if let approximation {
                let (product, overflow) = d.multipliedReportingOverflow(by: approximation.value(at: i % approximation.count))
                guard !overflow, product >= limit >> 1, product >> 1 < limit else {
                    throw ConfideError(
                        .outOfRange,
                        "\(name) (denominator_cap_2k = \(cap)) needs divisor · initial approximation in [2^\(cap - 1), 2^\(cap + 1)); found one outside")
                }
            } else if d >= limit {
                throw ConfideError(.outOfRange, "\(name) (denominator_cap_2k = \(cap)) needs divisors in [1, 2^\(cap)); found one outside")
            }
        }
    }

    /// The iteration's products stay in range: `|n| · 2^(2·cap + 2) / d < 2^(bits − 1)` (`2^bits`
    /// unsigned), an upper bound on every `a · w` of the iteration (checked in double precision).
    private static func checkDividend(_ dividend: Tensor, _ divisor: Tensor, cap: Int) throws {
        let scalar = dividend.scalarType
        let limit = Double(sign: .plus, exponent: scalar.isSigned ? scalar.bits - 1 : scalar.bits, significand: 1)
        let scale = Double(sign: .plus, exponent: 2 * cap + 2, significand: 1)
        let shape = try Broadcast.shape(dividend.shape, divisor.shape)
        let dividendIndices = Broadcast.sourceIndices(from: dividend.shape, to: shape) ?? Array(0..<dividend.count)
        let divisorIndices = Broadcast.sourceIndices(from: divisor.shape, to: shape) ?? Array(0..<divisor.count)
        for (n, d) in zip(dividendIndices, divisorIndices) {
            let magnitude = Double(dividend.value(at: n).magnitude)
            guard magnitude * scale / Double(divisor.value(at: d)) < limit else {
                throw ConfideError(
                    .outOfRange,
                    "GoldschmidtDivision (denominator_cap_2k = \(cap)) needs |dividend| · 2^\(2 * cap + 2) / divisor < 2^\(Int(limit.exponent)) so that its \(scalar) products do not wrap; found a dividend outside")
            }
        }
    }

    /// `0 < d < 4^cap` (the bits the initial approximation examines), or with an initial
    /// approximation `x0`: `d > 0` and `4^(cap−1) <= d · x0² <= 4^cap` (CipherCore's documented
    /// condition, read with the square that `x0 ≈ 2^cap / sqrt(d)` implies).
    private static func checkInverseSqrt(_ divisor: Tensor, approximation: Tensor?, cap: Int) throws {
        let limit = Int128(1) << Int128(2 * cap)
        for i in 0..<divisor.count {
            let d = divisor.value(at: i)
            guard d > 0 else {
                throw ConfideError(.outOfRange, "InverseSqrt needs positive arguments; found one <= 0")
            }
            if let approximation {
                let x = approximation.value(at: i % approximation.count)
                let (square, o1) = x.multipliedReportingOverflow(by: x)
                let (product, o2) = square.multipliedReportingOverflow(by: d)
                guard !o1, !o2, product >= limit >> 2, product <= limit else {
                    throw ConfideError(
                        .outOfRange,
                        "InverseSqrt (denominator_cap_2k = \(cap)) needs argument · approximation² in [2^\(2 * cap - 2), 2^\(2 * cap)]; found one outside")
                }
            } else if d >= limit {
                throw ConfideError(.outOfRange, "InverseSqrt (denominator_cap_2k = \(cap)) needs arguments in [1, 2^\(2 * cap)); found one outside")
            }
        }
    }

    /// Unsigned LongDivision with an `n`-bit dividend wider than the `m`-bit divisor needs divisors
    /// of at most `2^(m−1)`: above, CipherCore drops a remainder bit that can be 1, and its quotient
    /// is wrong.
    private static func checkUnsignedDivisor(dividend: Tensor, divisor: Tensor) throws {
        let n = dividend.shape.last ?? 0
        let m = divisor.shape.last ?? 0
        guard n > m, m > 0 else { return }
        for row in 0..<(divisor.count / m) where divisor.value(at: row * m + m - 1) != 0 {
            let lower = (0..<(m - 1)).contains { divisor.value(at: row * m + $0) != 0 }
            if lower {
                throw ConfideError(
                    .outOfRange,
                    "LongDivision (signed: false) of \(n)-bit dividends needs \(m)-bit divisors of at most 2^\(m - 1), where CipherCore's quotient is exact; found one above (widen the divisor to \(n) bits)")
            }
        }
    }

    /// `x · ⌊2^p / ln 2⌋` fits in i64 and its integer part `z / 2^p` is below `2^m`
    /// (`m = ⌈log2(31 − p)⌉`, the integer bits CipherCore reads).
    private static func checkTaylorExponent(_ operation: CustomOperation, _ argument: Tensor) throws {
        let p = Int(try TypeInference.customCount(operation, "fixed_precision_points"))
        let m = TaylorExponentExpansion.ceilLog2(31 - p)
        let factor = Int128(UInt64(Double(1 << p) / TaylorExponentExpansion.ln2))
        let zLimit = Int128(1) << Int128(p + m)
        for i in 0..<argument.count {
            let product = argument.value(at: i) * factor
            guard product >= Int128(Int64.min), product <= Int128(Int64.max), product / (Int128(1) << Int128(p)) < zLimit else {
                throw ConfideError(
                    .outOfRange,
                    "TaylorExponent (fixed_precision_points = \(p)) needs arguments x with x / 2^\(p) < 2^\(m) · ln 2; found one outside")
            }
        }
    }
}
