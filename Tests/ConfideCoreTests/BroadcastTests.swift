import Testing
@testable import ConfideCore

@Suite struct BroadcastTests {
    @Test(arguments: [
        ([Int](), [Int](), [Int]()),
        ([], [3], [3]),
        ([2, 3], [3], [2, 3]),
        ([2, 1], [1, 3], [2, 3]),
        ([4, 1, 5], [3, 1], [4, 3, 5]),
        ([1], [7, 1, 2], [7, 1, 2]),
        ([5, 4], [1], [5, 4]),
    ])
    func shapes(_ a: [Int], _ b: [Int], _ expected: [Int]) throws {
        #expect(try Broadcast.shape(a, b) == expected)
        #expect(try Broadcast.shape(b, a) == expected)
    }

    @Test func severalShapes() throws {
        #expect(try Broadcast.shape([[2, 1], [3], [1, 1, 1]]) == [1, 2, 3])
        #expect(try Broadcast.shape([]) == [])
    }

    @Test(arguments: [([2], [3]), ([2, 3], [3, 2]), ([4, 2, 3], [5, 3])])
    func mismatchNamesBothShapes(_ a: [Int], _ b: [Int]) {
        let error = #expect(throws: ConfideError.self) { try Broadcast.shape(a, b) }
        #expect(error?.code == .shapeMismatch)
        #expect(error?.message.contains("\(a)") == true)
        #expect(error?.message.contains("\(b)") == true)
    }

    @Test func sourceIndices() {
        #expect(Broadcast.sourceIndices(from: [2, 3], to: [2, 3]) == nil)
        #expect(Broadcast.sourceIndices(from: [], to: [2, 2]) == [0, 0, 0, 0])
        #expect(Broadcast.sourceIndices(from: [3], to: [2, 3]) == [0, 1, 2, 0, 1, 2])
        #expect(Broadcast.sourceIndices(from: [2, 1], to: [2, 3]) == [0, 0, 0, 1, 1, 1])
        #expect(Broadcast.sourceIndices(from: [1, 3], to: [2, 3]) == [0, 1, 2, 0, 1, 2])
        #expect(Broadcast.sourceIndices(from: [2, 1, 2], to: [2, 2, 2]) == [0, 1, 0, 1, 2, 3, 2, 3])
        #expect(Broadcast.sourceIndices(from: [1], to: [3]) == [0, 0, 0])
    }

    @Test func sourceIndicesMatchNaiveMapping() throws {
        let source = [3, 1, 4]
        let target = [2, 3, 5, 4]
        let indices = try #require(Broadcast.sourceIndices(from: source, to: target))
        let ts = Tensor.strides(target)
        let ss = Tensor.strides(source)
        for k in 0..<Tensor.elementCount(target) {
            let coords = (0..<target.count).map { (k / ts[$0]) % target[$0] }
            let tail = Array(coords.suffix(source.count))
            let expected = (0..<source.count).reduce(0) { $0 + (source[$1] == 1 ? 0 : tail[$1] * ss[$1]) }
            #expect(indices[k] == expected)
        }
    }
}
