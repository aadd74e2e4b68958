import ConfideCore
import ConfideGraph
import ConfideMPC

#if canImport(Glibc)
    import Glibc
#endif

/// The fixed-point function rows (reciprocal, inverse square root, exp, sigmoid, division): each
/// is CipherCore's custom operation on 1e5 secret i64 values with 10 fractional bits, run by the
/// secure planner (its expansion on the ABY3 kernels). Each row reports its largest absolute
/// error against float64 on the revealed result.
public enum FixedPointBenchRows {
    /// Fractional bits of these rows' inputs and results.
    public static let fractionBits = 10
    static let count = 100_000

    public static let all: [BenchRow] = [
        row(
            "recip1e5", "reciprocal (NewtonInversion, cap 20, 5 iterations) of 1e5 secret fxp values in [0.5, 4)",
            CustomOperation("NewtonInversion", parameters: [("iterations", .int(5)), ("denominator_cap_2k", .int(20))]),
            ranges: [(0.5, 4)]
        ) { 1 / $0[0] },
        row(
            "rsqrt1e5", "inverse square root (InverseSqrt, cap 15, 5 iterations) of 1e5 secret fxp values in [0.5, 4)",
            CustomOperation("InverseSqrt", parameters: [("iterations", .int(5)), ("denominator_cap_2k", .int(15))]),
            ranges: [(0.5, 4)]
        ) { 1 / $0[0].squareRoot() },
        row(
            "exp1e5", "exp (TaylorExponent, 8 terms) of 1e5 secret fxp values in [-4, 4)",
            CustomOperation("TaylorExponent", parameters: [("taylor_terms", .int(8)), ("fixed_precision_points", .int(UInt64(fractionBits)))]),
            ranges: [(-4, 4)]
        ) { exp($0[0]) },
        row(
            "sigmoid1e5", "sigmoid (ApproxSigmoid, 32 segments) of 1e5 secret fxp values in [-4, 4)",
            CustomOperation("ApproxSigmoid", parameters: [("precision", .int(UInt64(fractionBits))), ("approximation_log_buckets", .int(5))]),
            ranges: [(-4, 4)]
        ) { 1 / (1 + exp(-$0[0])) },
        row(
            "div1e5", "division (GoldschmidtDivision, cap 20, 5 iterations, then Truncate 2^10) of 1e5 secret fxp pairs in [0.5, 4)",
            CustomOperation("GoldschmidtDivision", parameters: [("iterations", .int(5)), ("denominator_cap_2k", .int(20))]),
            ranges: [(0.5, 4), (0.5, 4)], truncate: 1 << 10
        ) { $0[0] / $0[1] },
    ]

    /// A row of `operation` on secret inputs uniform in `ranges`, optionally truncated after.
    static func row(
        _ name: String, _ description: String, _ operation: CustomOperation, ranges: [(Double, Double)], truncate: UInt128? = nil,
        reference: @escaping @Sendable ([Double]) -> Double
    ) -> BenchRow {
        let program = try! plannedProgram(operation, arity: ranges.count, truncate: truncate)
        return BenchRow(
            name, description,
            inputs: { ranges.enumerated().map { uniform(seed: UInt8(40 + $0.offset), $0.element.0, $0.element.1) } },
            error: { inputs, result in
                let unit = Double(1 << fractionBits)
                var worst = 0.0
                for i in 0..<result.count {
                    let real = reference(inputs.map { Double($0.value(at: i)) / unit })
                    worst = max(worst, abs(Double(result.value(at: i)) / unit - real))
                }
                return worst
            },
            secure: { party, shares in
                guard case let .shared(out) = try await program.execute(shares.map { .shared($0) }, party: party) else {
                    throw ConfideError(.evaluation, "\(name): the result is not a secret tensor")
                }
                return out
            })
    }

    /// The one-operation program the row times.
    static func plannedProgram(_ operation: CustomOperation, arity: Int, truncate: UInt128?) throws -> SecureProgram {
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let inputs = try (0..<arity).map { _ in try g.input(.array([count], .i64)) }
        var out = try g.custom(operation, inputs)
        if let truncate { out = try g.truncate(out, scale: truncate) }
        try g.setOutput(out)
        try builder.setMain(g)
        return try SecureProgram(try builder.finish(), spec: IOSpec(inputs: (0..<arity).map { .party($0 % 3) }, output: .secretShared))
    }

    /// `count` i64 values uniform in [low, high) with ``fractionBits`` fractional bits.
    static func uniform(seed: UInt8, _ low: Double, _ high: Double) -> Tensor {
        var generator = try! AESCTRGenerator(key: [UInt8](repeating: seed, count: 16))
        let unit = Double(1 << fractionBits)
        let lo = Int128((low * unit).rounded()), span = UInt64(((high - low) * unit).rounded())
        return Tensor(.i64, shape: [count], wrapping: (0..<count).map { _ in lo + Int128(generator.uniform(below: span)) })
    }
}
