import ConfideCore
import Testing

@testable import ConfideGraph

/// Independent integer references of CipherCore's iterations, in signed arithmetic modulo 2^bits.
struct DivisionReference {
    let bits: Int

    func wrap(_ v: Int128) -> Int128 { bits == 64 ? Int128(Int64(truncatingIfNeeded: v)) : v }
    func mul(_ a: Int128, _ b: Int128) -> Int128 { bits == 64 ? wrap(a * b) : a &* b }
    func sub(_ a: Int128, _ b: Int128) -> Int128 { wrap(a &- b) }
    func trunc(_ v: Int128, _ k: Int) -> Int128 { v / (Int128(1) << Int128(k)) }

    /// The highest set bit of d.
    static func highestBit(_ d: Int128) -> Int { 127 - d.leadingZeroBitCount }

    /// 2^(cap − 1 − h): the power of two with d · x in [2^(cap−1), 2^cap).
    static func inverseStart(_ d: Int128, cap: Int) -> Int128 { Int128(1) << Int128(cap - 1 - highestBit(d)) }

    func newton(_ d: Int128, cap: Int, iterations: Int, start: Int128? = nil) -> Int128 {
        var x = start ?? Self.inverseStart(d, cap: cap)
        let c = Int128(Int32(truncatingIfNeeded: Int64(1) << Int64(cap + 1)))
        for _ in 0..<iterations { x = trunc(mul(sub(c, mul(x, d)), x), cap) }
        return x
    }

    func inverseSqrt(_ d: Int128, cap: Int, iterations: Int, start: Int128? = nil) -> Int128 {
        var x = start ?? Int128(1) << Int128(cap - 1 - Self.highestBit(d) / 2)
        let c = Int128(Int32(truncatingIfNeeded: Int64(3) << Int64(cap - 1)))
        for _ in 0..<iterations {
            let normalized = trunc(mul(mul(d, x), x), cap + 1)
            x = trunc(mul(sub(c, normalized), x), cap)
        }
        return x
    }

    func goldschmidt(_ n: Int128, _ d: Int128, cap: Int, iterations: Int, start: Int128? = nil) -> Int128 {
        var w = start ?? Self.inverseStart(d, cap: cap)
        let c = wrap(Int128(truncatingIfNeeded: UInt128(1) << UInt128(cap + 1)))
        var a = mul(n, w), b = mul(d, w)
        for _ in 1..<iterations {
            w = sub(c, b)
            a = trunc(mul(a, w), cap)
            b = trunc(mul(b, w), cap)
        }
        return a
    }
}

@Suite("NewtonInversion, InverseSqrt and GoldschmidtDivision expansions")
struct IterativeDivisionExpansionTests {
    static func op(_ name: String, iterations: UInt64, cap: UInt64) -> CustomOperation {
        CustomOperation(name, parameters: [("iterations", .int(iterations)), ("denominator_cap_2k", .int(cap))])
    }

    /// Divisors in [1, limit): edges and random values.
    static func divisors(below limit: Int128, seed: UInt64) -> [Int128] {
        var rng = ExpansionRandom(seed: seed)
        var values: [Int128] = [1, 2, 3, 5, 7, limit / 2 - 1, limit / 2, limit / 2 + 1, limit - 1]
        for _ in 0..<40 { values.append(Int128(UInt64.random(in: 1..<UInt64(limit), using: &rng))) }
        return values
    }

    @Test(arguments: [(10, 5), (20, 6), (29, 6), (4, 2)])
    func newtonInversion(cap: Int, iterations: Int) throws {
        let ds = Self.divisors(below: Int128(1) << Int128(cap), seed: UInt64(cap))
        let op = Self.op("NewtonInversion", iterations: UInt64(iterations), cap: UInt64(cap))
        let ref = DivisionReference(bits: 64)
        for scalar in [ScalarType.i64, .u64] {
            let out = expansionValues(try expansionEval(op, [expansionTensor(scalar, ds)]))
            #expect(out == ds.map { ref.newton($0, cap: cap, iterations: iterations) })
            // With 1 + log2(cap) iterations the result is within 2 of 2^cap / d.
            if iterations >= 5 {
                for (d, r) in zip(ds, out) {
                    #expect(abs(Double(r) - Double(Int128(1) << Int128(cap)) / Double(d)) < 2)
                }
            }
        }
    }

