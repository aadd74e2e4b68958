import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// AucScore on secrets: labels from party 0, predictions from party 1, the score revealed to
/// party 2. The label sums and products are truncated exactly (on bits), so the secure score is
/// within one unit (2^−fp) of the evaluator's, which is CipherCore's; the estimated cost is the
/// counted one in bytes (``FixedPointPlannerTests/run(_:_:)``).
@Suite("AucScore on secrets")
struct AucScorePlannerTests {
    static func op(fp: Int) -> CustomOperation {
        CustomOperation("AucScore", parameters: [("fp", .object([("fractional_bits", .int(UInt64(fp))), ("debug", .bool(false))]))])
    }

    /// scikit-learn's `roc_auc_score` in float64.
    static func rocAUC(_ labels: [Int128], _ scores: [Int128]) -> Double {
        var ordered = 0.0, pairs = 0.0
        for i in labels.indices where labels[i] != 0 {
            for j in labels.indices where labels[j] == 0 {
                pairs += 1
                ordered += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0
            }
        }
        return ordered / pairs
    }

    @Test(arguments: [(15, 24, UInt8(11)), (20, 16, UInt8(12)), (8, 9, UInt8(13))])
    func matchesTheEvaluator(fp: Int, rows: Int, seed: UInt8) async throws {
        var data = MPCTestData(seed: seed)
        let one = Int128(1) << Int128(fp)
        let bits = data.tensor(.u8, [rows], edges: false)
        let labels = (0..<rows).map { bits.value(at: $0) & 1 == 0 ? 0 : one }
        let random = data.tensor(.i64, [rows], edges: true)
        // Half the predictions tie in a small range, half are spread over i64 (edges included).
        let scores = (0..<rows).map { $0 % 2 == 0 ? random.value(at: $0) % 4 : random.value(at: $0) }
        let (secure, plain, _) = try await FixedPointPlannerTests.run(Self.op(fp: fp), [FixedPointPlannerTests.tensor(labels), FixedPointPlannerTests.tensor(scores)])
        #expect(abs(secure[0] - plain[0]) <= 1, "fp \(fp): \(secure[0]) vs \(plain[0])")
        let reference = Self.rocAUC(labels, scores)
        #expect(abs(Double(secure[0]) / Double(one) - reference) <= 3 / Double(one) + 0x1p-30, "fp \(fp): \(secure[0]) vs \(reference)")
    }

    /// One class only: CipherCore's division by zero gives 0, and so do the shares.
    @Test func oneClassGivesZero() async throws {
        let labels = [Int128](repeating: 1 << 15, count: 5)
        let (secure, plain, _) = try await FixedPointPlannerTests.run(Self.op(fp: 15), [FixedPointPlannerTests.tensor(labels), FixedPointPlannerTests.tensor([3, 1, 4, 1, 5])])
        #expect(secure == [0] && plain == [0])
    }

    /// Parameters outside the supported range are refused before any party starts, naming the node.
    @Test func outOfRangeIsRefusedNamingTheNode() throws {
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let y = try g.input(.array([9000], .i64)), p = try g.input(.array([9000], .i64))
        try g.setOutput(try g.custom(Self.op(fp: 25), [y, p]).named("auc"))
        try builder.setMain(g)
        let error = #expect(throws: ConfideError.self) {
            try SecureProgram(try builder.finish(), spec: IOSpec(inputs: [.party(0), .party(1)], output: .public))
        }
        #expect(error?.code == .outOfRange)
        #expect(error?.message.contains("auc") == true)
    }
}
