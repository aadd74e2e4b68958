import ConfideCore
import ConfideGraph
import Foundation
import Testing

@testable import ConfideMPC

/// Fixed-point truncation (truncA, mulTruncAA, matmulTruncAA): the error bound (±1 in the last
/// place against the evaluator's `Truncate(2^d)`), the failure probability |z|/2^k measured over
/// thousands of values, and the declared communication.
@Suite("ABY3 truncation kernels")
struct TruncationKernelTests {
    /// Bits dropped per ring width.
    static func dropBits(_ s: ScalarType) -> Int {
        switch s.bits {
        case 8: 2
        case 16: 4
        case 32: 8
        case 64: 18
        default: 32
        }
    }

    /// `count` random values of magnitude below 2^ℓ (non-negative for unsigned types), the first
    /// ones edges (0, 1, −1, ±(2^ℓ − 1)).
    static func bounded(_ data: inout MPCTestData, _ s: ScalarType, count: Int, magnitudeBits l: Int) -> Tensor {
        let limit: UInt128 = (UInt128(1) << UInt128(l)) - 1
        var residues: [UInt128] = (0..<count).map { _ in
            let magnitude = data.generator.next(UInt128.self) & limit
            let negative = s.isSigned && data.generator.next(UInt8.self) & 1 == 1
            return (negative ? 0 &- magnitude : magnitude) & s.mask128
        }
        let edges: [UInt128] = s.isSigned ? [0, 1, s.mask128, limit, (0 &- limit) & s.mask128] : [0, 1, limit, limit - 1]
        for (i, e) in edges.prefix(count).enumerated() { residues[i] = e }
        return Tensor(s, shape: [count], residues: residues)
    }

    /// Compares a truncated result with the evaluator's `Truncate(2^d)` of the exact value z:
    /// the number of elements off by more than 1 ("failures"), the expected number Σ|z|/2^k and
    /// its standard deviation.
    static func failures(_ result: Tensor, exact z: Tensor, bits d: Int) throws -> (observed: Int, expected: Double, sigma: Double) {
        try failures(result, exact: z, divisor: UInt128(1) << UInt128(d))
    }

    /// ``failures(_:exact:bits:)`` against the evaluator's `Truncate(divisor)`.
    static func failures(_ result: Tensor, exact z: Tensor, divisor: UInt128) throws -> (observed: Int, expected: Double, sigma: Double) {
        let s = z.scalarType
        let reference = try plaintext(.truncate(divisor), [z])
        let ring = pow(2.0, Double(s.bits))
        var observed = 0
        var expected = 0.0, variance = 0.0
        for i in 0..<z.count {
            let distance = (result.residue(at: i) &- reference.residue(at: i)) & s.mask128
            if !(distance == 0 || distance == 1 || distance == s.mask128) { observed += 1 }
            let residue = z.residue(at: i)
            let magnitude = s.isSigned && residue > s.maxResidue ? (0 &- residue) & s.mask128 : residue
            let p = Double(magnitude) / ring
            expected += p
            variance += p * (1 - p)
        }
        return (observed, expected, variance.squareRoot())
    }

