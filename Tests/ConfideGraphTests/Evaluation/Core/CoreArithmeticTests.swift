import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Core evaluator: arithmetic")
struct CoreArithmeticTests {
    @Test("Add, Subtract and Multiply wrap modulo 2^bits for edge values", arguments: ScalarType.allCases)
    func elementwiseEdges(_ s: ScalarType) throws {
        let edges = coreEdges(s)
        let a = edges.flatMap { x in edges.map { _ in x } }
        let b = edges.flatMap { _ in edges }
        let shape = [a.count]
        let ra = a.map { UInt128(truncatingIfNeeded: $0) & s.mask128 }
        let rb = b.map { UInt128(truncatingIfNeeded: $0) & s.mask128 }
        let sum = try coreEval(.add, [coreValue(s, shape, a), coreValue(s, shape, b)])
        let difference = try coreEval(.subtract, [coreValue(s, shape, a), coreValue(s, shape, b)])
        let product = try coreEval(.multiply, [coreValue(s, shape, a), coreValue(s, shape, b)])
        #expect(coreResiduesOf(sum) == zip(ra, rb).map { ($0 &+ $1) & s.mask128 })
        #expect(coreResiduesOf(difference) == zip(ra, rb).map { ($0 &- $1) & s.mask128 })
        #expect(coreResiduesOf(product) == zip(ra, rb).map { ($0 &* $1) & s.mask128 })
        #expect(sum.type == .array(shape, s))
    }

