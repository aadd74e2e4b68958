import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Type inference: permutations, hashing and tables")
struct TypeInferenceTableTests {
    private let null = TypeInference.nullColumnHeader

    @Test("Gather replaces the axis by the index shape")
    func gather() throws {
        #expect(try inferenceType(.gather(1), tiBits(2, 3, 4), tiArray(.u64, 2)) == tiBits(2, 2, 4))
        #expect(try inferenceType(.gather(0), tiBits(4), tiArray(.u8, 3)) == tiBits(3))
        #expect(try inferenceType(.gather(2), tiBits(2, 3, 7, 5), tiArray(.u32, 2, 3)) == tiBits(2, 3, 2, 3, 5))
        #expect(inferenceError(.gather(1), .scalar(.bit), tiArray(.u64, 2))?.code == .typeMismatch)
        #expect(inferenceError(.gather(1), tiBits(2, 3, 4), .scalar(.u64))?.code == .typeMismatch)
        #expect(inferenceError(.gather(1), tiBits(2, 3, 4), tiArray(.i32, 2))?.code == .typeMismatch)
        #expect(inferenceError(.gather(1), tiBits(2, 3, 4), tiArray(.u128, 2))?.code == .typeMismatch)
        #expect(inferenceError(.gather(1), tiBits(2, 3, 4), tiBits(2))?.code == .typeMismatch)
        #expect(inferenceError(.gather(3), tiBits(2, 3, 4), tiArray(.u64, 2))?.code == .invalidArgument)
        #expect(inferenceError(.gather(-1), tiBits(2, 3, 4), tiArray(.u64, 2))?.code == .invalidArgument)
        #expect(inferenceError(.gather(1), tiBits(2, 3, 4), tiArray(.u64, 2, 2))?.code == .shapeMismatch)
    }

    @Test("InversePermutation, ApplyPermutation and CuckooToPermutation")
    func permutations() throws {
        for scalar in [ScalarType.u8, .u16, .u32, .u64] {
            #expect(try inferenceType(.inversePermutation, .array([5], scalar)) == .array([5], scalar))
            #expect(try inferenceType(.applyPermutation(inverse: false), tiArray(.i32, 5, 2), .array([5], scalar)) == tiArray(.i32, 5, 2))
        }
        for scalar in [ScalarType.bit, .i8, .i64, .u128, .i128] {
            #expect(inferenceError(.inversePermutation, .array([5], scalar))?.code == .typeMismatch)
            #expect(inferenceError(.applyPermutation(inverse: true), tiArray(.i32, 5), .array([5], scalar))?.code == .typeMismatch)
        }
        #expect(inferenceError(.inversePermutation, tiArray(.u64, 5, 1))?.code == .shapeMismatch)
        #expect(inferenceError(.inversePermutation, .scalar(.u64))?.code == .typeMismatch)
        #expect(inferenceError(.applyPermutation(inverse: false), tiArray(.i32, 5), tiArray(.u64, 4))?.code == .typeMismatch)
        #expect(inferenceError(.applyPermutation(inverse: false), tiArray(.i32, 5), .scalar(.u64))?.code == .typeMismatch)
        #expect(inferenceError(.applyPermutation(inverse: false), .scalar(.i32), tiArray(.u64, 1))?.code == .typeMismatch)
        #expect(try inferenceType(.cuckooToPermutation, tiArray(.u64, 3, 8)) == tiArray(.u64, 3, 8))
        #expect(inferenceError(.cuckooToPermutation, tiArray(.u32, 8))?.code == .typeMismatch)
    }

    @Test("DecomposeSwitchingMap gives (permutation, (duplication map, bits), permutation)")
    func decomposeSwitchingMap() throws {
        let map = tiArray(.u64, 6)
        let expected = ValueType.tuple([map, .tuple([tiArray(.u64, 6), tiBits(6)]), map])
        #expect(try inferenceType(.decomposeSwitchingMap(6), map) == expected)
        #expect(try inferenceType(.decomposeSwitchingMap(10), map) == expected)
        #expect(inferenceError(.decomposeSwitchingMap(5), map)?.code == .shapeMismatch)
        #expect(inferenceError(.decomposeSwitchingMap(6), tiArray(.u32, 6))?.code == .typeMismatch)
    }

