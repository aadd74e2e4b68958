import ConfideCore
import ConfideGraph
import Foundation
import Testing

@testable import ConfideMPC

/// CipherCore's fixed-point custom operations on secrets: the planner runs their expansions on the
/// ABY3 kernels. Each result is compared with the plaintext evaluator (the operation's definition)
/// and with the real function in float64; the secure result may differ from the evaluator's
/// because every secret truncation is within ±1 of the exact quotient (``ABY3Party/truncA(_:bits:signed:)``).
@Suite("Fixed-point operations on secrets")
struct FixedPointPlannerTests {
    /// One operation on secret inputs of parties 0 (and 1), revealed to party 2: the secure result,
    /// the evaluator's, and the rounds and bytes of party 0.
    static func run(_ operation: CustomOperation, _ arguments: [Value]) async throws -> (secure: [Int128], plain: [Int128], rounds: Int) {
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        var inputs: [BuilderNode] = []
        for value in arguments { inputs.append(try g.input(value.type)) }
        try g.setOutput(try g.custom(operation, inputs))
        try builder.setMain(g)
        let context = try builder.finish()
        let expected = try #require(try Evaluator().evaluate(context, inputs: arguments).tensor)
        let owners = arguments.indices.map { IOSpec.Input.party($0 % 2) }
        let program = try SecureProgram(context, spec: IOSpec(inputs: owners, output: .parties([2])))
        let perParty = (0..<3).map { p in arguments.indices.map { i in owners[i] == .party(p) ? arguments[i] : Value.zeros(arguments[i].type) } }
        let results = try await LocalSimulation.run(program, inputs: perParty)
        let got = try #require(results[2].value?.tensor)
        // The estimate of a planned program is exact in bytes.
        let estimate = try program.estimatedCost()
        let counted = countedCost(results.map(\.traffic))
        #expect(estimate.bytesSent == counted.bytesSent, "\(operation.name): estimated bytes")
        #expect(estimate.rounds >= counted.rounds, "\(operation.name): estimated rounds")
        return ((0..<got.count).map { got.value(at: $0) }, (0..<expected.count).map { expected.value(at: $0) }, results.map(\.traffic.rounds).max()!)
    }

    static func tensor(_ values: [Int128], _ s: ScalarType = .i64) -> Value {
        .tensor(Tensor(s, shape: [values.count], wrapping: values))
    }

    /// `count` values uniform in [low, high), after the given edges.
    static func uniform(_ seed: UInt8, _ low: Int128, _ high: Int128, count: Int, edges: [Int128]) -> [Int128] {
        var data = MPCTestData(seed: seed)
        let span = UInt64(high - low)
        return edges + (0..<count).map { _ in low + Int128(data.generator.uniform(below: span)) }
    }

