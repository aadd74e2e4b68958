import ConfideCore

/// CipherCore's `AucScore {fp}` (`auc.rs`): the area under the ROC curve of labels `y_true` (0 or
/// 1 in fixed point, that is 0 or `2^fp`) and predictions `y_pred` (only their order matters),
/// as an i64 with `fp` fractional bits, equal to scikit-learn's `roc_auc_score` up to rounding.
///
/// As in CipherCore, a "naive" AUC is computed on the data and on the reversed data and the two
/// are averaged (`Truncate(2)` of the sum): the stable `SortByIntegerKey` on the predictions
/// counts a pair of equal predictions as ordered in one pass and reversed in the other, so the
/// average counts it as ½. Each naive AUC sorts `(y_pred, y_true)` by `y_pred`, and from the
/// sorted labels computes `ones = Σ y / 2^fp`, the denominator `ones · (n − ones)`, and the
/// numerator `Σ (zeros before i) · y_i / 2^fp` (a `CumSum` of `2^fp − y`); both are zero-extended
/// to i128 (A2B, zero bits, B2A) and divided by `GoldschmidtDivision` (7 iterations, cap 40),
/// whose result `2^40 · numerator / denominator` is rescaled to `fp` bits and cut to its low 64
/// bits. The Goldschmidt iteration is inlined, so a zero denominator (all labels equal) gives
/// CipherCore's value, 0.
///
/// The truncations of exact multiples of `2^fp` (label sums and products with a label) and the
/// final halving are written `B2A(A2B(Truncate(x)))`, which the evaluator computes as `Truncate`
/// alone, so the values are CipherCore's; the secure planner drops the bits of such a truncation
/// exactly instead of within ±1. Secure results then differ from the evaluator's only through
/// the Goldschmidt iteration's truncations at 2^−40.
///
/// Requires: type inference's conditions (two equal one-dimensional i64 arrays of `n < 2^20`
/// rows), `fp <= 62`, and `(n − 1) · 4^fp < 2^63` so that a count of zeros times two labels
/// never wraps (CipherCore's products wrap silently beyond; with `fp <= 21` every `n` is admitted).
/// Reveals nothing: sorts, arithmetic and conversions on the arguments.
enum AucScoreExpansion {
    /// CipherCore's constants: the divisor bound `2^40` of the Goldschmidt division and its
    /// number of iterations.
    static let divisionBits = 40
    static let iterations = 7

    /// The largest admitted `fp`: the label one, `2^fp`, must be a positive i64.
    static let maximumFractionalBits = 62

    /// The expansion; returns the i64 scalar AUC node.
    /// - Throws: `.outOfRange` for `fp > 62` or `(n − 1) · 4^fp >= 2^63`.
    static func aucScore(_ e: inout ExpansionEmitter, _ op: CustomOperation, _ args: [Int]) throws -> Int {
        let fp = Int(try TypeInference.fixedPrecisionBits(op, "fp"))
        let n = e.shape(args[0])[0]
        try checkRange(fractionalBits: fp, rows: n)
        let first = try naiveAUC(&e, truth: args[0], prediction: args[1], fp: fp, rows: n)
        let reversedTruth = try e.rows(args[0], nil, nil, step: -1)
        let reversedPrediction = try e.rows(args[1], nil, nil, step: -1)
        let second = try naiveAUC(&e, truth: reversedTruth, prediction: reversedPrediction, fp: fp, rows: n)
        return try e.b2a(try exactTruncateBits(&e, try e.add(first, second), 2), .i64)
    }

    /// The admitted `fp` and row counts (see the type's documentation).
    static func checkRange(fractionalBits fp: Int, rows n: Int) throws {
        guard fp <= maximumFractionalBits else {
            throw ConfideError(.outOfRange, "AucScore supports at most \(maximumFractionalBits) fractional bits (the label 1 is 2^fp in i64), found \(fp)")
        }
        let limit = 63 - 2 * fp
        guard n <= 1 || (limit > 0 && Int128(n - 1) < Int128(1) << Int128(limit)) else {
            throw ConfideError(
                .outOfRange,
                "AucScore with \(fp) fractional bits needs (rows − 1) · 4^\(fp) < 2^63 so that its i64 products do not wrap, found \(n) rows; use fewer fractional bits")
        }
    }

    /// One pass without the tie correction: `2^fp · (pairs ranked zero-before-one) / (ones · zeros)`.
    private static func naiveAUC(_ e: inout ExpansionEmitter, truth: Int, prediction: Int, fp: Int, rows n: Int) throws -> Int {
        let joined = try e.add(.createNamedTuple(["y_pred", "y_true"]), [prediction, truth])
        let sortByPrediction = CustomOperation("SortByIntegerKey", parameters: [("key", .string("y_pred"))])
        let labels = try e.add(.namedTupleGet("y_true"), [try e.custom(sortByPrediction, [joined])])
        let scale = UInt128(1) << UInt128(fp)

        let ones = try e.b2a(try exactTruncateBits(&e, try e.add(.sum([0]), [labels]), scale), .i64)
        let zeros = try e.subtract(try e.constant(.i64, Int128(n)), ones)
        let denominator = try e.multiply(ones, zeros)

        let zerosOnPrefix = try e.add(.cumSum(0), [try e.subtract(try e.constant(.i64, Int128(1) << Int128(fp)), labels)])
        let product = try e.add(.nop, [try e.multiply(zerosOnPrefix, labels)])
        let zerosBeforeOnes = try e.b2a(try exactTruncateBits(&e, product, scale), .i64)
        let numeratorBits = try exactTruncateBits(&e, try e.add(.sum([0]), [zerosBeforeOnes]), scale)

        let goldschmidt = CustomOperation(
            "GoldschmidtDivision", parameters: [("iterations", .int(UInt64(iterations))), ("denominator_cap_2k", .int(UInt64(divisionBits)))])
        let quotient = try IterativeDivisionExpansion.goldschmidtDivision(
            &e, goldschmidt, [try zeroExtended(&e, numeratorBits), try zeroExtended(&e, try e.a2b(denominator))])

        let rescaled: Int
        if fp > divisionBits {
            rescaled = try e.multiply(quotient, try e.constant(.i128, rustInt32Literal(Int64(1) << Int64(fp - divisionBits))))
        } else if fp == divisionBits {
            rescaled = quotient
        } else {
            rescaled = try e.truncate(quotient, UInt128(1) << UInt128(divisionBits - fp))
        }
        let low = try e.rows(try e.a2b(rescaled), nil, 64)
        return try e.b2a(low, .i64)
    }

    /// The bits of `Truncate(x, scale)` (`A2B(Truncate(x))`): the planner drops the bits exactly.
    /// The A2B is the truncation's only use, so callers add the B2A.
    private static func exactTruncateBits(_ e: inout ExpansionEmitter, _ x: Int, _ scale: UInt128) throws -> Int {
        try e.a2b(try e.truncate(x, scale))
    }

    /// An i64's bits zero-extended to i128 (CipherCore's `i64_to_i128`: the bits, 64 zero bits, B2A).
    private static func zeroExtended(_ e: inout ExpansionEmitter, _ bits: Int) throws -> Int {
        let extended = try e.concatenate([bits, try e.zeros(e.type(bits))], axis: 0)
        return try e.b2a(extended, .i128)
    }
}