    @Test func newtonInversionOnMatricesAndWithInitialApproximation() throws {
        let ds: [Int128] = [1, 2, 3, 123, 300, 500, 700, 1000, 1023]
        let op = Self.op("NewtonInversion", iterations: 5, cap: 10)
        let ref = DivisionReference(bits: 64)
        let matrix = Value.tensor(Tensor(.i64, shape: [3, 3], wrapping: ds))
        #expect(try expansionEval(op, [matrix]) == .tensor(Tensor(.i64, shape: [3, 3], wrapping: ds.map { ref.newton($0, cap: 10, iterations: 5) })))
        let starts = ds.map { DivisionReference.inverseStart($0, cap: 10) }
        let out = expansionValues(try expansionEval(op, [expansionTensor(.u64, ds), expansionTensor(.u64, starts)]))
        #expect(out == ds.map { ref.newton($0, cap: 10, iterations: 5) })
        // CipherCore's own test: within 1 of ⌊1024 / d⌋.
        for (d, r) in zip(ds, out) { #expect(abs(r - 1024 / d) <= 1) }
        // Zero iterations return the initial approximation itself.
        let zero = Self.op("NewtonInversion", iterations: 0, cap: 10)
        #expect(try expansionEval(zero, [expansionTensor(.i64, ds)]) == expansionTensor(.i64, starts))
    }

    @Test(arguments: [(10, 5), (16, 6), (30, 7), (2, 3)])
    func inverseSqrt(cap: Int, iterations: Int) throws {
        let ds = Self.divisors(below: Int128(1) << Int128(2 * cap), seed: UInt64(cap) + 100)
        let op = Self.op("InverseSqrt", iterations: UInt64(iterations), cap: UInt64(cap))
        let ref = DivisionReference(bits: 64)
        for scalar in [ScalarType.i64, .u64] {
            let out = expansionValues(try expansionEval(op, [expansionTensor(scalar, ds)]))
            #expect(out == ds.map { ref.inverseSqrt($0, cap: cap, iterations: iterations) })
            if cap >= 10 {
                for (d, r) in zip(ds, out) {
                    #expect(abs(Double(r) - Double(Int128(1) << Int128(cap)) / Double(d).squareRoot()) < 2)
                }
            }
        }
        let starts = ds.map { Int128(1) << Int128(cap - 1 - DivisionReference.highestBit($0) / 2) }
        let matrix = Value.tensor(Tensor(.i64, shape: [ds.count / 7, 7], wrapping: Array(ds.prefix(ds.count / 7 * 7))))
        let withStart = try expansionEval(op, [matrix, .tensor(Tensor(.i64, shape: [ds.count / 7, 7], wrapping: Array(starts.prefix(ds.count / 7 * 7))))])
        #expect(try expansionEval(op, [matrix]) == withStart)
    }

    @Test(arguments: [(10, 5), (16, 6), (20, 7)])
    func goldschmidtDivision(cap: Int, iterations: Int) throws {
        var rng = ExpansionRandom(seed: UInt64(cap) + 200)
        let ds = Self.divisors(below: Int128(1) << Int128(cap), seed: UInt64(cap) + 300)
        let half = Int64(1) << Int64(cap - 1)
        var ns: [Int128] = [0, 1, -1, Int128(half - 1), Int128(-half + 1)]
        while ns.count < ds.count { ns.append(Int128(Int64.random(in: -half..<half, using: &rng))) }
        let op = Self.op("GoldschmidtDivision", iterations: UInt64(iterations), cap: UInt64(cap))
        let ref = DivisionReference(bits: 64)
        let out = expansionValues(try expansionEval(op, [expansionTensor(.i64, ns), expansionTensor(.i64, ds)]))
        #expect(out == zip(ns, ds).map { ref.goldschmidt($0, $1, cap: cap, iterations: iterations) })
        for i in ns.indices {
            let exact = Double(Int128(1) << Int128(cap)) * Double(ns[i]) / Double(ds[i])
            #expect(abs(Double(out[i]) - exact) <= 1 + Double(ns[i].magnitude))
        }
        // Unsigned, non-negative dividends; a broadcast scalar divisor; an initial approximation.
        let positive = ns.map { $0.magnitude }.map { Int128($0) }
        let unsigned = expansionValues(try expansionEval(op, [expansionTensor(.u64, positive), expansionTensor(.u64, ds)]))
        #expect(unsigned == zip(positive, ds).map { ref.goldschmidt($0, $1, cap: cap, iterations: iterations) })
        let scalarDivisor = Value.scalar(.i64, 3)
        #expect(expansionValues(try expansionEval(op, [expansionTensor(.i64, ns), scalarDivisor])) == ns.map { ref.goldschmidt($0, 3, cap: cap, iterations: iterations) })
        let starts = ds.map { DivisionReference.inverseStart($0, cap: cap) }
        let withStart = try expansionEval(op, [expansionTensor(.i64, ns), expansionTensor(.i64, ds), expansionTensor(.i64, starts)])
        #expect(expansionValues(withStart) == out)
    }

    @Test func goldschmidtDivisionOn128Bits() throws {
        let cap = 60
        let ds: [Int128] = [1 << 27, 1 << 40, (1 << 59) + 12345, (1 << 60) - 1, 1 << 16]
        let ns: [Int128] = [1 << 30, -(1 << 30) + 7, 99, -5, 1 << 20]
        let op = Self.op("GoldschmidtDivision", iterations: 7, cap: UInt64(cap))
        let ref = DivisionReference(bits: 128)
        let out = expansionValues(try expansionEval(op, [expansionTensor(.i128, ns), expansionTensor(.i128, ds)]))
        #expect(out == zip(ns, ds).map { ref.goldschmidt($0, $1, cap: cap, iterations: 7) })
        for i in ns.indices {
            let exact = Double(Int128(1) << Int128(cap)) * Double(ns[i]) / Double(ds[i])
            #expect(abs(Double(out[i]) - exact) <= 1 + Double(ns[i].magnitude))
        }
    }

    @Test func outOfRangeArgumentsAreErrors() {
        let newton = Self.op("NewtonInversion", iterations: 5, cap: 10)
        for bad: Int128 in [0, -5, 1024, 1 << 40] {
            let error = expansionError(newton, [expansionTensor(.i64, [3, bad])])
            #expect(error?.code == .outOfRange)
            #expect(error?.message.contains("NewtonInversion") == true)
            #expect(error?.message.contains("\(bad)") != true || bad == 0)
        }
        #expect(expansionError(newton, [.scalar(.u64, 3), .scalar(.u64, 1)])?.code == .outOfRange)
        #expect(expansionError(newton, [.scalar(.u64, 3), .scalar(.u64, 200)])?.code == nil)
        #expect(expansionError(newton, [.scalar(.u64, 3), .scalar(.u64, 700)])?.code == .outOfRange)
        #expect(expansionError(Self.op("NewtonInversion", iterations: 5, cap: 30), [.scalar(.u64, 3)])?.code == .invalidArgument)
        #expect(expansionError(Self.op("NewtonInversion", iterations: 5, cap: 29), [.scalar(.u64, 3)])?.code == nil)

        let sqrt = Self.op("InverseSqrt", iterations: 5, cap: 10)
        #expect(expansionError(sqrt, [expansionTensor(.i64, [1, 1 << 20])])?.code == .outOfRange)
        #expect(expansionError(sqrt, [expansionTensor(.i64, [1, (1 << 20) - 1])])?.code == nil)
        #expect(expansionError(sqrt, [expansionTensor(.i64, [-4])])?.code == .outOfRange)
        #expect(expansionError(sqrt, [.scalar(.i64, 16), .scalar(.i64, 1)])?.code == .outOfRange)
        #expect(expansionError(sqrt, [.scalar(.i64, 16), .scalar(.i64, 256)])?.code == nil)
        #expect(expansionError(Self.op("InverseSqrt", iterations: 5, cap: 31), [.scalar(.i64, 16)])?.code == .invalidArgument)

        let gold = Self.op("GoldschmidtDivision", iterations: 5, cap: 20)
        #expect(expansionError(gold, [.scalar(.i64, 1 << 40), .scalar(.i64, 1)])?.code == .outOfRange)
        #expect(expansionError(gold, [.scalar(.i64, 1 << 18), .scalar(.i64, 1)])?.code == nil)
        #expect(expansionError(gold, [.scalar(.i64, 5), .scalar(.i64, 1 << 20)])?.code == .outOfRange)
        #expect(expansionError(gold, [.scalar(.i64, 5), .scalar(.i64, 0)])?.code == .outOfRange)
    }

    @Test func wrongArgumentsAreRefusedByTypeInference() {
        let newton = Self.op("NewtonInversion", iterations: 5, cap: 10)
        #expect(expansionError(newton, [.scalar(.i32, 3)])?.code == .typeMismatch)
        #expect(expansionError(newton, [.scalar(.i64, 3), .scalar(.u64, 3)])?.code == .typeMismatch)
        #expect(expansionError(newton, [.scalar(.i64, 3), .scalar(.i64, 3), .scalar(.i64, 3)])?.code == .invalidGraph)
        #expect(expansionError(Self.op("GoldschmidtDivision", iterations: 5, cap: 10), [.scalar(.i64, 3), .scalar(.u64, 3)])?.code == .typeMismatch)
        #expect(expansionError(Self.op("InverseSqrt", iterations: 5, cap: 1), [.scalar(.i64, 3)])?.code == .invalidArgument)
    }
}
