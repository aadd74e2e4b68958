import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Extended binary-number operations")
struct ExtendedBinaryNumberOpsTests {
    typealias Comparison = ExtendedBinaryNumberOps.Comparison

    static func swiftCompare<T: Comparable>(_ c: Comparison, _ a: T, _ b: T) -> Bool {
        switch c {
        case .equal: return a == b
        case .notEqual: return a != b
        case .greaterThan: return a > b
        case .greaterThanEqualTo: return a >= b
        case .lessThan: return a < b
        case .lessThanEqualTo: return a <= b
        }
    }

    static func comparisonOp(_ c: Comparison, signed: Bool) -> Operation {
        c.hasSignedParameter ? .custom(.comparison(c.rawValue, signed: signed)) : extendedCustom(c.rawValue)
    }

    /// Two bit arrays `[n, width]` from numbers.
    static func numbers(_ values: [UInt64], width: Int) -> Value {
        extendedBits([values.count, width], values.flatMap { extendedBitsOf($0, width: width) })
    }

    /// Every pair of 4-bit numbers, signed and unsigned, for every comparison.
    @Test(arguments: Comparison.allCases, [false, true])
    func exhaustiveFourBit(comparison: Comparison, signed: Bool) throws {
        let pairs = (0..<256).map { (UInt64($0 >> 4), UInt64($0 & 15)) }
        let out = try extendedEval(Self.comparisonOp(comparison, signed: signed), [Self.numbers(pairs.map(\.0), width: 4), Self.numbers(pairs.map(\.1), width: 4)])
        let signedUsed = signed && comparison.hasSignedParameter
        let expected = pairs.map { a, b -> UInt64 in
            let holds = signedUsed
                ? Self.swiftCompare(comparison, Int8(a) - (a >= 8 ? 16 : 0), Int8(b) - (b >= 8 ? 16 : 0))
                : Self.swiftCompare(comparison, a, b)
            return holds ? 1 : 0
        }
        #expect(out == extendedBits([256], expected))
    }

    /// Random and edge 32- and 64-bit numbers against Swift's comparisons.
    @Test(arguments: [32, 64], [false, true])
    func randomWideNumbers(width: Int, signed: Bool) throws {
        var g = try AESCTRGenerator(key: [UInt8](repeating: UInt8(width), count: 16))
        let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
        let top = UInt64(1) << UInt64(width - 1)
        let edges: [UInt64] = [0, 1, mask, top, top - 1, top + 1]
        var a = edges + edges.reversed() + edges
        var b = edges + edges + edges.reversed()
        for _ in 0..<300 {
            let x = g.next(UInt64.self) & mask
            a.append(x)
            b.append(g.uniform(below: 4) == 0 ? x : g.next(UInt64.self) & mask)
        }
        func signedValue(_ v: UInt64) -> Int64 { width == 64 ? Int64(bitPattern: v) : Int64(Int32(bitPattern: UInt32(v))) }
        for comparison in Comparison.allCases {
            let out = try extendedEval(Self.comparisonOp(comparison, signed: signed), [Self.numbers(a, width: width), Self.numbers(b, width: width)])
            let useSigned = signed && comparison.hasSignedParameter
            let expected = zip(a, b).map { x, y -> UInt64 in
                (useSigned ? Self.swiftCompare(comparison, signedValue(x), signedValue(y)) : Self.swiftCompare(comparison, x, y)) ? 1 : 0
            }
            #expect(out == extendedBits([a.count], expected), "\(comparison)")
        }
        for isMax in [true, false] {
            let op = extendedCustom(isMax ? "Max" : "Min", [("signed_comparison", .bool(signed))])
            let out = try extendedEval(op, [Self.numbers(a, width: width), Self.numbers(b, width: width)])
            let expected = zip(a, b).map { x, y -> UInt64 in
                let xFirst = signed ? signedValue(x) > signedValue(y) : x > y
                return xFirst == isMax ? x : y
            }
            #expect(out == Self.numbers(expected, width: width), "max \(isMax)")
        }
    }