    static func expectStatistics(_ f: (observed: Int, expected: Double, sigma: Double), _ what: String) {
        #expect(
            abs(Double(f.observed) - f.expected) <= 6 * f.sigma + 3,
            "\(what): \(f.observed) failures, expected \(f.expected) ± \(f.sigma)")
    }

    static func checkTruncA<W: RingWord>(_: W.Type, _ s: ScalarType, owner: Int) async throws {
        let d = dropBits(s)
        var data = MPCTestData(seed: UInt8(truncatingIfNeeded: s.bits &+ owner &+ (s.isSigned ? 1 : 0)))
        // Magnitudes up to 2^{k−4}: failures are frequent enough (about 1 in 32) to measure.
        let x = bounded(&data, s, count: 4000, magnitudeBits: s.bits - 4)
        let result = try await runOnShares(W.self, [x], owner: owner) { party, v in try await party.truncA(v[0], bits: d) }
        let f = try failures(result.value, exact: x, bits: d)
        expectStatistics(f, "truncA \(s)")
        #expect(f.expected > 20, "the sample is large enough to see failures")
        #expect(countedCost(result.traffic) == ABY3Cost.truncA(count: x.count, s, bits: d))
    }

    @Test(arguments: arithmeticScalarTypes)
    func truncAFailureRateMatchesBound(scalarType: ScalarType) async throws {
        if scalarType.isWide {
            try await Self.checkTruncA(UInt128.self, scalarType, owner: 0)
        } else {
            try await Self.checkTruncA(UInt64.self, scalarType, owner: scalarType.bits % 3)
        }
    }

    /// Division by public divisors that are not powers of two (a mean over a count, TaylorExponent's
    /// (i+1)·2^f): the same ±1 bound and failure rate |x|/2^k, and the cost of a truncation.
    static func checkDivisor<W: RingWord>(_: W.Type, _ s: ScalarType, divisor: UInt128) async throws {
        var data = MPCTestData(seed: UInt8(truncatingIfNeeded: 7 &+ s.bits &+ Int(divisor % 251)))
        let x = bounded(&data, s, count: 4000, magnitudeBits: s.bits - 4)
        let result = try await runOnShares(W.self, [x], owner: Int(divisor % 3)) { party, v in try await party.truncA(v[0], divisor: divisor) }
        let f = try failures(result.value, exact: x, divisor: divisor)
        expectStatistics(f, "truncA \(s) by \(divisor)")
        #expect(f.expected > 20, "the sample is large enough to see failures")
        #expect(countedCost(result.traffic) == ABY3Cost.truncA(count: x.count, s, divisor: divisor))
    }

    @Test(arguments: arithmeticScalarTypes)
    func truncAByAnyDivisorMatchesBound(scalarType: ScalarType) async throws {
        // 3, 2^d + 1 and, from 16 bits on, 1000 (a wrap-around then still shows as an error of 2^k/q).
        let divisors: [UInt128] = [3, (UInt128(1) << UInt128(Self.dropBits(scalarType))) + 1] + (scalarType.bits >= 16 ? [1000] : [])
        for divisor in divisors {
            if scalarType.isWide {
                try await Self.checkDivisor(UInt128.self, scalarType, divisor: divisor)
            } else {
                try await Self.checkDivisor(UInt64.self, scalarType, divisor: divisor)
            }
        }
    }

    /// A mean over a public count in fixed point: i64 values below 2^24 divided by 12345, no
    /// failures (probability 2^-40 per element and division) and every result within ±1 of the
    /// quotient rounded toward zero; a divisor of 1 is free, a power of two costs what a shift
    /// costs, and divisors outside 1..<2^k are refused.
    @Test func truncAByDivisorEdges() async throws {
        var data = MPCTestData(seed: 78)
        let x = Self.bounded(&data, .i64, count: 4000, magnitudeBits: 24)
        let result = try await runOnShares(UInt64.self, [x], owner: 1) { party, v in try await party.truncA(v[0], divisor: 12345) }
        let f = try Self.failures(result.value, exact: x, divisor: 12345)
        #expect(f.observed == 0)
        let one = try await runOnShares(UInt64.self, [x]) { party, v in try await party.truncA(v[0], divisor: 1) }
        #expect(one.value == x)
        #expect(countedCost(one.traffic) == .free)
        let shift = try await runOnShares(UInt64.self, [x]) { party, v in try await party.truncA(v[0], divisor: 1 << 18) }
        #expect(try Self.failures(shift.value, exact: x, bits: 18).observed == 0)
        #expect(countedCost(shift.traffic) == ABY3Cost.truncA(count: x.count, .i64, bits: 18))
        let small = data.tensor(.u8, [5])
        for bad: UInt128 in [0, 256] {
            await #expect(throws: ConfideError.self) {
                _ = try await runOnShares(UInt64.self, [small]) { party, v in try await party.truncA(v[0], divisor: bad) }
            }
        }
    }

    /// Typical fixed point (64-bit ring, 18 fractional bits, |x| < 2^40): failure probability
    /// below 2^−24, so 4000 values give none, and every result is within ±1.
    @Test func truncAFixedPointHasNoFailures() async throws {
        var data = MPCTestData(seed: 77)
        let x = Self.bounded(&data, .i64, count: 4000, magnitudeBits: 40)
        let result = try await runOnShares(UInt64.self, [x], owner: 2) { party, v in try await party.truncA(v[0], bits: 18) }
        let f = try Self.failures(result.value, exact: x, bits: 18)
        #expect(f.observed == 0)
        #expect(f.expected < 0.001)
    }

    @Test func truncAByZeroBitsIsFreeIdentity() async throws {
        var data = MPCTestData(seed: 3)
        let x = data.tensor(.i32, [9])
        let result = try await runOnShares(UInt64.self, [x]) { party, v in try await party.truncA(v[0], bits: 0) }
        #expect(result.value == x)
        #expect(countedCost(result.traffic) == .free)
    }

    static func checkMulTrunc<W: RingWord>(_: W.Type, _ s: ScalarType) async throws {
        let f = dropBits(s)
        var data = MPCTestData(seed: UInt8(truncatingIfNeeded: 100 &+ s.bits &+ (s.isSigned ? 1 : 0)))
        let half = (s.bits - 4) / 2
        let x = bounded(&data, s, count: 4000, magnitudeBits: half)
        let y = bounded(&data, s, count: 4000, magnitudeBits: half)
        let z = try plaintext(.multiply, [x, y])
        let result = try await runOnShares(W.self, [x, y], owner: 1) { party, v in try await party.mulTruncAA(v[0], v[1], fractionBits: f) }
        expectStatistics(try failures(result.value, exact: z, bits: f), "mulTruncAA \(s)")
        #expect(countedCost(result.traffic) == ABY3Cost.mulTruncAA(count: x.count, s))

        // Matrix product: 40×3 by 3×50, entries below 2^{(k−6)/2}, so |z| < 2^{k−4}.
        let quarter = (s.bits - 6) / 2
        let a = bounded(&data, s, count: 120, magnitudeBits: quarter).reshaped([40, 3])
        let b = bounded(&data, s, count: 150, magnitudeBits: quarter).reshaped([3, 50])
        let product = try plaintext(.matmul, [a, b])
        let mm = try await runOnShares(W.self, [a, b], owner: 2) { party, v in try await party.matmulTruncAA(v[0], v[1], fractionBits: f) }
        #expect(mm.value.shape == [40, 50])
        expectStatistics(try failures(mm.value, exact: product, bits: f), "matmulTruncAA \(s)")
        #expect(countedCost(mm.traffic) == ABY3Cost.matmulTruncAA(outputCount: product.count, s))
    }

    @Test(arguments: arithmeticScalarTypes)
    func fusedMultiplicationFailureRateMatchesBound(scalarType: ScalarType) async throws {
        if scalarType.isWide {
            try await Self.checkMulTrunc(UInt128.self, scalarType)
        } else {
            try await Self.checkMulTrunc(UInt64.self, scalarType)
        }
    }

    /// Fixed point as the benchmarks use it: i64, 18 fractional bits, products below 2^40.
    @Test func fusedFixedPointWithinOneUlp() async throws {
        var data = MPCTestData(seed: 41)
        let x = Self.bounded(&data, .i64, count: 3000, magnitudeBits: 20)
        let y = Self.bounded(&data, .i64, count: 3000, magnitudeBits: 20)
        let result = try await runOnShares(UInt64.self, [x, y]) { party, v in try await party.mulTruncAA(v[0], v[1], fractionBits: 18) }
        #expect(try Self.failures(result.value, exact: try plaintext(.multiply, [x, y]), bits: 18).observed == 0)

        let a = Self.bounded(&data, .i64, count: 7 * 13, magnitudeBits: 16).reshaped([7, 13])
        let b = Self.bounded(&data, .i64, count: 13 * 5, magnitudeBits: 16).reshaped([13, 5])
        let mm = try await runOnShares(UInt64.self, [a, b], owner: 1) { party, v in try await party.matmulTruncAA(v[0], v[1], fractionBits: 18) }
        #expect(try Self.failures(mm.value, exact: try plaintext(.matmul, [a, b]), bits: 18).observed == 0)
    }

    @Test func badInputThrows() async throws {
        var data = MPCTestData(seed: 5)
        let x = data.tensor(.i16, [4])
        let y = data.tensor(.i16, [5])
        await #expect(throws: ConfideError.self) {
            _ = try await runOnShares(UInt64.self, [x]) { party, v in try await party.truncA(v[0], bits: 16) }
        }
        await #expect(throws: ConfideError.self) {
            _ = try await runOnShares(UInt64.self, [x, y]) { party, v in try await party.mulTruncAA(v[0], v[1], fractionBits: 2) }
        }
        await #expect(throws: ConfideError.self) {
            _ = try await runOnShares(UInt64.self, [x.reshaped([2, 2]), y.reshaped([5, 1])]) { party, v in
                try await party.matmulTruncAA(v[0], v[1], fractionBits: 2)
            }
        }
    }
}

