import ConfideCore
import Testing

@testable import ConfideGraph

/// LongDivision on bit strings against Swift's integer division: NumPy's floor rule for signed
/// operands, CipherCore's values for division by zero, wrap-around for `min / −1`.
@Suite("LongDivision expansion")
struct LongDivisionExpansionTests {
    static func op(signed: Bool) -> CustomOperation {
        CustomOperation("LongDivision", parameters: [("signed", .bool(signed))])
    }

    /// `values` as a bit array of shape `[count, width]` (two's complement, least significant first).
    static func bits(_ values: [Int128], width: Int, shape: [Int]? = nil) -> Value {
        let words = values.flatMap { v in (0..<width).map { UInt64(truncatingIfNeeded: (v >> Int128($0)) & 1) } }
        return .tensor(Tensor(.bit, shape: (shape ?? [values.count]) + [width], narrow: words))
    }

    /// The numbers in the rows of a bit array (signed: two's complement).
    static func numbers(_ value: Value, signed: Bool) -> [Int128] {
        guard let t = value.tensor, let width = t.shape.last, width > 0 else { return [] }
        return (0..<(t.count / width)).map { row in
            var v: Int128 = 0
            for j in 0..<width where t.value(at: row * width + j) != 0 { v |= Int128(1) << Int128(j) }
            if signed, v >> Int128(width - 1) != 0 { v -= Int128(1) << Int128(width) }
            return v
        }
    }

    /// `v` reduced to `width` bits, read signed or unsigned.
    static func wrap(_ v: Int128, width: Int, signed: Bool) -> Int128 {
        let low = v & ((Int128(1) << Int128(width)) - 1)
        return signed && low >> Int128(width - 1) != 0 ? low - (Int128(1) << Int128(width)) : low
    }

    /// The reference: floor division (signed) or plain division (unsigned), the quotient wrapped
    /// to `n` bits; a zero divisor gives CipherCore's values (quotient 0, or −1 for a negative
    /// dividend whose low `m` bits are not all 0; remainder the dividend's low `m` bits).
    static func reference(_ a: Int128, _ b: Int128, n: Int, m: Int, signed: Bool) -> (Int128, Int128) {
        guard b != 0 else {
            let low = wrap(a, width: m, signed: false)
            return (signed && a < 0 && low != 0 ? -1 : 0, wrap(a, width: m, signed: signed))
        }
        var q = a / b
        if a % b != 0, (a < 0) != (b < 0) { q -= 1 }
        return (wrap(q, width: n, signed: signed), a - q * b)
    }

    /// Divides and checks every element against ``reference(_:_:n:m:signed:)``.
    static func check(_ dividends: [Int128], _ divisors: [Int128], n: Int, m: Int, signed: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try expansionEval(op(signed: signed), [bits(dividends, width: n), bits(divisors, width: m)], sourceLocation: sourceLocation)
        let parts = try #require(result.children, sourceLocation: sourceLocation)
        let q = numbers(parts[0], signed: signed), r = numbers(parts[1], signed: signed)
        for i in dividends.indices {
            let (wantQ, wantR) = reference(dividends[i], divisors[i], n: n, m: m, signed: signed)
            #expect(q[i] == wantQ && r[i] == wantR, "\(dividends[i]) / \(divisors[i]) (\(n)/\(m) bits): (\(q[i]), \(r[i])) vs (\(wantQ), \(wantR))", sourceLocation: sourceLocation)
        }
    }

    /// `count` random values of `width` bits, after the edges 0, 1, −1 (all ones), max and min.
    static func values(width: Int, signed: Bool, count: Int, seed: UInt64, unsignedLimit: Int128? = nil) -> [Int128] {
        var rng = ExpansionRandom(seed: seed)
        let top = Int128(1) << Int128(width - 1)
        let edges: [Int128] = signed ? [0, 1, -1, top - 1, -top, 2, -2, 3, -3] : [0, 1, 2 * top - 1, top, top - 1, 2, 3]
        let all = (edges + (0..<count).map { _ in Int128(rng.next()) }).map { wrap($0, width: width, signed: signed) }
        guard let unsignedLimit else { return all }
        return all.map { $0 > unsignedLimit ? $0 % (unsignedLimit + 1) : $0 }
    }