    @Test("Hand-computed wrap-around")
    func wrapAround() throws {
        #expect(coreResiduesOf(try coreEval(.add, [coreScalar(.u8, 255), coreScalar(.u8, 1)])) == [0])
        #expect(coreNumbers(try coreEval(.add, [coreScalar(.i8, 127), coreScalar(.i8, 1)])) == [-128])
        #expect(coreNumbers(try coreEval(.subtract, [coreScalar(.i16, -32768), coreScalar(.i16, 1)])) == [32767])
        #expect(coreResiduesOf(try coreEval(.subtract, [coreScalar(.u32, 0), coreScalar(.u32, 1)])) == [4_294_967_295])
        #expect(
            coreResiduesOf(
                try coreEval(.multiply, [coreResidues(.u64, [], [UInt128(UInt64.max)]), coreResidues(.u64, [], [UInt128(UInt64.max)])]))
                == [1])
        #expect(coreNumbers(try coreEval(.multiply, [coreScalar(.i32, -2_147_483_648), coreScalar(.i32, -1)])) == [-2_147_483_648])
        #expect(coreResiduesOf(try coreEval(.add, [coreResidues(.u128, [], [.max]), coreResidues(.u128, [], [2])])) == [1])
        #expect(coreNumbers(try coreEval(.subtract, [coreScalar(.i128, .min), coreScalar(.i128, 1)])) == [.max])
        #expect(coreNumbers(try coreEval(.multiply, [coreScalar(.i64, 1 << 62), coreScalar(.i64, 4)])) == [0])
    }

    @Test("On bit, Add and Subtract are XOR and Multiply is AND")
    func bitRing() throws {
        let a = coreValue(.bit, [4], [0, 0, 1, 1])
        let b = coreValue(.bit, [4], [0, 1, 0, 1])
        #expect(coreResiduesOf(try coreEval(.add, [a, b])) == [0, 1, 1, 0])
        #expect(coreResiduesOf(try coreEval(.subtract, [a, b])) == [0, 1, 1, 0])
        #expect(coreResiduesOf(try coreEval(.multiply, [a, b])) == [0, 0, 0, 1])
    }

    @Test("NumPy broadcasting")
    func broadcasting() throws {
        let m = coreValue(.i32, [2, 3], [1, 2, 3, 4, 5, 6])
        let row = coreValue(.i32, [3], [10, 20, 30])
        #expect(coreNumbers(try coreEval(.add, [m, row])) == [11, 22, 33, 14, 25, 36])
        #expect(coreNumbers(try coreEval(.subtract, [row, m])) == [9, 18, 27, 6, 15, 24])
        let column = coreValue(.i32, [2, 1], [1, -1])
        let product = try coreEval(.multiply, [column, row])
        #expect(product.type == .array([2, 3], .i32))
        #expect(coreNumbers(product) == [10, 20, 30, -10, -20, -30])
        let scalar = try coreEval(.add, [coreScalar(.i32, 5), m])
        #expect(coreNumbers(scalar) == [6, 7, 8, 9, 10, 11])
    }

    @Test("Incompatible operands are refused")
    func elementwiseErrors() {
        let a = coreValue(.u8, [2, 3], [1, 2, 3, 4, 5, 6])
        #expect(coreError(.add, [a, coreValue(.u8, [2], [1, 2])])?.code == .shapeMismatch)
        let mismatch = coreError(.add, [a, coreValue(.u16, [3], [1, 2, 3])])
        #expect(mismatch?.code == .typeMismatch)
        #expect(mismatch?.message.contains("u16[3]") == true)
        #expect(coreError(.multiply, [a, .tuple([])])?.code == .typeMismatch)
        #expect(coreError(.add, [a])?.code == .wrongInputCount)
    }

    @Test("MixedMultiply keeps or zeroes integers")
    func mixedMultiply() throws {
        let ints = coreValue(.i32, [3], [-5, 7, Int128(Int32.min)])
        #expect(coreNumbers(try coreEval(.mixedMultiply, [ints, coreValue(.bit, [3], [1, 0, 1])])) == [-5, 0, Int128(Int32.min)])
        #expect(coreNumbers(try coreEval(.mixedMultiply, [ints, coreScalar(.bit, 0)])) == [0, 0, 0])
        let broadcast = try coreEval(.mixedMultiply, [coreScalar(.u128, -1), coreValue(.bit, [2], [1, 0])])
        #expect(coreResiduesOf(broadcast) == [.max, 0])
        #expect(broadcast.type == .array([2], .u128))
        #expect(coreError(.mixedMultiply, [coreValue(.bit, [1], [1]), coreValue(.bit, [1], [1])])?.code == .typeMismatch)
        #expect(coreError(.mixedMultiply, [ints, ints])?.code == .typeMismatch)
    }

    @Test("Truncate of unsigned types divides rounding down")
    func truncateUnsigned() throws {
        #expect(coreResiduesOf(try coreEval(.truncate(2), [coreValue(.u8, [3], [255, 7, 0])])) == [127, 3, 0])
        #expect(coreResiduesOf(try coreEval(.truncate(1 << 64), [coreResidues(.u64, [1], [UInt128(UInt64.max)])])) == [0])
        #expect(coreResiduesOf(try coreEval(.truncate(2), [coreResidues(.u128, [1], [.max])])) == [UInt128.max >> 1])
        #expect(coreResiduesOf(try coreEval(.truncate(3), [coreResidues(.u64, [], [UInt128(UInt64.max)])])) == [UInt128(UInt64.max / 3)])
        #expect(coreResiduesOf(try coreEval(.truncate(2), [coreValue(.bit, [2], [1, 0])])) == [0, 0])
        #expect(coreResiduesOf(try coreEval(.truncate(1), [coreValue(.bit, [2], [1, 0])])) == [1, 0])
    }

    @Test("Truncate of signed types rounds toward zero, including min", arguments: [ScalarType.i8, .i16, .i32, .i64, .i128])
    func truncateSigned(_ s: ScalarType) throws {
        let minimum = coreMin(s), maximum = coreMax(s)
        let input = coreValue(s, [7], [-7, 7, -1, 1, minimum, maximum, 0])
        #expect(coreNumbers(try coreEval(.truncate(2), [input])) == [-3, 3, 0, 0, minimum / 2, maximum / 2, 0])
        #expect(coreNumbers(try coreEval(.truncate(3), [input])) == [-2, 2, 0, 0, minimum / 3, maximum / 3, 0])
        #expect(coreNumbers(try coreEval(.truncate(1), [input])) == [-7, 7, -1, 1, minimum, maximum, 0])
        let huge = UInt128(Int128.max)
        #expect(coreNumbers(try coreEval(.truncate(huge), [input])) == [0, 0, 0, 0, s == .i128 ? -1 : 0, s == .i128 ? 1 : 0, 0])
    }

    @Test("Truncate hand-computed signed values")
    func truncateExamples() throws {
        #expect(coreNumbers(try coreEval(.truncate(2), [coreValue(.i8, [3], [-128, 127, -3])])) == [-64, 63, -1])
        #expect(coreNumbers(try coreEval(.truncate(1 << 32), [coreScalar(.i64, Int128(Int64.min))])) == [-2_147_483_648])
        #expect(
            coreNumbers(try coreEval(.truncate(10), [coreScalar(.i128, .min)])) == [-17_014_118_346_046_923_173_168_730_371_588_410_572])
    }

    @Test("Truncate refuses scale 0 and signed scales above 2^127 - 1")
    func truncateErrors() {
        #expect(coreError(.truncate(0), [coreScalar(.u8, 1)])?.code == .invalidArgument)
        #expect(coreError(.truncate(1 << 127), [coreScalar(.i8, 1)])?.code == .invalidArgument)
        #expect(coreError(.truncate(2), [.tuple([])])?.code == .typeMismatch)
    }

    @Test("Sum over axes")
    func sum() throws {
        let m = coreValue(.i16, [2, 3], [1, 2, 3, 4, 5, 6])
        #expect(coreNumbers(try coreEval(.sum([0]), [m])) == [5, 7, 9])
        #expect(coreNumbers(try coreEval(.sum([1]), [m])) == [6, 15])
        let total = try coreEval(.sum([1, 0]), [m])
        #expect(total.type == .scalar(.i16))
        #expect(coreNumbers(total) == [21])
        #expect(try coreEval(.sum([]), [m]) == m)
        let cube = coreValue(.u32, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8])
        let outer = try coreEval(.sum([0, 2]), [cube])
        #expect(outer.type == .array([2], .u32))
        #expect(coreNumbers(outer) == [14, 22])  // 1+2+5+6, 3+4+7+8
        #expect(coreNumbers(try coreEval(.sum([1]), [cube])) == [4, 6, 12, 14])
    }

    @Test("Sum wraps for edge values", arguments: ScalarType.allCases)
    func sumWraps(_ s: ScalarType) throws {
        let edges = coreEdges(s)
        let expected = edges.reduce(UInt128(0)) { $0 &+ UInt128(truncatingIfNeeded: $1) } & s.mask128
        #expect(coreResiduesOf(try coreEval(.sum([0]), [coreValue(s, [edges.count], edges)])) == [expected])
    }

    @Test("Sum refuses bad axes and scalars")
    func sumErrors() {
        let m = coreValue(.u8, [2, 3], [1, 2, 3, 4, 5, 6])
        #expect(coreError(.sum([0, 0]), [m])?.code == .invalidArgument)
        #expect(coreError(.sum([2]), [m])?.code == .invalidArgument)
        #expect(coreError(.sum([-1]), [m])?.code == .invalidArgument)
        #expect(coreError(.sum([]), [coreScalar(.u8, 1)])?.code == .typeMismatch)
    }

    @Test("CumSum along an axis")
    func cumSum() throws {
        let m = coreValue(.i32, [2, 3], [1, 2, 3, 4, 5, 6])
        #expect(coreNumbers(try coreEval(.cumSum(0), [m])) == [1, 2, 3, 5, 7, 9])
        #expect(coreNumbers(try coreEval(.cumSum(1), [m])) == [1, 3, 6, 4, 9, 15])
        let cube = coreValue(.u8, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(coreNumbers(try coreEval(.cumSum(1), [cube])) == [1, 2, 4, 6, 5, 6, 12, 14])
        #expect(coreResiduesOf(try coreEval(.cumSum(0), [coreValue(.u8, [3], [200, 100, 1])])) == [200, 44, 45])
        #expect(coreResiduesOf(try coreEval(.cumSum(0), [coreResidues(.u128, [2], [.max, 1])])) == [.max, 0])
        #expect(coreError(.cumSum(2), [m])?.code == .invalidArgument)
        #expect(coreError(.cumSum(0), [coreScalar(.u8, 1)])?.code == .typeMismatch)
    }
}