    @Test func fixedMultiplyIsTheFusedProduct() async throws {
        let f = 16
        // |a·b| < 2^30: a secret truncation fails with probability below 2^-34 per element.
        let a = Self.uniform(1, -(1 << 15), 1 << 15, count: 60, edges: [0, 1, -1, 1 << 14, -(1 << 14)])
        let b = Self.uniform(2, -(1 << 15), 1 << 15, count: 60, edges: [0, -1, 1, (1 << 15) - 1, 3])
        let op = CustomOperation("FixedMultiply", parameters: [("config", .object([("fractional_bits", .int(UInt64(f))), ("debug", .bool(false))]))])
        let (secure, plain, rounds) = try await Self.run(op, [Self.tensor(a), Self.tensor(b)])
        for i in secure.indices { #expect(abs(secure[i] - plain[i]) <= 1, "element \(i)") }
        // Two inputs, one fused multiply-and-truncate round, one reveal.
        #expect(rounds == 4)
    }

    @Test func fixedMultiplyWithDebugIsRefusedNamingTheNode() throws {
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let x = try g.input(.array([4], .i64))
        let op = CustomOperation("FixedMultiply", parameters: [("config", .object([("fractional_bits", .int(8)), ("debug", .bool(true))]))])
        try g.setOutput(try g.custom(op, [x, x]).named("product"))
        try builder.setMain(g)
        let error = #expect(throws: ConfideError.self) { try SecureProgram(try builder.finish(), spec: IOSpec(inputs: [.party(0)], output: .public)) }
        #expect(error?.code == .unsupportedOperation)
        #expect(error?.message.contains("product") == true && error?.message.contains("debug: true") == true)
    }

    /// NewtonInversion (cap 16, 6 iterations) of d in [1, 2^15): 2^16/d. The secure result is within
    /// 4 of the evaluator's and within 4 + 2^16/d² · 4 of the real quotient.
    @Test func newtonInversion() async throws {
        let cap = 16
        let d = Self.uniform(3, 1, 1 << 15, count: 60, edges: [1, 2, 3, 255, 256, 257, (1 << 15) - 1])
        let op = CustomOperation("NewtonInversion", parameters: [("iterations", .int(6)), ("denominator_cap_2k", .int(UInt64(cap)))])
        let (secure, plain, _) = try await Self.run(op, [Self.tensor(d)])
        for i in d.indices {
            #expect(abs(secure[i] - plain[i]) <= 4, "d = \(d[i]): \(secure[i]) vs \(plain[i])")
            let real = Double(1 << cap) / Double(d[i])
            #expect(abs(Double(secure[i]) - real) <= 5, "d = \(d[i])")
        }
    }

    /// InverseSqrt (cap 16, 6 iterations) of d in [1, 2^24): 2^16/√d, within 8 of the evaluator.
    @Test func inverseSqrt() async throws {
        let cap = 16
        let d = Self.uniform(4, 1, 1 << 24, count: 60, edges: [1, 2, 4, 1 << 16, (1 << 24) - 1])
        let op = CustomOperation("InverseSqrt", parameters: [("iterations", .int(6)), ("denominator_cap_2k", .int(UInt64(cap)))])
        let (secure, plain, _) = try await Self.run(op, [Self.tensor(d)])
        for i in d.indices {
            #expect(abs(secure[i] - plain[i]) <= 8, "d = \(d[i]): \(secure[i]) vs \(plain[i])")
            let real = Double(1 << cap) / Double(d[i]).squareRoot()
            #expect(abs(Double(secure[i]) - real) <= 8 + real * 1e-3, "d = \(d[i])")
        }
    }

    /// GoldschmidtDivision (cap 16, 5 iterations) of n / d for n, d in [1, 2^15): 2^16·n/d, within
    /// 2^-10 relative (plus 16) of the evaluator.
    @Test func goldschmidtDivision() async throws {
        let cap = 16
        let n = Self.uniform(5, 1, 1 << 15, count: 50, edges: [1, 1, (1 << 15) - 1, 7])
        let d = Self.uniform(6, 1, 1 << 15, count: 50, edges: [1, (1 << 15) - 1, 1, 3])
        let op = CustomOperation("GoldschmidtDivision", parameters: [("iterations", .int(5)), ("denominator_cap_2k", .int(UInt64(cap)))])
        let (secure, plain, _) = try await Self.run(op, [Self.tensor(n), Self.tensor(d)])
        for i in n.indices {
            #expect(abs(Double(secure[i] - plain[i])) <= 16 + Double(abs(plain[i])) / 1024, "\(n[i]) / \(d[i]): \(secure[i]) vs \(plain[i])")
        }
    }

    /// The piecewise-linear approximations at precision 15 with 32 segments: within 4 units of the
    /// evaluator's value from the interval's left end on (one truncation of the segment's line;
    /// the segment index comes from exact bits, ``SecureProgram/bitTruncations(graph:uses:)``), and
    /// within the expansion's bound (plus 8 units) of the real function. Left of the interval the
    /// secure value is the flat left segment, where the evaluator (rounding toward zero) still
    /// extrapolates the first segment for one segment width.
    @Test(arguments: [("ApproxSigmoid", -8.0, 0.005), ("ApproxGelu", -4.0, 0.007), ("ApproxGeluDerivative", -4.0, 0.007)])
    func piecewiseLinear(name: String, left: Double, realBound: Double) async throws {
        let p = 15
        let one = Int128(1) << Int128(p)
        let x = Self.uniform(7, -10 * one, 10 * one, count: 80, edges: [0, 1, -1, one, -one, 5 * one, -5 * one, 10 * one, -10 * one, -4 * one - 1])
        let op = CustomOperation(name, parameters: [("precision", .int(UInt64(p))), ("approximation_log_buckets", .int(5))])
        let (secure, plain, _) = try await Self.run(op, [Self.tensor(x)])
        for i in x.indices where Double(x[i]) >= left * Double(one) {
            #expect(abs(secure[i] - plain[i]) <= 4, "\(name)(\(x[i])): \(secure[i]) vs \(plain[i])")
        }
        let real: (Double) -> Double
        switch name {
        case "ApproxSigmoid": real = { 1 / (1 + exp(-$0)) }
        case "ApproxGelu": real = { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) }
        default: real = { 0.5 * (1 + erf($0 / 2.0.squareRoot())) + $0 * exp(-$0 * $0 / 2) / (2 * Double.pi).squareRoot() }
        }
        for i in x.indices where abs(x[i]) <= 4 * one {
            let value = Double(secure[i]) / Double(one)
            #expect(abs(value - real(Double(x[i]) / Double(one))) <= realBound + 8 / Double(one), "\(name)(\(x[i]))")
        }
    }

    /// ApproxExponent (precision 15) of x in [−8, 4]: within 4 units of the evaluator.
    @Test func approxExponent() async throws {
        let one = Int128(1) << 15
        let x = Self.uniform(8, -8 * one, 4 * one, count: 60, edges: [0, 1, -1, one, -one, 4 * one - 1])
        let (secure, plain, _) = try await Self.run(CustomOperation("ApproxExponent", parameters: [("precision", .int(15))]), [Self.tensor(x)])
        for i in x.indices { #expect(abs(secure[i] - plain[i]) <= 4, "exp(\(x[i])): \(secure[i]) vs \(plain[i])") }
    }

    /// TaylorExponent (6 terms, 12 fractional bits) of x in [−10, 6]: its truncations by
    /// (i+1)·2^p are divisions by public scales that are not powers of two. Within 0.1 % (plus 8
    /// units) of the evaluator.
    @Test func taylorExponent() async throws {
        let one = Int128(1) << 12
        let x = Self.uniform(9, -10 * one, 6 * one, count: 60, edges: [0, 1, -1, one, -one, 5 * one])
        let op = CustomOperation("TaylorExponent", parameters: [("taylor_terms", .int(6)), ("fixed_precision_points", .int(12))])
        let (secure, plain, _) = try await Self.run(op, [Self.tensor(x)])
        for i in x.indices {
            #expect(abs(Double(secure[i] - plain[i])) <= 8 + Double(abs(plain[i])) * 1e-3, "exp(\(x[i])): \(secure[i]) vs \(plain[i])")
        }
    }
}
