import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Extended operations on empty dimensions")
struct ExtendedEmptyDimensionTests {
    static let empty = Value.tensor(Tensor(.bit, shape: [2, 0], narrow: []))

    @Test func emptyDimensionsAreRejectedNotTrapped() {
        let ops: [(Operation, [Value])] = [
            (extendedCustom("Clip2K", [("k", .int(0))]), [Self.empty]),
            (extendedCustom("BinaryAdd", [("overflow_bit", .bool(false))]), [Self.empty, Self.empty]),
            (.custom(.comparison("GreaterThan", signed: true)), [Self.empty, Self.empty]),
            (.gather(0), [Self.empty, extendedTensor(.u64, [1], [0])]),
            (.gather(0), [extendedTensor(.u64, [1], [0]), .tensor(Tensor(.u64, shape: [0], narrow: []))]),
            (.sort(key: "k"), [.namedTuple([.init("k", Self.empty)])]),
            (.segmentCumSum, [.tensor(Tensor(.u8, shape: [0], narrow: [])), extendedBits([1], [0]), .scalar(.u8, 0)]),
            (.cuckooHash, [Self.empty, extendedBits([3, 1, 0], [])]),
            (.cuckooHash, [extendedBits([1, 1], [0]), .tensor(Tensor(.bit, shape: [3, 0, 1], narrow: []))]),
            (.cuckooToPermutation, [.tensor(Tensor(.u64, shape: [2, 0], narrow: []))]),
            (.decomposeSwitchingMap(4), [.tensor(Tensor(.u64, shape: [0], narrow: []))]),
        ]
        for (op, args) in ops {
            #expect(extendedErrorCode(op, args) == .typeMismatch, "\(op.name)")
        }
    }
}
