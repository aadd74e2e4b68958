import ConfideCore
import Testing

@testable import ConfideGraph

/// AucScore against two plaintext references: CipherCore's computation replayed in integers
/// (exact equality) and scikit-learn's definition in float64 (within the stated bound).
@Suite("AucScore expansion")
struct AucScoreExpansionTests {
    static func op(fp: Int) -> CustomOperation {
        CustomOperation("AucScore", parameters: [("fp", fixedConfig(UInt64(fp)))])
    }

    /// scikit-learn's `roc_auc_score`: the share of (positive, negative) pairs ranked in order,
    /// ties counting ½ (NaN without both classes).
    static func rocAUC(_ positive: [Bool], _ scores: [Int64]) -> Double {
        var ordered = 0.0, pairs = 0.0
        for i in positive.indices where positive[i] {
            for j in positive.indices where !positive[j] {
                pairs += 1
                ordered += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0
            }
        }
        return ordered / pairs
    }

    /// CipherCore's graph replayed: per pass the zeros counted before each one in the stable
    /// order of the predictions, Goldschmidt (7 iterations, cap 40) in i128, rescaled, low 64
    /// bits; the two passes averaged rounding toward zero.
    static func cipherCoreAUC(_ positive: [Bool], _ scores: [Int64], fp: Int) -> Int64 {
        func pass(_ positive: [Bool], _ scores: [Int64]) -> Int64 {
            let order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
            var zeros: Int128 = 0, numerator: Int128 = 0
            for i in order {
                if positive[i] { numerator += zeros } else { zeros += 1 }
            }
            let ones = Int128(positive.filter { $0 }.count)
            let denominator = ones * (Int128(positive.count) - ones)
            let q = DivisionReference(bits: 128).goldschmidt(numerator, denominator, cap: 40, iterations: 7)
            let rescaled = fp > 40 ? q &* Int128(Int32(truncatingIfNeeded: Int64(1) << Int64(fp - 40))) : q / (Int128(1) << Int128(40 - fp))
            return Int64(truncatingIfNeeded: rescaled)
        }
        let sum = pass(positive, scores) &+ pass(positive.reversed(), scores.reversed())
        return sum / 2
    }

    static func evaluate(_ positive: [Bool], _ scores: [Int64], fp: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int64 {
        let one = Int128(1) << Int128(fp)
        let labels = expansionTensor(.i64, positive.map { $0 ? one : 0 })
        let predictions = expansionTensor(.i64, scores.map { Int128($0) })
        let value = try expansionEval(op(fp: fp), [labels, predictions], sourceLocation: sourceLocation)
        #expect(value.type == .scalar(.i64), sourceLocation: sourceLocation)
        return Int64(expansionValues(value)[0])
    }

    /// Checks exact equality with ``cipherCoreAUC(_:_:fp:)`` and, with both classes present,
    /// `|AUC − roc_auc_score| <= 2^(1−fp) + 2^−30`.
    static func check(_ positive: [Bool], _ scores: [Int64], fp: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let got = try evaluate(positive, scores, fp: fp, sourceLocation: sourceLocation)
        #expect(got == cipherCoreAUC(positive, scores, fp: fp), "fp \(fp), \(positive.count) rows", sourceLocation: sourceLocation)
        let reference = rocAUC(positive, scores)
        if reference.isNaN {
            #expect(got == 0, "one class only: CipherCore's 0", sourceLocation: sourceLocation)
        } else {
            let bound = 2 / Double(sign: .plus, exponent: fp, significand: 1) + 0x1p-30
            #expect(abs(Double(got) / Double(sign: .plus, exponent: fp, significand: 1) - reference) <= bound, "fp \(fp): \(got) vs \(reference)", sourceLocation: sourceLocation)
        }
    }

    /// CipherCore's own tests of `auc.rs` (fp = 15).
    @Test func cipherCoreCases() throws {
        let one = Double(1 << 15)
        #expect(abs(Double(try Self.evaluate([false, true, false, true], [-10, 30, 20, 10], fp: 15)) / one - 0.75) < 1e-3)
        #expect(abs(Double(try Self.evaluate([false, true, false, true], [42, 42, 42, 42], fp: 15)) / one - 0.5) < 1e-3)
        let large = try Self.evaluate((0..<10000).map { $0 >= 5000 }, (0..<10000).map { Int64($0) }, fp: 15)
        #expect(abs(Double(large) / one - 1) < 1e-3)
    }

    /// Random labels and predictions (many ties) for several `fp` and sizes.
    @Test(arguments: [(0, 17), (8, 40), (15, 200), (15, 1), (21, 64), (31, 2)])
    func randomInputs(fp: Int, rows: Int) throws {
        var rng = ExpansionRandom(seed: UInt64(fp * 1000 + rows))
        let positive = (0..<rows).map { _ in rng.next() & 1 == 1 }
        let ties = (0..<rows).map { _ in Int64(rng.next() % 7) - 3 }
        let spread = (0..<rows).map { _ in Int64(bitPattern: rng.next()) }
        try Self.check(positive, ties, fp: fp)
        try Self.check(positive, spread, fp: fp)
    }

    /// Extreme predictions, perfect and reversed rankings, one class only (division by zero).
    @Test func edgeCases() throws {
        let extremes: [Int64] = [.min, .max, 0, -1, 1, .min, .max, 0]
        try Self.check([true, false, false, true, true, false, true, false], extremes, fp: 15)
        try Self.check([false, false, true, true], [1, 2, 3, 4], fp: 12)
        try Self.check([true, true, false, false], [1, 2, 3, 4], fp: 12)
        try Self.check([true, true, true], [3, 1, 2], fp: 15)
        try Self.check([false, false], [3, 1], fp: 15)
        try Self.check([true], [7], fp: 62)
        #expect(try Self.evaluate([true, true, true], [3, 1, 2], fp: 15) == 0)
    }

    /// `fp > 62` and `(n − 1) · 4^fp >= 2^63` are refused before anything runs.
    @Test func outOfRangeParametersAreRefused() {
        let small = expansionTensor(.i64, [0, 1])
        #expect(expansionError(Self.op(fp: 63), [small, small])?.code == .outOfRange)
        #expect(expansionError(Self.op(fp: 32), [small, small])?.code == .outOfRange)
        #expect(expansionError(Self.op(fp: 31), [small, small]) == nil)
        let rows = (1 << 13) + 1
        let long = expansionTensor(.i64, [Int128](repeating: 0, count: rows))
        let error = expansionError(Self.op(fp: 25), [long, long])
        #expect(error?.code == .outOfRange)
        #expect(error?.message.contains("\(rows) rows") == true)
        let fits = expansionTensor(.i64, [Int128](repeating: 0, count: rows - 1))
        #expect(expansionError(Self.op(fp: 25), [fits, fits]) == nil)
    }
}
