import ConfideCore
import Testing

@testable import ConfideMPC

@Suite struct BinaryShareTests {
    @Test(arguments: [1, 5, 63, 64, 65, 100, 128, 1000])
    func concatenatedPackedColumnsEqualPackingTheirBitsInOrder(count: Int) {
        var generator = AESCTRGenerator.fromSystemEntropy()
        for parts in [1, 2, 3, 7] {
            // Words with stray bits above `count` too: they must not leak into the next column.
            let columns: [[UInt64]] = (0..<parts).map { _ in (0..<BinaryShare.wordCount(count)).map { _ in generator.next(UInt64.self) } }
            let expected = BinaryShare.pack(columns.flatMap { BinaryShare.unpack($0, count: count) })
            let found = BinaryShare.concatenated(columns, count: count)
            #expect(BinaryShare.unpack(found, count: parts * count) == BinaryShare.unpack(expected, count: parts * count), "\(parts) x \(count)")
            #expect(found == expected, "\(parts) x \(count): no bits past the end")
        }
    }
}