    /// CipherCore's own test vectors of `long_division.rs` (i32 / i8, u8 / u8, i64 / i64).
    @Test func cipherCoreVectors() throws {
        let signedRows: [(Int128, Int128, Int128, Int128)] = [
            (55557, 5, 11111, 2), (-55557, 5, -11112, 3), (55557, -5, -11112, -3), (-55557, -5, 11111, -2),
            (2_147_483_647, 64, 33_554_431, 63), (-2_147_483_648, 64, -33_554_432, 0), (2_147_483_647, 1, 2_147_483_647, 0),
            (-2_147_483_648, 1, -2_147_483_648, 0), (-2_147_483_648, -1, -2_147_483_648, 0), (1, 5, 0, 1), (-1, 5, -1, 4),
            (0, 1, 0, 0), (0, -1, 0, 0), (0, 0, 0, 0),
        ]
        let result = try expansionEval(Self.op(signed: true), [Self.bits(signedRows.map(\.0), width: 32), Self.bits(signedRows.map(\.1), width: 8)])
        let parts = try #require(result.children)
        #expect(Self.numbers(parts[0], signed: true) == signedRows.map(\.2))
        #expect(Self.numbers(parts[1], signed: true) == signedRows.map(\.3))

        let unsignedRows: [(Int128, Int128, Int128, Int128)] = [
            (255, 1, 255, 0), (51, 2, 25, 1), (85, 6, 14, 1), (235, 43, 5, 20), (244, 228, 1, 16), (187, 249, 0, 187), (0, 1, 0, 0), (0, 0, 0, 0),
        ]
        let u = try #require(try expansionEval(Self.op(signed: false), [Self.bits(unsignedRows.map(\.0), width: 8), Self.bits(unsignedRows.map(\.1), width: 8)]).children)
        #expect(Self.numbers(u[0], signed: false) == unsignedRows.map(\.2))
        #expect(Self.numbers(u[1], signed: false) == unsignedRows.map(\.3))

        let wideRows: [(Int128, Int128, Int128, Int128)] = [
            (9_223_372_036_854_775_807, 1, 9_223_372_036_854_775_807, 0), (-9_223_372_036_854_775_808, -1, -9_223_372_036_854_775_808, 0),
            (-9_223_372_036_854_775_808, -9_223_372_036_854_775_808, 1, 0), (3_982_195_138_714_201_679, -589_530_672, -6_754_856_580, -156_820_081),
            (-8_836_348_637_758_589_809, 111_540_404, -79_221_056_415, 77_301_851),
        ]
        let w = try #require(try expansionEval(Self.op(signed: true), [Self.bits(wideRows.map(\.0), width: 64), Self.bits(wideRows.map(\.1), width: 64)]).children)
        #expect(Self.numbers(w[0], signed: true) == wideRows.map(\.2))
        #expect(Self.numbers(w[1], signed: true) == wideRows.map(\.3))
    }

    /// Broadcasting of the non-bit axes, both ways (CipherCore's `test_broadcast_*`).
    @Test func broadcasting() throws {
        let x = Self.bits([7, 8, 9, -7, -8, -9], width: 8, shape: [2, 3])
        let y = Self.bits([3], width: 8)
        let byDivisor = try #require(try expansionEval(Self.op(signed: true), [x, y]).children)
        #expect(byDivisor[0].type == .array([2, 3, 8], .bit))
        #expect(Self.numbers(byDivisor[0], signed: true) == [2, 2, 3, -3, -3, -3])
        #expect(Self.numbers(byDivisor[1], signed: true) == [1, 2, 0, 2, 1, 0])
        let dividend = Self.bits([10], width: 8)
        let divisors = Self.bits([1, 2, 3, -1, -2, -3], width: 8, shape: [2, 3])
        let byDividend = try #require(try expansionEval(Self.op(signed: true), [dividend, divisors]).children)
        #expect(Self.numbers(byDividend[0], signed: true) == [10, 5, 3, -10, -5, -4])
        #expect(Self.numbers(byDividend[1], signed: true) == [0, 0, 1, 0, 0, -2])
    }