    @Test func comparisonShapesBroadcast() throws {
        // a: [2, 1, 2 bits] = [[1], [2]]; b: [3, 2 bits] = [0, 1, 3].
        let a = extendedBits([2, 1, 2], extendedBitsOf(1, width: 2) + extendedBitsOf(2, width: 2))
        let b = Self.numbers([0, 1, 3], width: 2)
        let gt = try extendedEval(.custom(.comparison("GreaterThan", signed: false)), [a, b])
        #expect(gt == extendedBits([2, 3], [1, 0, 0, 1, 1, 0]))
        // Single numbers give a bit scalar.
        let one = extendedBits([3], extendedBitsOf(3, width: 3))
        let two = extendedBits([3], extendedBitsOf(6, width: 3))
        #expect(try extendedEval(.custom(.comparison("LessThan", signed: false)), [one, two]) == .scalar(.bit, 1))
        #expect(try extendedEval(.custom(.comparison("LessThan", signed: true)), [one, two]) == .scalar(.bit, 0))
        // 6 = -2 in 3-bit two's complement; Max keeps the full shape.
        #expect(try extendedEval(extendedCustom("Max", [("signed_comparison", .bool(true))]), [one, two]) == one)
        #expect(try extendedEval(extendedCustom("Max", [("signed_comparison", .bool(false))]), [one, two]) == two)
        #expect(try extendedEval(extendedCustom("Min", [("signed_comparison", .bool(false))]), [b, a]) == extendedBits([2, 3, 2], [0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1]))
    }

    @Test func comparisonsRejectBadArguments() throws {
        let gt = Operation.custom(.comparison("GreaterThan", signed: false))
        let four = Self.numbers([1], width: 4)
        #expect(extendedErrorCode(gt, [four, Self.numbers([1], width: 3)]) == .shapeMismatch)
        #expect(extendedErrorCode(gt, [four, extendedTensor(.u8, [1, 4], [0, 0, 0, 0])]) == .typeMismatch)
        #expect(extendedErrorCode(gt, [four, .scalar(.bit, 1)]) == .typeMismatch)
        #expect(extendedErrorCode(gt, [four]) == .wrongInputCount)
        #expect(extendedErrorCode(gt, [Self.numbers([1, 2], width: 4), Self.numbers([1, 2, 3], width: 4)]) == .shapeMismatch)
        #expect(extendedErrorCode(.custom(.comparison("LessThan", signed: true)), [extendedBits([1], [1]), extendedBits([1], [0])]) == .invalidArgument)
        #expect(try extendedEval(extendedCustom("Equal"), [extendedBits([1], [1]), extendedBits([1], [1])]) == .scalar(.bit, 1))
        #expect(extendedErrorCode(extendedCustom("GreaterThan", [("signed_comparison", .string("yes"))]), [four, four]) == .invalidArgument)
        #expect(extendedErrorCode(extendedCustom("Max", [("signed_comparison", .bool(false))]), [four, four, four]) == .wrongInputCount)
        let huge = extendedBits([1 << 20, 1, 1], [UInt64](repeating: 0, count: 1 << 20))
        let wide = extendedBits([1, 1 << 20, 1], [UInt64](repeating: 0, count: 1 << 20))
        #expect(extendedErrorCode(gt, [huge, wide]) == .tooLarge)
    }

    @Test(arguments: [false, true])
    func binaryAddExhaustiveFourBit(overflow: Bool) throws {
        let pairs = (0..<256).map { (UInt64($0 >> 4), UInt64($0 & 15)) }
        let op = extendedCustom("BinaryAdd", [("overflow_bit", .bool(overflow))])
        let out = try extendedEval(op, [Self.numbers(pairs.map(\.0), width: 4), Self.numbers(pairs.map(\.1), width: 4)])
        let sum = Self.numbers(pairs.map { ($0 + $1) & 15 }, width: 4)
        if overflow {
            #expect(out == .tuple([sum, extendedBits([256, 1], pairs.map { ($0 + $1) >> 4 })]))
        } else {
            #expect(out == sum)
        }
    }

