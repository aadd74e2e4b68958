import ConfideCore
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@testable import ConfideGraph

@Suite("TaylorExponent expansion")
struct TaylorExponentExpansionTests {
    static func op(terms: UInt64, points: UInt64) -> CustomOperation {
        CustomOperation("TaylorExponent", parameters: [("taylor_terms", .int(terms)), ("fixed_precision_points", .int(points))])
    }

    /// ⌈log2 n⌉.
    static func integerBits(_ p: Int) -> Int {
        var m = 0
        while (1 << m) < 31 - p { m += 1 }
        return m
    }

    /// Independent reference: z = x·⌊2^p/ln 2⌋ / 2^p; the integer bits of z (two's complement)
    /// give ∏ 2^(2^j), its low p bits a Taylor series of 2^f; negative z divides by 2^(2^m);
    /// z < −10·2^p gives 0.
    static func reference(_ x: Int64, terms: Int, p: Int) -> Int64 {
        let ln2 = 0.6931471805599453
        let z = expansionTruncate(x &* Int64(Double(1 << p) / ln2), p)
        let bits = UInt64(bitPattern: z)
        let m = integerBits(p)
        var integerPart: Int64 = 1
        for j in 0..<m where (bits >> UInt64(p + j)) & 1 == 1 {
            integerPart = integerPart &* (Int64(1) << Int64(1 << j))
        }
        var fractionalPart: Int64 = 0
        if p == 0 {
            fractionalPart = 1
        } else {
            let f = Int64(bits & ((UInt64(1) << UInt64(p)) - 1))
            let y = expansionTruncate(f &* Int64(ln2 * Double(1 << p)), p)
            var coefficient = Int64(1) << Int64(p)
            for i in 0..<terms {
                fractionalPart = fractionalPart &+ coefficient
                if i < terms - 1 {
                    coefficient = Int64(truncatingIfNeeded: Int128(coefficient &* y) / (Int128(i + 1) << Int128(p)))
                }
            }
        }
        var result = fractionalPart &* integerPart
        if z < 0 { result = Int64(truncatingIfNeeded: Int128(result) / (Int128(1) << Int128(1 << m))) }
        return z >= -10 * (Int64(1) << Int64(p)) ? result : 0
    }

    @Test(arguments: [(6, 12), (5, 10), (8, 15), (3, 0), (4, 1), (0, 8)])
    func matchesIntegerReference(terms: Int, points: Int) throws {
        var rng = ExpansionRandom(seed: UInt64(terms * 100 + points))
        let unit = Int64(1) << Int64(points)
        let m = Self.integerBits(points)
        // Inputs whose integer part z / 2^p stays below 2^m (the documented bits).
        let top = Int64(Double(Int64(1) << Int64(m)) * 0.69 * Double(unit)) - 1
        var xs: [Int64] = [0, 1, -1, unit, -unit, -10 * unit, -10 * unit - 1, -11 * unit, top, -(Int64(1) << 40), .min / (1 << 20)]
        for _ in 0..<60 { xs.append(Int64.random(in: (-12 * unit)...top, using: &rng)) }
        let out = expansionValues(try expansionEval(Self.op(terms: UInt64(terms), points: UInt64(points)), [expansionTensor(.i64, xs.map { Int128($0) })]))
        #expect(out == xs.map { Int128(Self.reference($0, terms: terms, p: points)) })
    }

    /// Float64 accuracy at p = 12 with 6 terms: relative error ≤ 0.5 % for x in [0, 15], absolute
    /// error ≤ 0.002 for x in [−10, 0) (the results there have few significant bits).
    @Test func matchesFloatExponent() throws {
        let p = 12
        let unit = Double(1 << p)
        var rng = ExpansionRandom(seed: 5)
        let reals = [0, 0.5, 1, 2, 14.99, -0.5, -1, -9.99] + (0..<80).map { _ in Double.random(in: -10...15, using: &rng) }
        let xs = reals.map { Int128(($0 * unit).rounded(.towardZero)) }
        let matrix = Value.tensor(Tensor(.i64, shape: [2, xs.count / 2], wrapping: xs))
        let out = expansionValues(try expansionEval(Self.op(terms: 6, points: UInt64(p)), [matrix]))
        for (x, r) in zip(xs, out) {
            let real = Double(x) / unit
            let exact = exp(real)
            if real >= 0 {
                #expect(abs(Double(r) / unit - exact) <= 0.005 * exact, "x = \(real)")
            } else {
                #expect(abs(Double(r) / unit - exact) <= 0.002, "x = \(real)")
            }
        }
        // Below −10 the result is 0.
        #expect(try expansionEval(Self.op(terms: 6, points: UInt64(p)), [.tensor(Tensor(.i64, shape: [], wrapping: [Int128(-11) << Int128(p)]))]) == .scalar(.i64, 0))
    }

    /// The expectations of CipherCore's own tests: with p = 0 the result is exactly 2^x; with
    /// p = 10 and 5 terms it is within 1 % (relative to 1 + the larger value) of ⌊2^10·exp(x/2^10)⌋.
    @Test func meetsCipherCoreTestExpectations() throws {
        let integers: [Int128] = [0, 1, 2, 3, 5]
        let exact = try expansionEval(Self.op(terms: 5, points: 0), [expansionTensor(.i64, integers)])
        #expect(expansionValues(exact) == integers.map { Int128(1) << $0 })
        let xs: [Int128] = [-10000, -1000, -100, -1, 0, 1, 100, 1000, 10000, 23, 1271, -1271, -555]
        let out = expansionValues(try expansionEval(Self.op(terms: 5, points: 10), [expansionTensor(.i64, xs)]))
        for (x, r) in zip(xs, out) {
            let expected = (exp(Double(x) / 1024) * 1024).rounded(.towardZero)
            #expect(abs(expected - Double(r)) / (1 + max(expected, Double(r))) <= 0.01, "x = \(x)")
        }
    }

    @Test func outOfRangeArgumentsAreErrors() {
        let op = Self.op(terms: 6, points: 12)
        // z / 2^12 must stay below 2^5 = 32, i.e. x / 2^12 below about 22.18.
        let error = expansionError(op, [expansionTensor(.i64, [0, 23 << 12])])
        #expect(error?.code == .outOfRange)
        #expect(error?.message.contains("TaylorExponent") == true)
        #expect(expansionError(op, [expansionTensor(.i64, [0, 22 << 12])]) == nil)
        #expect(expansionError(op, [expansionTensor(.i64, [Int128(Int64.max)])])?.code == .outOfRange)
        #expect(expansionError(op, [.scalar(.u64, 1)])?.code == .typeMismatch)
        #expect(expansionError(Self.op(terms: 6, points: 16), [.scalar(.i64, 1)])?.code == .invalidArgument)
    }
}