    /// Random and edge operands (0, ±1, max, min, zero divisors) of several widths, signed and unsigned.
    @Test(arguments: [(8, 8), (16, 8), (32, 32), (64, 64), (8, 32), (64, 16), (2, 2), (4, 2)])
    func signedAgainstSwift(n: Int, m: Int) throws {
        let dividends = Self.values(width: n, signed: true, count: 40, seed: UInt64(n * 100 + m))
        let divisors = Self.values(width: m, signed: true, count: 40, seed: UInt64(n * 100 + m + 7))
        let paired = dividends.indices.map { divisors[($0 + 3) % divisors.count] }
        try Self.check(dividends + dividends, paired + Array(repeating: 0, count: dividends.count), n: n, m: m, signed: true)
    }

    /// Unsigned: any divisor when the dividend is not wider than the divisor; divisors up to
    /// `2^(m−1)` when it is.
    @Test(arguments: [(8, 8), (16, 16), (32, 32), (64, 64), (8, 32), (5, 8), (16, 8), (64, 2), (3, 2)])
    func unsignedAgainstSwift(n: Int, m: Int) throws {
        let limit: Int128? = n > m ? Int128(1) << Int128(m - 1) : nil
        let dividends = Self.values(width: n, signed: false, count: 40, seed: UInt64(n * 100 + m + 1))
        let divisors = Self.values(width: m, signed: false, count: 40, seed: UInt64(n * 100 + m + 9), unsignedLimit: limit)
        let paired = dividends.indices.map { divisors[($0 + 2) % divisors.count] }
        try Self.check(dividends + dividends, paired + Array(repeating: 0, count: dividends.count), n: n, m: m, signed: false)
    }

    /// Every pair of 4-bit operands (and 8-bit dividends by 4-bit divisors), signed and unsigned.
    @Test func exhaustiveSmallWidths() throws {
        let signed4 = (-8..<8).map { Int128($0) }
        try Self.check(signed4.flatMap { a in signed4.map { _ in a } }, signed4.flatMap { _ in signed4 }, n: 4, m: 4, signed: true)
        let signed8 = (-128..<128).map { Int128($0) }
        try Self.check(signed8.flatMap { a in signed4.map { _ in a } }, signed8.flatMap { _ in signed4 }, n: 8, m: 4, signed: true)
        let unsigned4 = (0..<16).map { Int128($0) }
        try Self.check(unsigned4.flatMap { a in unsigned4.map { _ in a } }, unsigned4.flatMap { _ in unsigned4 }, n: 4, m: 4, signed: false)
        let unsigned8 = (0..<256).map { Int128($0) }, small = (0...8).map { Int128($0) }
        try Self.check(unsigned8.flatMap { a in small.map { _ in a } }, unsigned8.flatMap { _ in small }, n: 8, m: 4, signed: false)
    }

    /// Unsigned with a dividend wider than the divisor: above `2^(m−1)` CipherCore's quotient is
    /// wrong (its remainder loses its top bit), so the evaluator refuses such divisors; the
    /// expanded graph alone shows the wrong value.
    @Test func unsignedDivisorAboveHalfTheRangeIsRefused() throws {
        let dividend = Self.bits([2 * 9 - 2], width: 8), divisor = Self.bits([9], width: 4)
        let error = expansionError(Self.op(signed: false), [dividend, divisor])
        #expect(error?.code == .outOfRange)
        #expect(error?.message.contains("2^3") == true)
        let expanded = try CustomExpansion.expansion(of: Self.op(signed: false), argumentTypes: [dividend.type, divisor.type])
        let parts = try #require(try Evaluator().evaluate(expanded, inputs: [dividend, divisor]).children)
        #expect(Self.numbers(parts[0], signed: false) != [1])
        // 2^(m−1) itself is exact, and so is any divisor when the widths are equal.
        try Self.check([255, 200, 16], [8, 8, 8], n: 8, m: 4, signed: false)
        try Self.check([15, 14, 9], [9, 15, 10], n: 4, m: 4, signed: false)
    }
}
