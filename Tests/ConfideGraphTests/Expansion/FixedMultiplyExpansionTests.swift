import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("FixedMultiply expansion")
struct FixedMultiplyExpansionTests {
    static let edges: [Int64] = [0, 1, -1, 2, -2, 1 << 15, -(1 << 15), 1 << 31, -(1 << 31), .max, .min, 123_456_789, -987_654_321]

    /// Reference: the wrapping i64 product divided by 2^f toward zero.
    static func reference(_ a: Int64, _ b: Int64, _ f: Int) -> Int64 {
        f >= 64 ? 0 : expansionTruncate(a &* b, f)
    }

    @Test(arguments: [0, 1, 10, 15, 31, 62, 63, 64, 100])
    func matchesIntegerReference(fractionalBits: Int) throws {
        var rng = ExpansionRandom(seed: UInt64(fractionalBits))
        var a = Self.edges, b = Self.edges.reversed() as [Int64]
        for _ in 0..<40 {
            a.append(Int64.random(in: -(1 << 40)...(1 << 40), using: &rng))
            b.append(Int64.random(in: .min ... .max, using: &rng))
        }
        let op = CustomOperation("FixedMultiply", parameters: [("config", fixedConfig(UInt64(fractionalBits)))])
        let out = try expansionEval(op, [expansionTensor(.i64, a.map { Int128($0) }), expansionTensor(.i64, b.map { Int128($0) })])
        #expect(expansionValues(out) == zip(a, b).map { Int128(Self.reference($0, $1, fractionalBits)) })
    }

    /// Fixed-point products of reals agree with float64 within one unit of 2^-f (the rounding
    /// toward zero of the product, plus the input rounding).
    @Test func matchesFloatProducts() throws {
        var rng = ExpansionRandom(seed: 99)
        let f = 16
        let scale = Double(1 << f)
        let xs = (0..<50).map { _ in Double.random(in: -1000...1000, using: &rng) }
        let ys = (0..<50).map { _ in Double.random(in: -1000...1000, using: &rng) }
        let op = CustomOperation("FixedMultiply", parameters: [("config", fixedConfig(UInt64(f)))])
        let a = xs.map { Int128(($0 * scale).rounded()) }, b = ys.map { Int128(($0 * scale).rounded()) }
        let out = expansionValues(try expansionEval(op, [expansionTensor(.i64, a), expansionTensor(.i64, b)]))
        for i in xs.indices {
            let exact = Double(a[i]) * Double(b[i]) / scale / scale
            #expect(abs(Double(out[i]) / scale - exact) <= 1 / scale)
            #expect(abs(Double(out[i]) / scale - xs[i] * ys[i]) <= 0.05)
        }
    }

    /// Broadcasting follows the arguments: a scalar times an array.
    @Test func broadcasts() throws {
        let op = CustomOperation("FixedMultiply", parameters: [("config", fixedConfig(4))])
        let out = try expansionEval(op, [.tensor(Tensor(.i64, shape: [], wrapping: [48])), .tensor(Tensor(.i64, shape: [2, 2], wrapping: [16, -16, 3, -3]))])
        #expect(out == .tensor(Tensor(.i64, shape: [2, 2], wrapping: [48, -48, 9, -9])))
    }

    /// Debug mode: CipherCore's check passes when, after flipping negative numbers' bits, the
    /// highest set bits h(a), h(b) satisfy h(a) + h(b) < 56, and the Assert fails otherwise.
    @Test func debugModeChecksOverflow() throws {
        let op = CustomOperation("FixedMultiply", parameters: [("config", fixedConfig(8, debug: true))])
        let pairs: [(Int64, Int64)] = [
            (1 << 27, 1 << 28), (1 << 28, 1 << 28), (-1, .max), (0, .min), (-(1 << 27) - 1, 1 << 28), (-(1 << 27), 1 << 28),
            (3, 1 << 53), (4, 1 << 53), (8, 1 << 53), (.min, 1),
        ]
        for (x, y) in pairs {
            func magnitudeBit(_ v: Int64) -> Int? {
                let m = v < 0 ? ~v : v
                return m == 0 ? nil : expansionHighestBit(m)
            }
            let safe = magnitudeBit(x).flatMap { hx in magnitudeBit(y).map { hx + $0 >= 56 } } != true
            let args = [Value.scalar(.i64, UInt128(UInt64(bitPattern: x))), Value.scalar(.i64, UInt128(UInt64(bitPattern: y)))]
            if safe {
                #expect(try expansionEval(op, args) == .scalar(.i64, UInt128(UInt64(bitPattern: Self.reference(x, y, 8)))))
            } else {
                let error = expansionError(op, args)
                #expect(error?.code == .assertionFailed)
                #expect(error?.message.contains("Integer overflow") == true)
                #expect(error?.message.contains("FixedMultiply") == true)
            }
        }
        // The check broadcasts over arrays too: one unsafe element fails the whole product.
        let a = expansionTensor(.i64, [1, 2, 1 << 40]), b = expansionTensor(.i64, [1 << 20])
        #expect(expansionError(op, [a, b])?.code == .assertionFailed)
        #expect(try expansionEval(op, [expansionTensor(.i64, [1, 2, 1 << 30]), b]) == expansionTensor(.i64, [1 << 12, 1 << 13, 1 << 42]))
    }

    @Test func wrongArgumentsAreRefusedByTypeInference() {
        let op = CustomOperation("FixedMultiply", parameters: [("config", fixedConfig(8))])
        #expect(expansionError(op, [.scalar(.u64, 1), .scalar(.u64, 1)])?.code == .typeMismatch)
        #expect(expansionError(op, [.scalar(.i64, 1)])?.code == .invalidGraph)
        let noConfig = CustomOperation("FixedMultiply")
        #expect(expansionError(noConfig, [.scalar(.i64, 1), .scalar(.i64, 1)])?.code == .invalidArgument)
    }
}
