import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Slice resolution (GetSlice)")
struct SliceResolutionTests {
    typealias E = Operation.SliceElement

    private func shape(_ elements: [E], _ shape: [Int] = [10, 20, 30]) throws -> [Int] {
        try SliceResolution(elements, shape: shape).resultShape
    }

    private func code(_ elements: [E], _ shape: [Int] = [10, 20, 30]) -> ConfideError.Code? {
        do {
            _ = try SliceResolution(elements, shape: shape)
            return nil
        } catch let error as ConfideError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test(
        "result shapes of CipherCore's slicing examples",
        arguments: [
            ([], [10, 20, 30]),
            ([.singleIndex(0)], [20, 30]),
            ([.singleIndex(9)], [20, 30]),
            ([.singleIndex(-10)], [20, 30]),
            ([.subArray(start: nil, stop: nil, step: nil)], [10, 20, 30]),
            ([.subArray(start: 3, stop: nil, step: nil)], [7, 20, 30]),
            ([.subArray(start: 9, stop: nil, step: nil)], [1, 20, 30]),
            ([.subArray(start: -1, stop: nil, step: nil)], [1, 20, 30]),
            ([.subArray(start: -10, stop: nil, step: nil)], [10, 20, 30]),
            ([.subArray(start: 3, stop: 13, step: 5)], [2, 20, 30]),
            ([.subArray(start: 9, stop: 13, step: 5)], [1, 20, 30]),
            ([.subArray(start: nil, stop: nil, step: -1)], [10, 20, 30]),
            ([.subArray(start: 3, stop: nil, step: -1)], [4, 20, 30]),
            ([.subArray(start: 3, stop: -1, step: nil)], [6, 20, 30]),
            ([.subArray(start: 3, stop: -1, step: nil), .singleIndex(3)], [6, 30]),
            ([.singleIndex(3), .subArray(start: 3, stop: -1, step: nil)], [16, 30]),
            ([.ellipsis], [10, 20, 30]),
            ([.ellipsis, .singleIndex(3)], [10, 20]),
            ([.singleIndex(3), .ellipsis], [20, 30]),
            ([.singleIndex(3), .ellipsis, .subArray(start: 0, stop: 5, step: 3), .subArray(start: 0, stop: 5, step: 4)], [2, 2]),
            ([.singleIndex(1), .singleIndex(2), .singleIndex(3)], []),
            ([.subArray(start: -1, stop: nil, step: -3)], [4, 20, 30]),
            ([.subArray(start: 8, stop: 1, step: -2)], [4, 20, 30]),
            ([.subArray(start: -2, stop: -9, step: -3)], [3, 20, 30]),
            ([.ellipsis, .subArray(start: nil, stop: nil, step: -7)], [10, 20, 5]),
            ([.subArray(start: 0, stop: 10, step: Int.max)], [1, 20, 30]),
            ([.subArray(start: 9, stop: -11, step: Int.min)], [1, 20, 30]),
        ] as [([E], [Int])]
    )
    func shapes(_ elements: [E], _ expected: [Int]) throws {
        #expect(try shape(elements) == expected)
    }

    @Test(
        "slices CipherCore rejects",
        arguments: [
            ([.singleIndex(-11)], ConfideError.Code.outOfRange),
            ([.singleIndex(10)], .outOfRange),
            ([.singleIndex(Int.min)], .outOfRange),
            ([.singleIndex(Int.max)], .outOfRange),
            ([.subArray(start: 10, stop: nil, step: nil)], .invalidArgument),
            ([.subArray(start: -11, stop: nil, step: nil)], .outOfRange),
            ([.subArray(start: nil, stop: nil, step: 0)], .invalidArgument),
            ([.subArray(start: 0, stop: 100, step: nil)], .outOfRange),
            ([.subArray(start: 5, stop: 5, step: nil)], .invalidArgument),
            ([.subArray(start: 2, stop: 5, step: -1)], .invalidArgument),
            ([.subArray(start: 12, stop: 0, step: -1)], .outOfRange),
            ([.subArray(start: Int.min, stop: Int.max, step: 1)], .outOfRange),
            ([.subArray(start: nil, stop: nil, step: nil), .subArray(start: nil, stop: nil, step: nil),
              .subArray(start: nil, stop: nil, step: nil), .subArray(start: nil, stop: nil, step: nil)], .invalidArgument),
            ([.ellipsis, .ellipsis], .invalidArgument),
            ([.singleIndex(3), .ellipsis, .singleIndex(7), .subArray(start: 0, stop: 5, step: 3), .subArray(start: 0, stop: 5, step: 4)], .invalidArgument),
        ] as [([E], ConfideError.Code)]
    )
    func errors(_ elements: [E], _ expected: ConfideError.Code) {
        #expect(code(elements) == expected)
    }

    @Test("a single index on a 1-D array gives a scalar")
    func scalarResult() throws {
        #expect(try shape([.singleIndex(3)], [10]) == [])
        let type = try inferenceType(.getSlice([.singleIndex(-1)]), tiArray(.i8, 10))
        #expect(type == .scalar(.i8))
        let sliced = try inferenceType(.getSlice([.ellipsis, .subArray(start: nil, stop: nil, step: -1)]), tiBits(4, 64))
        #expect(sliced == tiBits(4, 64))
        #expect(inferenceError(.getSlice([]), .scalar(.i8))?.code == .typeMismatch)
        #expect(inferenceError(.getSlice([.singleIndex(4)]), tiArray(.i8, 4))?.code == .outOfRange)
    }

    @Test("per-dimension resolution")
    func dimensions() throws {
        let resolved = try SliceResolution([.singleIndex(-2), .subArray(start: nil, stop: nil, step: -2)], shape: [3, 5, 2])
        #expect(resolved.dimensions == [
            .init(start: 1, count: 1, step: 1, keepsDimension: false),
            .init(start: 4, count: 3, step: -2, keepsDimension: true),
            .init(start: 0, count: 2, step: 1, keepsDimension: true),
        ])
        #expect(resolved.resultShape == [3, 2])
        #expect(resolved.sourceShape == [3, 5, 2])
    }

    @Test("source indices of the result elements, row-major")
    func sourceIndices() throws {
        // x = arange(30).reshape(3, 5, 2); x[-2, ::-2] == [[18, 19], [14, 15], [10, 11]]
        let resolved = try SliceResolution([.singleIndex(-2), .subArray(start: nil, stop: nil, step: -2)], shape: [3, 5, 2])
        #expect(resolved.sourceFlatIndices() == [18, 19, 14, 15, 10, 11])
        // x = arange(10); x[8:1:-3] == [8, 5, 2]
        #expect(try SliceResolution([.subArray(start: 8, stop: 1, step: -3)], shape: [10]).sourceFlatIndices() == [8, 5, 2])
        // a single element
        #expect(try SliceResolution([.singleIndex(1), .singleIndex(0)], shape: [2, 3]).sourceFlatIndices() == [3])
        // the whole array
        #expect(try SliceResolution([], shape: [2, 2]).sourceFlatIndices() == [0, 1, 2, 3])
        // y = arange(24).reshape(2, 3, 4); y[..., 1:4:2] == [[[1,3],[5,7],[9,11]],[[13,15],[17,19],[21,23]]]
        let ellipsis = try SliceResolution([.ellipsis, .subArray(start: 1, stop: 4, step: 2)], shape: [2, 3, 4])
        #expect(ellipsis.sourceFlatIndices() == [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23])
    }

    @Test("non-positive dimensions are rejected")
    func badShape() {
        #expect(code([], [2, 0]) == .invalidType)
        #expect(code([.singleIndex(0)], [-1]) == .invalidType)
    }
}