    @Test("CuckooHash builds a u64 table of 2^rows entries")
    func cuckooHash() throws {
        #expect(try inferenceType(.cuckooHash, tiBits(4, 8), tiBits(3, 5, 8)) == tiArray(.u64, 32))
        #expect(try inferenceType(.cuckooHash, tiBits(2, 4, 8), tiBits(3, 5, 8)) == tiArray(.u64, 2, 32))
        #expect(inferenceError(.cuckooHash, tiArray(.u8, 4, 8), tiBits(3, 5, 8))?.code == .typeMismatch)
        #expect(inferenceError(.cuckooHash, tiBits(8), tiBits(3, 5, 8))?.code == .shapeMismatch)
        #expect(inferenceError(.cuckooHash, tiBits(4, 8), tiArray(.u8, 3, 5, 8))?.code == .typeMismatch)
        #expect(inferenceError(.cuckooHash, tiBits(4, 8), tiBits(5, 8))?.code == .shapeMismatch)
        #expect(inferenceError(.cuckooHash, tiBits(4, 8), tiBits(2, 5, 8))?.code == .shapeMismatch)
        #expect(inferenceError(.cuckooHash, tiBits(4, 8), tiBits(3, 64, 8))?.code == .shapeMismatch)
        #expect(inferenceError(.cuckooHash, tiBits(4, 8), tiBits(3, 5, 7))?.code == .shapeMismatch)
        #expect(inferenceError(.cuckooHash, tiBits(4, 8), tiBits(3, 63, 8))?.code == .tooLarge)
    }

    @Test("SegmentCumSum adds a row")
    func segmentCumSum() throws {
        #expect(try inferenceType(.segmentCumSum, tiArray(.i32, 5), tiBits(5), .scalar(.i32)) == tiArray(.i32, 6))
        #expect(try inferenceType(.segmentCumSum, tiArray(.u8, 5, 2, 3), tiBits(5), tiArray(.u8, 2, 3)) == tiArray(.u8, 6, 2, 3))
        #expect(inferenceError(.segmentCumSum, tiArray(.i32, 5), tiBits(4), .scalar(.i32))?.code == .typeMismatch)
        #expect(inferenceError(.segmentCumSum, tiArray(.i32, 5), tiArray(.u8, 5), .scalar(.i32))?.code == .typeMismatch)
        #expect(inferenceError(.segmentCumSum, tiArray(.i32, 5), tiBits(5), .scalar(.u32))?.code == .typeMismatch)
        #expect(inferenceError(.segmentCumSum, tiArray(.i32, 5, 2), tiBits(5), tiArray(.i32, 3))?.code == .typeMismatch)
        #expect(inferenceError(.segmentCumSum, .scalar(.i32), tiBits(1), .scalar(.i32))?.code == .typeMismatch)
        #expect(inferenceError(.segmentCumSum, tiArray(.i32, 5), tiBits(5))?.code == .invalidGraph)
    }

    @Test("Sort needs a 2-D bit key and equal row counts")
    func sort() throws {
        let table = ValueType.namedTuple([.init("key", tiBits(4, 16)), .init("value", tiArray(.i64, 4, 2))])
        #expect(try inferenceType(.sort(key: "key"), table) == table)
        #expect(inferenceError(.sort(key: "other"), table)?.code == .invalidArgument)
        #expect(inferenceError(.sort(key: "value"), table)?.code == .typeMismatch)
        let uneven = ValueType.namedTuple([.init("key", tiBits(4, 16)), .init("value", tiArray(.i64, 3))])
        #expect(inferenceError(.sort(key: "key"), uneven)?.code == .shapeMismatch)
        let scalarColumn = ValueType.namedTuple([.init("key", tiBits(4, 16)), .init("value", .scalar(.i64))])
        #expect(inferenceError(.sort(key: "key"), scalarColumn)?.code == .typeMismatch)
        #expect(inferenceError(.sort(key: "key"), .tuple([tiBits(4, 16)]))?.code == .typeMismatch)
    }

    private func joinArguments(_ type: String, _ headers: [(String, String)]) -> JSONValue {
        .array([.string(type), .object(headers.map { ($0.0, .string($0.1)) })])
    }

