import ConfideCore

/// CipherCore's piecewise-linear approximations `ApproxExponent`, `ApproxSigmoid`, `ApproxGelu`
/// and `ApproxGeluDerivative` (`pwl/*.rs`) as basic operations.
enum PiecewiseLinearExpansion {
    /// The approximation of `function` on i64 fixed-point `x` with `precision` fractional bits
    /// (`approximation_log_buckets` segments; ApproxExponent always uses 6).
    ///
    /// Every segment's line is evaluated (`x · alphas + betas`); the segment of `x` is chosen from
    /// the bits of `Truncate(x − left·2^p, (right − left)·2^(p − b))`: a bit tree over its low `b`
    /// bits inside `[left, right)`, the left segment when it is negative, the right segment when a
    /// higher bit is set; the sum of the masked choices is truncated by `2^p`.
    ///
    /// Accuracy (CipherCore's figures at precision 15 with 5 log buckets, absolute): sigmoid
    /// ≈ 0.0045, GELU ≈ 0.0059, GELU derivative ≈ 0.006; ApproxExponent (6 buckets on [−16, 16])
    /// is flat (`exp(−16)`) below −16 with relative error up to ≈ 22 % near the left end and a
    /// linear extrapolation above 16. Outside the interval the flattened ends are constant and
    /// the others extrapolate the outer segment.
    static func approximation(
        _ e: inout ExpansionEmitter, _ function: PiecewiseLinearTable.Function, _ op: CustomOperation, _ args: [Int]
    ) throws -> Int {
        let precision = Int(try TypeInference.customCount(op, "precision"))
        let logBuckets = function == .exponent ? 6 : Int(try TypeInference.customCount(op, "approximation_log_buckets"))
        guard (1...30).contains(precision), (1...30).contains(logBuckets) else {
            throw ConfideError(.invalidArgument, "\(op.name) needs precision and log buckets in 1...30")
        }
        let table = PiecewiseLinearTable(function, precision: precision, logBuckets: logBuckets)
        return try build(&e, table: table, function: function, precision: precision, logBuckets: logBuckets, x: args[0])
    }

    private static func build(
        _ e: inout ExpansionEmitter, table: PiecewiseLinearTable, function: PiecewiseLinearTable.Function,
        precision: Int, logBuckets: Int, x: Int
    ) throws -> Int {
        let scalar = e.scalar(x)
        let bitLength = scalar.bits
        let segments = table.alphas.count
        let alphas = try e.constantArray(scalar, table.alphas.map { Int128($0) })
        let betas = try e.constantArray(scalar, table.betas.map { Int128($0) })
        let expanded = try e.reshape(x, .array(e.shape(x) + [1], scalar))
        let lines = try e.add(try e.multiply(expanded, alphas), betas)
        let rank = e.shape(lines).count
        let candidates = try e.permuteAxes(lines, [rank - 1] + Array(0..<(rank - 1)))

        let (left, right) = function.interval
        let unit = Float(Int32(truncatingIfNeeded: 1 << precision))
        let leftNode = try e.constant(scalar, Int128(PiecewiseLinearTable.rustInt64(left * unit)))
        let shifted = try e.subtract(x, leftNode)
        let divisor: UInt128
        if logBuckets <= precision {
            divisor = PiecewiseLinearTable.rustUInt128((right - left) * Float(Int32(truncatingIfNeeded: 1 << (precision - logBuckets))))
        } else {
            divisor = PiecewiseLinearTable.rustUInt128(right - left) >> UInt128(logBuckets - precision)
        }
        guard divisor > 0 else {
            throw ConfideError(.invalidArgument, "\(function.rawValue): \(logBuckets) log buckets are too many for precision \(precision)")
        }
        let scaled = try e.truncate(shifted, divisor)
        let bits = try e.pullOutBits(try e.a2b(scaled))
        let sign = try e.get(bits, [bitLength - 1])
        let highBits = try e.rows(bits, logBuckets, bitLength - 1)
        let lowBits = try e.rows(bits, 0, logBuckets)

        let inner = try treeRetrieve(&e, lowBits, try e.rows(candidates, 1, segments - 1))
        let leftValue = try e.get(candidates, [0])
        let rightValue = try e.get(candidates, [segments - 1])
        let one = try e.ones(.scalar(.bit))
        let isLeft = sign
        let isRight = try e.multiply(try anyBitSet(&e, highBits), try e.add(sign, one))
        let isInner = try e.multiply(try e.add(isLeft, one), try e.add(isRight, one))
        let innerMasked = try e.mixedMultiply(inner, isInner)
        let leftMasked = try e.mixedMultiply(leftValue, isLeft)
        let rightMasked = try e.mixedMultiply(rightValue, isRight)
        let sum = try e.add(try e.add(innerMasked, leftMasked), rightMasked)
        return try e.truncate(sum, UInt128(1) << UInt128(precision))
    }

    /// Selects `values[index]` (along the first axis, `2^n` rows) where `index` is the number
    /// whose bits are the `n` rows of `bits`, by halving the candidates bit by bit.
    private static func treeRetrieve(_ e: inout ExpansionEmitter, _ bits: Int, _ values: Int) throws -> Int {
        let n = e.shape(bits)[0]
        guard e.shape(values)[0] == 1 << n else {
            throw ConfideError(.invalidArgument, "tree retrieval needs 2^\(n) leaves, found \(e.shape(values)[0])")
        }
        var data = values
        for bitIndex in 0..<n {
            let bit = try e.get(bits, [bitIndex])
            let length = 1 << (n - bitIndex)
            let even = try e.rows(data, 0, length - 1, step: 2)
            let odd = try e.rows(data, 1, length, step: 2)
            data = try e.add(try e.mixedMultiply(try e.subtract(odd, even), bit), even)
        }
        return try e.get(data, [0])
    }

    /// 1 where any row of `bits` (along the first axis) is 1: NOT of the AND of the negations,
    /// reduced pairwise as CipherCore does (an odd row count carries the last row along).
    private static func anyBitSet(_ e: inout ExpansionEmitter, _ bits: Int) throws -> Int {
        let one = try e.ones(.scalar(.bit))
        var unset = try e.add(bits, one)
        while e.shape(unset)[0] > 1 {
            let n = e.shape(unset)[0]
            let k = n / 2
            let reduced = try e.multiply(try e.rows(unset, 0, k), try e.rows(unset, k, 2 * k))
            if n % 2 == 0 {
                unset = reduced
            } else {
                let last = try e.get(unset, [n - 1])
                let lastRow = try e.reshape(last, .array([1] + e.shape(last), .bit))
                unset = try e.concatenate([reduced, lastRow], axis: 0)
            }
        }
        return try e.add(try e.get(unset, [0]), one)
    }
}