/// The blocked local matrix product behind `matmulAA` / `matmulTruncAA`, against the evaluator's
/// matmul on odd shapes (tile and block edges, several inner and column blocks, batches).
@Suite("Local matrix product")
struct LocalMatrixProductTests {
    static let shapes: [([Int], [Int])] = [
        ([1, 1], [1, 1]), ([3, 5], [5, 7]), ([5, 300], [300, 9]), ([3, 10], [10, 261]), ([2, 3, 4], [2, 4, 5]), ([13], [13, 5]),
    ]

    @Test(arguments: [ScalarType.i8, .u16, .i32, .u64, .i64, .u128, .i128])
    func matmulMatchesPlaintext(scalarType: ScalarType) async throws {
        for (a, b) in Self.shapes {
            var data = MPCTestData(seed: UInt8(truncatingIfNeeded: a.reduce(scalarType.bits, +)))
            let x = data.tensor(scalarType, a)
            let y = data.tensor(scalarType, b)
            let product = try plaintext(.matmul, [x, y])
            if scalarType.isWide {
                let r = try await runOnShares(UInt128.self, [x, y]) { party, v in try await party.matmulAA(v[0], v[1]) }
                #expect(r.value == product, "\(scalarType) \(a) × \(b)")
                #expect(countedCost(r.traffic) == ABY3Cost.matmulAA(outputCount: product.count, scalarType))
            } else {
                let r = try await runOnShares(UInt64.self, [x, y]) { party, v in try await party.matmulAA(v[0], v[1]) }
                #expect(r.value == product, "\(scalarType) \(a) × \(b)")
                #expect(countedCost(r.traffic) == ABY3Cost.matmulAA(outputCount: product.count, scalarType))
            }
        }
    }

    @Test func directProductMatchesPlaintext() async throws {
        var data = MPCTestData(seed: 12)
        let x = data.tensor(.u64, [17, 300], edges: false)
        let y = data.tensor(.u64, [300, 261], edges: false)
        let product = try plaintext(.matmul, [x, y])
        var c = [UInt64](repeating: 0, count: 17 * 261)
        await LocalMatrixProduct.batchedMultiplyAdd(x.narrowWords!, y.narrowWords!, into: &c, batch: 1, m: 17, k: 300, n: 261)
        #expect(c == product.narrowWords!)
    }
}
