import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Extended SegmentCumSum")
struct ExtendedSegmentCumSumTests {
    @Test func oneDimensional() throws {
        let x = extendedTensor(.i32, [5], [1, 2, 3, 4, 5])
        let b = extendedBits([5], [1, 1, 0, 1, 0])
        // Rows: first = 10; 1+10 = 11; 2+11 = 13; 3; 4+3 = 7; 5.
        #expect(try extendedEval(.segmentCumSum, [x, b, .scalar(.i32, 10)]) == extendedTensor(.i32, [6], [10, 11, 13, 3, 7, 5]))
    }

    @Test func twoDimensional() throws {
        let x = extendedTensor(.u16, [3, 2], [1, 2, 3, 4, 5, 6])
        let b = extendedBits([3], [0, 1, 1])
        let first = extendedTensor(.u16, [2], [100, 200])
        #expect(try extendedEval(.segmentCumSum, [x, b, first]) == extendedTensor(.u16, [4, 2], [100, 200, 1, 2, 4, 6, 9, 12]))
    }

    /// Sums wrap modulo 2^bits for every scalar type (bit: XOR).
    @Test(arguments: ScalarType.allCases)
    func wrapsAround(scalar: ScalarType) throws {
        let values = extendedEdgeValues(scalar)
        let x = extendedTensor(scalar, [6], values)
        let b = extendedBits([6], [1, 1, 1, 1, 1, 1])
        var expected: [Int128] = [-1]
        for v in values { expected.append(expected.last! &+ v) }
        let out = try extendedEval(.segmentCumSum, [x, b, extendedTensor(scalar, [], [-1])])
        #expect(out == extendedTensor(scalar, [7], expected))
    }

    @Test func rejectsBadArguments() {
        let x = extendedTensor(.u8, [2, 2], [1, 2, 3, 4])
        let b = extendedBits([2], [1, 0])
        let first = extendedTensor(.u8, [2], [0, 0])
        #expect(extendedErrorCode(.segmentCumSum, [x, extendedBits([3], [1, 0, 1]), first]) == .typeMismatch)
        #expect(extendedErrorCode(.segmentCumSum, [x, extendedTensor(.u8, [2], [1, 0]), first]) == .typeMismatch)
        #expect(extendedErrorCode(.segmentCumSum, [x, b, extendedTensor(.u16, [2], [0, 0])]) == .typeMismatch)
        #expect(extendedErrorCode(.segmentCumSum, [x, b, .scalar(.u8, 0)]) == .typeMismatch)
        #expect(extendedErrorCode(.segmentCumSum, [.scalar(.u8, 1), b, first]) == .typeMismatch)
        #expect(extendedErrorCode(.segmentCumSum, [x, b]) == .wrongInputCount)
    }
}