    @Test("Join keeps the first table's columns and adds the second table's other columns")
    func join() throws {
        let first = ValueType.namedTuple([
            .init(null, tiBits(5)), .init("id", tiArray(.u64, 5)), .init("age", tiArray(.u8, 5, 2)),
        ])
        let second = ValueType.namedTuple([
            .init("key", tiArray(.u64, 3)), .init(null, tiBits(3)), .init("city", tiArray(.i32, 3, 4)),
        ])
        let inner = try inferenceType(.join(withColumnMasks: false, arguments: joinArguments("Inner", [("id", "key")])), first, second)
        let expectedRows5 = ValueType.namedTuple([
            .init(null, tiBits(5)), .init("id", tiArray(.u64, 5)), .init("age", tiArray(.u8, 5, 2)), .init("city", tiArray(.i32, 5, 4)),
        ])
        #expect(inner == expectedRows5)
        let left = try inferenceType(.join(withColumnMasks: false, arguments: joinArguments("Left", [("id", "key")])), first, second)
        #expect(left == expectedRows5)
        let union = try inferenceType(.join(withColumnMasks: false, arguments: joinArguments("Union", [("id", "key")])), first, second)
        #expect(union == .namedTuple([
            .init(null, tiBits(8)), .init("id", tiArray(.u64, 8)), .init("age", tiArray(.u8, 8, 2)), .init("city", tiArray(.i32, 8, 4)),
        ]))
        let full = try inferenceType(.join(withColumnMasks: false, arguments: joinArguments("Full", [("id", "key")])), first, second)
        #expect(full == union)
    }

    @Test("JoinWithColumnMasks carries a bit mask per column")
    func joinWithMasks() throws {
        let first = ValueType.namedTuple([
            .init(null, tiBits(2)), .init("id", .tuple([tiBits(2), tiArray(.u32, 2)])),
        ])
        let second = ValueType.namedTuple([
            .init(null, tiBits(3)), .init("id", .tuple([tiBits(3), tiArray(.u32, 3)])), .init("x", .tuple([tiBits(3), tiArray(.u8, 3)])),
        ])
        let result = try inferenceType(.join(withColumnMasks: true, arguments: joinArguments("Full", [("id", "id")])), first, second)
        #expect(result == .namedTuple([
            .init(null, tiBits(5)), .init("id", .tuple([tiBits(5), tiArray(.u32, 5)])), .init("x", .tuple([tiBits(5), tiArray(.u8, 5)])),
        ]))
        let badMask = ValueType.namedTuple([.init(null, tiBits(2)), .init("id", .tuple([tiBits(3), tiArray(.u32, 2)]))])
        #expect(inferenceError(.join(withColumnMasks: true, arguments: joinArguments("Inner", [("id", "id")])), badMask, second)?.code == .typeMismatch)
        #expect(inferenceError(.join(withColumnMasks: true, arguments: joinArguments("Inner", [("id", "id")])), .namedTuple([.init(null, tiBits(2)), .init("id", tiArray(.u32, 2))]), second)?.code == .typeMismatch)
    }

    @Test("Join errors")
    func joinErrors() {
        let first = ValueType.namedTuple([.init(null, tiBits(5)), .init("id", tiArray(.u64, 5)), .init("v", tiArray(.u8, 5))])
        let second = ValueType.namedTuple([.init(null, tiBits(3)), .init("id", tiArray(.u64, 3)), .init("w", tiArray(.u8, 3, 2))])
        func code(_ arguments: JSONValue, _ a: ValueType, _ b: ValueType) -> ConfideError.Code? {
            inferenceError(.join(withColumnMasks: false, arguments: arguments), a, b)?.code
        }
        #expect(code(joinArguments("Inner", []), first, second) == .invalidArgument)
        #expect(code(joinArguments("Outer", [("id", "id")]), first, second) == .invalidArgument)
        #expect(code(.string("Inner"), first, second) == .invalidArgument)
        #expect(code(joinArguments("Inner", [(null, null)]), first, second) == .invalidArgument)
        #expect(code(joinArguments("Inner", [("nope", "id")]), first, second) == .invalidArgument)
        #expect(code(joinArguments("Inner", [("id", "nope")]), first, second) == .invalidArgument)
        #expect(code(joinArguments("Inner", [("v", "w")]), first, second) == .shapeMismatch)
        #expect(code(joinArguments("Inner", [("v", "id")]), first, second) == .typeMismatch)
        let clash = ValueType.namedTuple([.init(null, tiBits(3)), .init("id", tiArray(.u64, 3)), .init("v", tiArray(.u8, 3))])
        #expect(code(joinArguments("Inner", [("id", "id")]), first, clash) == .invalidArgument)
        let noNull = ValueType.namedTuple([.init("a", tiArray(.u64, 3)), .init("id", tiArray(.u64, 3))])
        #expect(code(joinArguments("Inner", [("id", "id")]), first, noNull) == .typeMismatch)
        let oneColumn = ValueType.namedTuple([.init(null, tiBits(3))])
        #expect(code(joinArguments("Inner", [("id", "id")]), first, oneColumn) == .typeMismatch)
        let uneven = ValueType.namedTuple([.init(null, tiBits(3)), .init("id", tiArray(.u64, 4))])
        #expect(code(joinArguments("Inner", [("id", "id")]), first, uneven) == .shapeMismatch)
        let wideNull = ValueType.namedTuple([.init(null, tiBits(3, 1)), .init("id", tiArray(.u64, 3))])
        #expect(code(joinArguments("Inner", [("id", "id")]), first, wideNull) == .shapeMismatch)
        let intNull = ValueType.namedTuple([.init(null, tiArray(.u8, 3)), .init("id", tiArray(.u64, 3))])
        #expect(code(joinArguments("Inner", [("id", "id")]), first, intNull) == .typeMismatch)
        #expect(code(joinArguments("Inner", [("id", "id")]), first, .tuple([])) == .typeMismatch)
    }

    private func shardConfig(shards: Int, size: Int, headers: [String]) -> JSONValue {
        .object([("num_shards", .int(shards)), ("shard_size", .int(size)), ("shard_headers", .array(headers.map { .string($0) }))])
    }

    @Test("Shard splits a table into equal-sized shards")
    func shard() throws {
        let table = ValueType.namedTuple([.init("id", tiArray(.u64, 5)), .init("v", tiArray(.i8, 5, 3))])
        let shardData = ValueType.namedTuple([.init("id", tiArray(.u64, 4)), .init("v", tiArray(.i8, 4, 3))])
        let result = try inferenceType(.shard(withColumnMasks: false, config: shardConfig(shards: 2, size: 4, headers: ["id"])), table)
        #expect(result == .tuple([.tuple([tiBits(4), shardData]), .tuple([tiBits(4), shardData])]))
        let masked = ValueType.namedTuple([.init("id", .tuple([tiBits(5), tiArray(.u64, 5)]))])
        let maskedResult = try inferenceType(.shard(withColumnMasks: true, config: shardConfig(shards: 3, size: 2, headers: ["id"])), masked)
        let maskedShard = ValueType.namedTuple([.init("id", .tuple([tiBits(2), tiArray(.u64, 2)]))])
        #expect(maskedResult == .tuple([maskedShard, maskedShard, maskedShard]))
        func code(_ config: JSONValue) -> ConfideError.Code? {
            inferenceError(.shard(withColumnMasks: false, config: config), table)?.code
        }
        #expect(code(shardConfig(shards: 2, size: 2, headers: ["id"])) == .shapeMismatch)
        #expect(code(shardConfig(shards: 2, size: 4, headers: [])) == .invalidArgument)
        #expect(code(shardConfig(shards: 2, size: 4, headers: ["id", "id"])) == .invalidArgument)
        #expect(code(shardConfig(shards: 2, size: 4, headers: ["w"])) == .invalidArgument)
        #expect(code(.object([("num_shards", .int(2))])) == .invalidArgument)
        #expect(code(shardConfig(shards: 1 << 30, size: 4, headers: ["id"])) == .tooLarge)
        #expect(code(shardConfig(shards: 2, size: 1 << 62, headers: ["id"])) == .tooLarge)
        #expect(inferenceError(.shard(withColumnMasks: false, config: shardConfig(shards: 2, size: 4, headers: ["id"])), .namedTuple([]))?.code == .typeMismatch)
    }
}