    @Test func binaryAddWideAndBroadcast() throws {
        var g = try AESCTRGenerator(key: [UInt8](repeating: 3, count: 16))
        let a = [0, .max, 1, .max] + (0..<100).map { _ in g.next(UInt64.self) }
        let b = [0, 1, .max, .max] + (0..<100).map { _ in g.next(UInt64.self) }
        let out = try extendedEval(extendedCustom("BinaryAdd", [("overflow_bit", .bool(true))]), [Self.numbers(a, width: 64), Self.numbers(b, width: 64)])
        #expect(out == .tuple([Self.numbers(zip(a, b).map { $0 &+ $1 }, width: 64), extendedBits([a.count, 1], zip(a, b).map { $0.addingReportingOverflow($1).overflow ? 1 : 0 })]))
        // [2, 1, 2 bits] + [3, 2 bits] → [2, 3, 2 bits].
        let x = extendedBits([2, 1, 2], extendedBitsOf(1, width: 2) + extendedBitsOf(3, width: 2))
        let y = Self.numbers([0, 1, 2], width: 2)
        let sums: [UInt64] = [1, 2, 3, 3, 0, 1]
        #expect(try extendedEval(extendedCustom("BinaryAdd", [("overflow_bit", .bool(false))]), [x, y]) == extendedBits([2, 3, 2], sums.flatMap { extendedBitsOf($0, width: 2) }))
        // One-bit numbers: XOR, carry out AND.
        #expect(try extendedEval(extendedCustom("BinaryAdd", [("overflow_bit", .bool(true))]), [extendedBits([1], [1]), extendedBits([1], [1])])
            == .tuple([extendedBits([1], [0]), extendedBits([1], [1])]))
    }

    @Test func binaryAddRejectsBadArguments() {
        let op = extendedCustom("BinaryAdd", [("overflow_bit", .bool(false))])
        #expect(extendedErrorCode(op, [Self.numbers([1], width: 3), Self.numbers([1], width: 3)]) == .invalidArgument)
        #expect(extendedErrorCode(op, [Self.numbers([1], width: 4), Self.numbers([1], width: 2)]) == .shapeMismatch)
        #expect(extendedErrorCode(op, [extendedTensor(.u8, [4], [0, 1, 0, 1]), Self.numbers([1], width: 4)]) == .typeMismatch)
        #expect(extendedErrorCode(extendedCustom("BinaryAdd", [("overflow_bit", .int(1))]), [Self.numbers([1], width: 4), Self.numbers([1], width: 4)]) == .invalidArgument)
    }

    /// CipherCore's own Clip2K expectations for k = 10 on 64-bit two's complement numbers.
    @Test func clip2K() throws {
        let values: [Int64] = [0, 1, -1, 2, -2, 1023, -1023, 1024, -1024, 1025, -1025, 2048, -2048, 2047, -2047, 2049, -2049, .min, .max]
        let clipped: [Int64] = [0, 1, 0, 2, 0, 1023, 0, 1024, 0, 1024, 0, 1024, 0, 1024, 0, 1024, 0, 0, 1024]
        let op = extendedCustom("Clip2K", [("k", .int(10))])
        let out = try extendedEval(op, [Self.numbers(values.map { UInt64(bitPattern: $0) }, width: 64)])
        #expect(out == Self.numbers(clipped.map { UInt64(bitPattern: $0) }, width: 64))
        let single = extendedBits([64], extendedBitsOf(123_456_789, width: 64))
        #expect(try extendedEval(extendedCustom("Clip2K", [("k", .int(20))]), [single]) == extendedBits([64], extendedBitsOf(1 << 20, width: 64)))
        // Largest k: bits − 2. On 3 bits, k = 1 clips to [0, 2].
        let all3 = Self.numbers(Array(0..<8), width: 3)
        #expect(try extendedEval(extendedCustom("Clip2K", [("k", .int(1))]), [all3]) == Self.numbers([0, 1, 2, 2, 0, 0, 0, 0], width: 3))
    }

    @Test func clip2KRejectsBadArguments() {
        let x = Self.numbers([1], width: 8)
        #expect(extendedErrorCode(extendedCustom("Clip2K", [("k", .int(7))]), [x]) == .invalidArgument)
        #expect(extendedErrorCode(extendedCustom("Clip2K", [("k", .int(0))]), [extendedBits([1], [1])]) == .invalidArgument)
        #expect(extendedErrorCode(extendedCustom("Clip2K", [("k", .int(-1))]), [x]) == .invalidArgument)
        #expect(extendedErrorCode(extendedCustom("Clip2K"), [x]) == .invalidArgument)
        #expect(extendedErrorCode(extendedCustom("Clip2K", [("k", .int(2))]), [extendedTensor(.i8, [1], [5])]) == .typeMismatch)
        #expect(extendedErrorCode(extendedCustom("Clip2K", [("k", .int(2))]), [x, x]) == .wrongInputCount)
    }
}
