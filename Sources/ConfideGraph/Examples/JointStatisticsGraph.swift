import ConfideCore

/// Joint statistics of two parties' columns about the same rows (vertically split data: a
/// hospital holds each patient's age, a lab the same patient's blood pressure): means, variances,
/// standard deviations, Pearson's correlation and a histogram of the first column, in fixed point.
///
/// Inputs: `x` and `y`, i64[rows], fixed point with `fractionalBits` fractional bits (a CSV column
/// read with `fractional_bits`). Output: a named tuple of i64 scalars `mean_x`, `mean_y`, `var_x`,
/// `var_y`, `std_x`, `std_y`, `correlation` (all with `fractionalBits` fractional bits; population
/// variance) and `histogram` (i64[edges.count − 1], integer counts of `edges[k] ≤ x < edges[k+1]`).
///
/// Built from basic operations and CipherCore's InverseSqrt (denominator cap 20): a mean is a
/// Truncate by the public row count, a standard deviation is `var · InverseSqrt(var)`, and the
/// correlation multiplies the covariance by both inverse square roots.
public enum JointStatisticsGraph {
    /// The InverseSqrt denominator cap. On secrets every truncation of a product z fails with
    /// probability |z|/2^64, and InverseSqrt's Newton step truncates d·x² ≈ 2^(2·cap): cap 20 keeps
    /// that below 2^-24 per step.
    static let cap = 20
    /// The fractional bits of the variance given to InverseSqrt (d = var · 2^4): it balances d's own
    /// precision against the 2^cap/√d result's, both about 10^-4 relative for variances near 300.
    static let varianceBits = 4

    /// The inputs' default fractional bits. On secrets, each product of two deviations (about
    /// 2^(2·(f + 6)) for values near 100) fails its truncation with probability |z|/2^64: 12 bits
    /// keep a run of 3 × 2000 such products below 10^-4, and give means to 2^-12.
    public static let defaultFractionalBits = 12

    /// The rows of the data in `Examples/joint-statistics`.
    public static let defaultRows = 2000

    /// The default histogram edges (ages), before scaling to fixed point.
    public static let defaultEdges: [Double] = [0, 20, 30, 40, 50, 60, 70, 80, 120]

    /// Builds the graph.
    /// - Parameters:
    ///   - rows: the number of rows (≥ 2).
    ///   - fractionalBits: the inputs' fractional bits, 4...20.
    ///   - edges: increasing histogram edges in the inputs' units (at least two).
    /// - Throws: `.invalidArgument` for parameters outside those ranges.
    public static func make(rows: Int, fractionalBits f: Int = defaultFractionalBits, edges: [Double] = defaultEdges) throws -> Context {
        guard rows >= 2 else { throw ConfideError(.invalidArgument, "joint-statistics needs at least 2 rows, found \(rows)") }
        guard (4...20).contains(f) else { throw ConfideError(.invalidArgument, "joint-statistics needs 4...20 fractional bits, found \(f)") }
        guard edges.count >= 2, zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ConfideError(.invalidArgument, "joint-statistics needs at least two increasing histogram edges")
        }
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let x = try g.input(.array([rows], .i64)).named("x")
        let y = try g.input(.array([rows], .i64)).named("y")
        let count = UInt128(rows)
        let unit = UInt128(1) << UInt128(f)

        func mean(_ v: BuilderNode) throws -> BuilderNode { try g.truncate(try g.sum(v, axes: [0]), scale: count) }
        func product(_ a: BuilderNode, _ b: BuilderNode) throws -> BuilderNode { try g.truncate(try g.multiply(a, b), scale: unit) }

        let meanX = try mean(x), meanY = try mean(y)
        let dx = try g.subtract(x, meanX), dy = try g.subtract(y, meanY)
        let varX = try mean(try product(dx, dx)), varY = try mean(try product(dy, dy))
        let covariance = try mean(try product(dx, dy))
        let inverseSqrt = CustomOperation("InverseSqrt", parameters: [("iterations", .int(6)), ("denominator_cap_2k", .int(UInt64(cap)))])
        // InverseSqrt(v · 2^4) = 2^(cap − 2)/√v; var · it = √v · 2^(f + cap − 2), √v · 2^f after the truncation.
        let scale = UInt128(1) << UInt128(cap - varianceBits / 2)
        let isX = try g.custom(inverseSqrt, [try g.truncate(varX, scale: UInt128(1) << UInt128(f - varianceBits))])
        let isY = try g.custom(inverseSqrt, [try g.truncate(varY, scale: UInt128(1) << UInt128(f - varianceBits))])
        let stdX = try g.truncate(try g.multiply(varX, isX), scale: scale)
        let stdY = try g.truncate(try g.multiply(varY, isY), scale: scale)
        // cov · isX → r·σy at f bits; then · isY → r at f bits.
        let scaled = try g.truncate(try g.multiply(covariance, isX), scale: scale)
        let correlation = try g.truncate(try g.multiply(scaled, isY), scale: scale)

        // Histogram: for each edge, how many x lie below it (signed comparisons of the bits).
        let edgeValues = edges.map { Int128(($0 * Double(1 << f)).rounded()) }
        let edgeTensor = Value.tensor(Tensor(.i64, shape: [edges.count], wrapping: edgeValues))
        let edgeBits = try g.a2b(try g.constant(edgeTensor))
        let xBits = try g.a2b(try g.reshape(x, .array([rows, 1], .i64)))
        let below = try g.custom(.comparison("LessThan", signed: true), [xBits, edgeBits])
        // Each bit as an i64 0 or 1 (a public one times the secret bit), summed over the rows.
        let ones = try g.ones(.array([rows, edges.count], .i64))
        let belowCounts = try g.sum(try g.mixedMultiply(ones, below), axes: [0])
        let upper = try g.getSlice(belowCounts, [.subArray(start: 1, stop: nil, step: nil)])
        let lower = try g.getSlice(belowCounts, [.subArray(start: 0, stop: -1, step: nil)])
        let histogram = try g.subtract(upper, lower)

        try g.setOutput(
            try g.createNamedTuple([
                ("mean_x", meanX), ("mean_y", meanY), ("var_x", varX), ("var_y", varY), ("std_x", stdX), ("std_y", stdY),
                ("correlation", correlation), ("histogram", histogram),
            ]))
        try builder.setMain(g)
        return try builder.finish()
    }
}
