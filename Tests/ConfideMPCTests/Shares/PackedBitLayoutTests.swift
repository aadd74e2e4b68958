import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// The packed fast paths give the evaluator's bits for every layout they take, at unaligned
/// offsets and lengths; other operations are left to the evaluator.
@Suite struct PackedBitLayoutTests {
    static func bits(_ shape: [Int], seed: UInt8) -> Tensor {
        var data = MPCTestData(seed: seed)
        return data.tensor(.bit, shape)
    }

    /// Where the evaluator refuses the layout (a slice outside the array), the fast path must not take it.
    static func check(_ op: Operation, _ inputs: [Tensor]) throws {
        let packed = inputs.map { BinaryShare.pack($0.narrowWords!) }
        guard let expected = try? Evaluator.apply(op, to: inputs.map { .tensor($0) }).tensor else {
            #expect(PackedBitLayout.apply(op, shapes: inputs.map(\.shape), packed) == nil, "\(op) is refused by the evaluator")
            return
        }
        if case let .getSlice(elements) = op, expected.shape.first == 0, elements.count == 1 { return }
        let fast = try #require(PackedBitLayout.apply(op, shapes: inputs.map(\.shape), packed), "\(op) takes the fast path")
        #expect(fast.shape == expected.shape, "\(op)")
        #expect(BinaryShare.unpack(fast.words, count: expected.count) == expected.narrowWords!, "\(op)")
        #expect(fast.words.count == BinaryShare.wordCount(expected.count), "\(op)")
    }

    @Test func layoutsMatchTheEvaluator() throws {
        let matrix = Self.bits([37, 67], seed: 1)
        try Self.check(.permuteAxes([1, 0]), [matrix])
        try Self.check(.permuteAxes([1, 0]), [Self.bits([1000, 64], seed: 2)])
        for i in [0, 5, 36] { try Self.check(.get([i]), [matrix]) }
        try Self.check(.get([3, 66]), [matrix])
        let cube = Self.bits([5, 3, 7], seed: 3)
        try Self.check(.get([4]), [cube])
        try Self.check(.get([2, 1]), [cube])
        for (start, stop) in [(nil, 5), (3, nil), (1, -1), (-4, nil), (10, 20), (5, 3), (nil, nil)] as [(Int?, Int?)] {
            try Self.check(.getSlice([.subArray(start: start, stop: stop, step: nil)]), [matrix])
            try Self.check(.getSlice([.subArray(start: start, stop: stop, step: 1)]), [cube])
        }
        try Self.check(.concatenate(0), [matrix, Self.bits([3, 67], seed: 4), Self.bits([1, 67], seed: 5)])
        try Self.check(.stack([3]), [Self.bits([13], seed: 6), Self.bits([13], seed: 7), Self.bits([13], seed: 8)])
        try Self.check(.stack([2, 2]), (0..<4).map { Self.bits([5, 3], seed: UInt8(10 + $0)) })
        try Self.check(.reshape(.array([67, 37], .bit)), [matrix])
        try Self.check(.permuteAxes([2, 0, 1]), [cube])
        try Self.check(.permuteAxes([1, 2, 0]), [cube])
        try Self.check(.getSlice([.subArray(start: 1, stop: 4, step: nil), .ellipsis]), [cube])
    }

    @Test func otherLayoutsAreLeftToTheEvaluator() {
        let cube = BinaryShare.pack(Self.bits([2, 3, 4], seed: 9).narrowWords!)
        #expect(PackedBitLayout.apply(.permuteAxes([0, 2, 1]), shapes: [[2, 3, 4]], [cube]) == nil)
        #expect(PackedBitLayout.apply(.getSlice([.subArray(start: 0, stop: 2, step: 2)]), shapes: [[2, 3, 4]], [cube]) == nil)
        #expect(PackedBitLayout.apply(.concatenate(1), shapes: [[2, 3, 4], [2, 3, 4]], [cube, cube]) == nil)
        #expect(PackedBitLayout.apply(.get([5]), shapes: [[2, 3, 4]], [cube]) == nil)
    }

    /// Row shifts (the bits of ⌊x / 2^d⌋) against a bit-by-bit reference, for row widths that do
    /// and do not fill whole words.
    @Test(arguments: [8, 32, 64, 128])
    func rowShiftsMatchABitByBitReference(width k: Int) throws {
        let rows = 37
        let bits = Self.bits([rows, k], seed: UInt8(k % 251)).narrowWords!
        for d in [1, k / 2, k - 1] {
            for signed in [false, true] {
                var expected = bits
                for r in 0..<rows {
                    let base = r * k
                    for j in 0..<k { expected[base + j] = j + d < k ? bits[base + j + d] : (signed ? bits[base + k - 1] : 0) }
                }
                let got = PackedBitLayout.shiftedRows(BinaryShare.pack(bits), rows: rows, width: k, by: d, signed: signed)
                #expect(BinaryShare.unpack(got, count: bits.count) == expected, "width \(k), shift \(d), signed \(signed)")
            }
        }
    }
}
