import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Extended permutation operations")
struct ExtendedPermutationOpsTests {
    /// x = [[0, 1, 2], [3, 4, 5]] as i32.
    static let x = extendedTensor(.i32, [2, 3], [0, 1, 2, 3, 4, 5])

    @Test func gatherAlongEachAxis() throws {
        #expect(try extendedEval(.gather(0), [Self.x, extendedTensor(.u64, [2], [1, 0])]) == extendedTensor(.i32, [2, 3], [3, 4, 5, 0, 1, 2]))
        #expect(try extendedEval(.gather(0), [Self.x, extendedTensor(.u8, [1], [1])]) == extendedTensor(.i32, [1, 3], [3, 4, 5]))
        #expect(try extendedEval(.gather(1), [Self.x, extendedTensor(.u32, [2], [2, 2])]) == extendedTensor(.i32, [2, 2], [2, 2, 5, 5]))
        // A two-dimensional index array replaces the axis by its shape.
        #expect(try extendedEval(.gather(1), [Self.x, extendedTensor(.u16, [1, 3], [2, 0, 1])]) == extendedTensor(.i32, [2, 1, 3], [2, 0, 1, 5, 3, 4]))
        // Middle axis of a rank-3 array.
        let y = extendedTensor(.u8, [2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(try extendedEval(.gather(1), [y, extendedTensor(.u64, [1], [1])]) == extendedTensor(.u8, [2, 1, 2], [2, 3, 6, 7]))
    }

    @Test(arguments: ScalarType.allCases)
    func gatherKeepsEdgeValues(scalar: ScalarType) throws {
        let values = extendedEdgeValues(scalar)
        let input = extendedTensor(scalar, [6], values)
        let out = try extendedEval(.gather(0), [input, extendedTensor(.u64, [6], [5, 4, 3, 2, 1, 0])])
        #expect(out == extendedTensor(scalar, [6], values.reversed()))
    }

    @Test func gatherRejectsBadArguments() {
        #expect(extendedErrorCode(.gather(1), [Self.x, extendedTensor(.u64, [1], [3])]) == .outOfRange)
        #expect(extendedErrorCode(.gather(0), [Self.x, extendedTensor(.u64, [3], [0, 0, 1])]) == .shapeMismatch)
        #expect(extendedErrorCode(.gather(2), [Self.x, extendedTensor(.u64, [1], [0])]) == .invalidArgument)
        #expect(extendedErrorCode(.gather(-1), [Self.x, extendedTensor(.u64, [1], [0])]) == .invalidArgument)
        for bad in [extendedTensor(.i64, [1], [0]), extendedBits([1], [0]), extendedTensor(.u128, [1], [0]), .scalar(.u64, 0)] {
            #expect(extendedErrorCode(.gather(0), [Self.x, bad]) == .typeMismatch)
        }
        #expect(extendedErrorCode(.gather(0), [.scalar(.u32, 1), extendedTensor(.u64, [1], [0])]) == .typeMismatch)
        #expect(extendedErrorCode(.gather(0), [Self.x]) == .wrongInputCount)
    }

    @Test func inversePermutation() throws {
        #expect(try extendedEval(.inversePermutation, [extendedTensor(.u32, [4], [2, 0, 3, 1])]) == extendedTensor(.u32, [4], [1, 3, 0, 2]))
        #expect(try extendedEval(.inversePermutation, [extendedTensor(.u8, [1], [0])]) == extendedTensor(.u8, [1], [0]))
        #expect(extendedErrorCode(.inversePermutation, [extendedTensor(.u64, [3], [0, 0, 1])]) == .invalidValue)
        #expect(extendedErrorCode(.inversePermutation, [extendedTensor(.u64, [3], [0, 1, 3])]) == .outOfRange)
        #expect(extendedErrorCode(.inversePermutation, [extendedTensor(.u64, [3], [0, 1, -1])]) == .outOfRange)
        #expect(extendedErrorCode(.inversePermutation, [extendedTensor(.u64, [2, 1], [0, 1])]) == .typeMismatch)
        #expect(extendedErrorCode(.inversePermutation, [extendedTensor(.i64, [2], [0, 1])]) == .typeMismatch)
        #expect(extendedErrorCode(.inversePermutation, [extendedTensor(.u64, [2], [0, 1]), extendedTensor(.u64, [2], [0, 1])]) == .wrongInputCount)
    }

    @Test func applyPermutation() throws {
        let rows = extendedTensor(.u16, [3, 2], [10, 11, 20, 21, 30, 31])
        let p = extendedTensor(.u64, [3], [2, 0, 1])
        #expect(try extendedEval(.applyPermutation(inverse: false), [rows, p]) == extendedTensor(.u16, [3, 2], [30, 31, 10, 11, 20, 21]))
        // The inverse of [2, 0, 1] is [1, 2, 0].
        #expect(try extendedEval(.applyPermutation(inverse: true), [rows, p]) == extendedTensor(.u16, [3, 2], [20, 21, 30, 31, 10, 11]))
    }

    @Test(arguments: ScalarType.allCases)
    func applyPermutationKeepsEdgeValues(scalar: ScalarType) throws {
        let values = extendedEdgeValues(scalar)
        let p = extendedTensor(.u8, [6], [1, 2, 3, 4, 5, 0])
        let forward = try extendedEval(.applyPermutation(inverse: false), [extendedTensor(scalar, [6], values), p])
        #expect(forward == extendedTensor(scalar, [6], Array(values[1...]) + [values[0]]))
        #expect(try extendedEval(.applyPermutation(inverse: true), [forward, p]) == extendedTensor(scalar, [6], values))
    }

    @Test func applyPermutationRejectsBadArguments() {
        let rows = extendedTensor(.u16, [3], [1, 2, 3])
        #expect(extendedErrorCode(.applyPermutation(inverse: false), [rows, extendedTensor(.u64, [3], [0, 0, 1])]) == .invalidValue)
        #expect(extendedErrorCode(.applyPermutation(inverse: true), [rows, extendedTensor(.u64, [3], [0, 1, 5])]) == .outOfRange)
        #expect(extendedErrorCode(.applyPermutation(inverse: false), [rows, extendedTensor(.u64, [2], [0, 1])]) == .typeMismatch)
        #expect(extendedErrorCode(.applyPermutation(inverse: false), [rows, extendedTensor(.i32, [3], [0, 1, 2])]) == .typeMismatch)
        #expect(extendedErrorCode(.applyPermutation(inverse: false), [.scalar(.u16, 1), extendedTensor(.u64, [1], [0])]) == .typeMismatch)
        #expect(extendedErrorCode(.applyPermutation(inverse: false), [rows]) == .wrongInputCount)
    }
}
