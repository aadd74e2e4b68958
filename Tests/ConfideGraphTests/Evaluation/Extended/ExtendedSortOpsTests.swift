import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Extended sort operations")
struct ExtendedSortOpsTests {
    /// Keys as 3-bit rows (element 0 most significant): 101, 011, 101, 000, 011.
    static let keyRows: [UInt64] = [1, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1, 1]

    @Test func sortOrdersRowsLexicographicallyAndStably() throws {
        let input = Value.namedTuple([
            .init("payload", extendedTensor(.i16, [5, 2], [0, -1, 10, 11, 20, 21, 30, 31, 40, 41])),
            .init("key", extendedBits([5, 3], Self.keyRows)),
        ])
        // Order: 000 (row 3), 011 (rows 1, 4), 101 (rows 0, 2).
        let expected = Value.namedTuple([
            .init("payload", extendedTensor(.i16, [5, 2], [30, 31, 10, 11, 40, 41, 0, -1, 20, 21])),
            .init("key", extendedBits([5, 3], [0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1])),
        ])
        #expect(try extendedEval(.sort(key: "key"), [input]) == expected)
    }

    /// Rows longer than 64 bits compare across words; equal rows keep their order.
    @Test func sortLongKeys() throws {
        let width = 130
        func row(_ ones: [Int]) -> [UInt64] { (0..<width).map { ones.contains($0) ? 1 : 0 } }
        let rows = [row([100]), row([64]), row([100]), row([129]), row([])]
        let input = Value.namedTuple([
            .init("k", extendedBits([5, width], rows.flatMap { $0 })),
            .init("id", extendedTensor(.u8, [5], [0, 1, 2, 3, 4])),
        ])
        let out = try extendedEval(.sort(key: "k"), [input])
        #expect(out.children?[1] == extendedTensor(.u8, [5], [4, 3, 0, 2, 1]))
    }

    @Test func sortRejectsBadArguments() {
        let key = extendedBits([2, 1], [1, 0])
        func run(_ fields: [Value.NamedValue], key name: String = "key") -> ConfideError.Code? {
            extendedErrorCode(.sort(key: name), [.namedTuple(fields)])
        }
        #expect(run([.init("key", key)], key: "other") == .invalidArgument)
        #expect(run([.init("key", extendedBits([2], [1, 0]))]) == .typeMismatch)
        #expect(run([.init("key", extendedTensor(.u8, [2, 1], [1, 0]))]) == .typeMismatch)
        #expect(run([.init("key", key), .init("x", extendedTensor(.u8, [3], [1, 2, 3]))]) == .shapeMismatch)
        #expect(run([.init("key", key), .init("x", .scalar(.u8, 1))]) == .typeMismatch)
        #expect(run([]) == .invalidArgument)
        #expect(extendedErrorCode(.sort(key: "key"), [.tuple([key])]) == .typeMismatch)
        #expect(extendedErrorCode(.sort(key: "key"), []) == .wrongInputCount)
    }

    @Test(arguments: ScalarType.allCases)
    func sortByIntegerKeyMatchesSwift(scalar: ScalarType) throws {
        let keys = extendedEdgeValues(scalar) + [2, 42, 0, -1]
        let n = keys.count
        let key = Tensor(scalar, shape: [n], wrapping: keys)
        let input = Value.namedTuple([
            .init("id", extendedTensor(.u32, [n], (0..<n).map { Int128($0) })),
            .init("key", .tensor(key)),
        ])
        let op = extendedCustom("SortByIntegerKey", [("key", .string("key"))])
        let out = try extendedEval(op, [input])
        // Swift's reference: stable order by interpreted value.
        func less(_ i: Int, _ j: Int) -> Bool {
            scalar.isSigned ? key.value(at: i) < key.value(at: j) : key.residue(at: i) < key.residue(at: j)
        }
        let order = (0..<n).sorted { less($0, $1) || (!less($1, $0) && $0 < $1) }
        #expect(out == .namedTuple([
            .init("id", extendedTensor(.u32, [n], order.map { Int128($0) })),
            .init("key", .tensor(key.gathered(order, shape: [n]))),
        ]))
    }

    @Test func sortByIntegerKeyHandExample() throws {
        let input = Value.namedTuple([
            .init("v", extendedTensor(.i8, [4], [-128, 127, -1, 0])),
            .init("w", extendedTensor(.u8, [4, 2], [1, 2, 3, 4, 5, 6, 7, 8])),
        ])
        let out = try extendedEval(extendedCustom("SortByIntegerKey", [("key", .string("v"))]), [input])
        #expect(out == .namedTuple([
            .init("v", extendedTensor(.i8, [4], [-128, -1, 0, 127])),
            .init("w", extendedTensor(.u8, [4, 2], [1, 2, 5, 6, 7, 8, 3, 4])),
        ]))
    }

    @Test func sortByIntegerKeyRejectsBadArguments() {
        let op = extendedCustom("SortByIntegerKey", [("key", .string("k"))])
        #expect(extendedErrorCode(op, [.namedTuple([.init("k", extendedTensor(.u8, [2, 2], [1, 2, 3, 4]))])]) == .typeMismatch)
        #expect(extendedErrorCode(op, [.namedTuple([.init("k", .scalar(.u8, 1))])]) == .typeMismatch)
        #expect(extendedErrorCode(op, [.namedTuple([.init("j", extendedTensor(.u8, [2], [1, 2]))])]) == .invalidArgument)
        #expect(extendedErrorCode(extendedCustom("SortByIntegerKey"), [.namedTuple([.init("k", extendedTensor(.u8, [2], [1, 2]))])]) == .invalidArgument)
        #expect(extendedErrorCode(extendedCustom("SortByIntegerKey", [("key", .int(3))]), [.namedTuple([])]) == .invalidArgument)
        #expect(extendedErrorCode(op, []) == .wrongInputCount)
    }
}
