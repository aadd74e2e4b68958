import ConfideCore
import Testing

@testable import ConfideGraph

/// Join and JoinWithColumnMasks against CipherCore's own evaluator test vectors
/// (simple_evaluator.rs, `get_join_test_setup`) and against a reference join on random tables.
@Suite("Extended join")
struct ExtendedJoinTests {
    static let null = TypeInference.nullColumnHeader
    static let types: [GraphBuilder.JoinType] = [.inner, .left, .union, .full]

    static func join(_ type: GraphBuilder.JoinType, _ keys: [(String, String)], masks: Bool = false) -> Operation {
        .join(withColumnMasks: masks, arguments: .array([.string(type.rawValue), .object(keys.map { ($0.0, .string($0.1)) })]))
    }

    static func column(_ header: String, _ s: ScalarType, _ shape: [Int], _ values: [Int128], mask: [UInt64]? = nil) -> Value.NamedValue {
        let data = header == null ? extendedBits(shape, values.map { UInt64($0) }) : extendedTensor(s, shape, values)
        guard let mask else { return .init(header, data) }
        return .init(header, .tuple([extendedBits([shape[0]], mask), data]))
    }

    /// CipherCore's first test: ID keys, one payload column on each side.
    @Test(arguments: types)
    func cipherCoreExampleWithoutMasks(type: GraphBuilder.JoinType) throws {
        let a = Value.namedTuple([
            Self.column(Self.null, .bit, [6], [1, 1, 1, 1, 1, 1]),
            Self.column("ID", .u64, [6], [5, 3, 0, 4, 1, 2]),
            Self.column("Income", .u64, [6], [500, 300, 0, 400, 100, 200]),
        ])
        let b = Value.namedTuple([
            Self.column(Self.null, .bit, [10], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
            Self.column("ID", .u64, [10], [4, 7, 8, 9, 10, 11, 12, 2, 3, 13]),
            Self.column("Outcome", .u64, [10], [40, 70, 80, 90, 100, 110, 120, 20, 30, 130]),
        ])
        let expected: [[Int128]]
        switch type {
        case .inner: expected = [[0, 1, 0, 1, 0, 1], [0, 3, 0, 4, 0, 2], [0, 300, 0, 400, 0, 200], [0, 30, 0, 40, 0, 20]]
        case .left: expected = [[1, 1, 1, 1, 1, 1], [5, 3, 0, 4, 1, 2], [500, 300, 0, 400, 100, 200], [0, 30, 0, 40, 0, 20]]
        case .union:
            expected = [
                [1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [5, 0, 0, 0, 1, 0, 4, 7, 8, 9, 10, 11, 12, 2, 3, 13],
                [500, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 40, 70, 80, 90, 100, 110, 120, 20, 30, 130],
            ]
        case .full:
            expected = [
                [1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [5, 0, 0, 0, 1, 0, 4, 7, 8, 9, 10, 11, 12, 2, 3, 13],
                [500, 0, 0, 0, 100, 0, 400, 0, 0, 0, 0, 0, 0, 200, 300, 0], [0, 0, 0, 0, 0, 0, 40, 70, 80, 90, 100, 110, 120, 20, 30, 130],
            ]
        }
        let result = try extendedEval(Self.join(type, [("ID", "ID")]), [a, b])
        let rows = expected[0].count
        #expect(
            result
                == .namedTuple([
                    Self.column(Self.null, .bit, [rows], expected[0]), Self.column("ID", .u64, [rows], expected[1]),
                    Self.column("Income", .u64, [rows], expected[2]), Self.column("Outcome", .u64, [rows], expected[3]),
                ]))
    }

    /// CipherCore's first test with column masks: a two-column key, an empty key entry, 2-D payloads.
    @Test(arguments: types)
    func cipherCoreExampleWithMasks(type: GraphBuilder.JoinType) throws {
        let a = Value.namedTuple([
            Self.column(Self.null, .bit, [2], [1, 1]),
            Self.column("Income1", .u64, [2], [40, 50], mask: [1, 1]),
            Self.column("Outcome1", .u64, [2, 2], [400, 401, 500, 501], mask: [1, 1]),
            Self.column("ID", .u64, [2], [4, 5], mask: [1, 0]),
        ])
        let b = Value.namedTuple([
            Self.column(Self.null, .bit, [2], [1, 1]),
            Self.column("ID", .u64, [2], [5, 3], mask: [1, 1]),
            Self.column("Income2", .u64, [2], [50, 30], mask: [1, 1]),
            Self.column("Outcome2", .u64, [2, 2], [500, 501, 300, 301], mask: [1, 1]),
        ])
        let result = try extendedEval(Self.join(type, [("ID", "ID"), ("Income1", "Income2")], masks: true), [a, b])
        let expected: Value
        switch type {
        case .inner:
            expected = .namedTuple([
                Self.column(Self.null, .bit, [2], [0, 0]), Self.column("Income1", .u64, [2], [0, 0], mask: [0, 0]),
                Self.column("Outcome1", .u64, [2, 2], [0, 0, 0, 0], mask: [0, 0]), Self.column("ID", .u64, [2], [0, 0], mask: [0, 0]),
                Self.column("Outcome2", .u64, [2, 2], [0, 0, 0, 0], mask: [0, 0]),
            ])
        case .left:
            expected = .namedTuple([
                Self.column(Self.null, .bit, [2], [1, 1]), Self.column("Income1", .u64, [2], [40, 50], mask: [1, 1]),
                Self.column("Outcome1", .u64, [2, 2], [400, 401, 500, 501], mask: [1, 1]), Self.column("ID", .u64, [2], [4, 0], mask: [1, 0]),
                Self.column("Outcome2", .u64, [2, 2], [0, 0, 0, 0], mask: [0, 0]),
            ])
        case .union, .full:
            expected = .namedTuple([
                Self.column(Self.null, .bit, [4], [1, 1, 1, 1]), Self.column("Income1", .u64, [4], [40, 50, 50, 30], mask: [1, 1, 1, 1]),
                Self.column("Outcome1", .u64, [4, 2], [400, 401, 500, 501, 0, 0, 0, 0], mask: [1, 1, 0, 0]),
                Self.column("ID", .u64, [4], [4, 0, 5, 3], mask: [1, 0, 1, 1]),
                Self.column("Outcome2", .u64, [4, 2], [0, 0, 0, 0, 500, 501, 300, 301], mask: [0, 0, 1, 1]),
            ])
        }
        #expect(result == expected)
    }

    /// Random tables with signed keys (edge values included), some rows without content: each join
    /// type against a reference built from dictionaries.
    @Test(arguments: types)
    func randomTablesMatchReference(type: GraphBuilder.JoinType) throws {
        var random = try AESCTRGenerator(key: [UInt8](repeating: 3, count: 16))
        for _ in 0..<20 {
            let n0 = Int(random.next(UInt64.self) % 12) + 1, n1 = Int(random.next(UInt64.self) % 12) + 1
            // Distinct keys per table from a small pool, so that tables overlap.
            let pool: [Int128] = extendedEdgeValues(.i32) + (0..<14).map { Int128($0 * 7 - 40) }
            func keys(_ n: Int) -> [Int128] {
                var chosen: [Int128] = []
                while chosen.count < n {
                    let k = pool[Int(random.next(UInt64.self) % UInt64(pool.count))]
                    if !chosen.contains(k) { chosen.append(k) }
                }
                return chosen
            }
            let k0 = keys(n0), k1 = keys(n1)
            let p0 = (0..<n0).map { _ in Int128(Int8(truncatingIfNeeded: random.next(UInt64.self))) }
            let p1 = (0..<(2 * n1)).map { _ in Int128(UInt16(truncatingIfNeeded: random.next(UInt64.self))) }
            let v0 = (0..<n0).map { _ in Int128(random.next(UInt64.self) % 4 == 0 ? 0 : 1) }
            let v1 = (0..<n1).map { _ in Int128(random.next(UInt64.self) % 4 == 0 ? 0 : 1) }
            let a = Value.namedTuple([Self.column("k", .i32, [n0], k0), Self.column(Self.null, .bit, [n0], v0), Self.column("x", .i8, [n0], p0)])
            let b = Value.namedTuple([Self.column(Self.null, .bit, [n1], v1), Self.column("key", .i32, [n1], k1), Self.column("y", .u16, [n1, 2], p1)])
            let result = try extendedEval(Self.join(type, [("k", "key")]), [a, b])
            // Reference: rows as (present, k, x, y0, y1).
            let inB = Dictionary(uniqueKeysWithValues: (0..<n1).filter { v1[$0] == 1 }.map { (k1[$0], $0) })
            let inA = Dictionary(uniqueKeysWithValues: (0..<n0).filter { v0[$0] == 1 }.map { (k0[$0], $0) })
            var rows: [[Int128]] = []
            let zero: [Int128] = [0, 0, 0, 0, 0]
            for i in 0..<n0 {
                let j = v0[i] == 1 ? inB[k0[i]] : nil
                let y: [Int128] = j.map { [p1[2 * $0], p1[2 * $0 + 1]] } ?? [0, 0]
                switch type {
                case .inner: rows.append(j == nil ? zero : [1, k0[i], p0[i]] + y)
                case .left: rows.append(v0[i] == 0 ? zero : [1, k0[i], p0[i]] + y)
                case .union, .full: rows.append(v0[i] == 0 || j != nil ? zero : [1, k0[i], p0[i], 0, 0])
                }
            }
            if type == .union || type == .full {
                for j in 0..<n1 {
                    let i = type == .full ? inA[k1[j]] : nil
                    rows.append(v1[j] == 0 ? zero : [1, k1[j], i.map { p0[$0] } ?? 0, p1[2 * j], p1[2 * j + 1]])
                }
            }
            let n = rows.count
            let expected = Value.namedTuple([
                Self.column("k", .i32, [n], rows.map { $0[1] }), Self.column(Self.null, .bit, [n], rows.map { $0[0] }),
                Self.column("x", .i8, [n], rows.map { $0[2] }), Self.column("y", .u16, [n, 2], rows.flatMap { $0[3...] }),
            ])
            #expect(result == expected)
        }
    }

    /// Bad tables: each is refused with a code and a message naming the problem.
    @Test func badTablesAreRefused() throws {
        let a = Value.namedTuple([Self.column(Self.null, .bit, [3], [1, 1, 0]), Self.column("id", .u32, [3], [1, 2, 2])])
        let b = Value.namedTuple([Self.column(Self.null, .bit, [2], [1, 1]), Self.column("id", .u32, [2], [2, 2]), Self.column("v", .u8, [2], [1, 2])])
        func error(_ op: Operation, _ args: [Value]) -> ConfideError? {
            do { _ = try extendedEval(op, args) } catch let e as ConfideError { return e } catch {}
            return nil
        }
        // Duplicate keys among rows with content (row 2 of a has none, so a is fine).
        let duplicate = error(Self.join(.inner, [("id", "id")]), [a, b])
        #expect(duplicate?.code == .invalidValue)
        #expect(duplicate?.message.contains("rows 0 and 1 of the second table have the same key") == true, "\(String(describing: duplicate))")
        let b1 = Value.namedTuple([Self.column(Self.null, .bit, [2], [1, 0]), Self.column("id", .u32, [2], [2, 2]), Self.column("v", .u8, [2], [1, 2])])
        #expect(error(Self.join(.full, [("id", "id")]), [a, b1]) == nil)
        // A key header missing from a table.
        let missing = error(Self.join(.inner, [("id", "uid")]), [a, b1])
        #expect(missing?.code == .invalidArgument && missing?.message.contains("the second table has no column 'uid'") == true)
        // Key columns of different types.
        let other = Value.namedTuple([Self.column(Self.null, .bit, [1], [1]), Self.column("id", .i64, [1], [2])])
        let types = error(Self.join(.inner, [("id", "id")]), [a, other])
        #expect(types?.code == .typeMismatch && types?.message.contains("scalar types") == true)
        // Columns with different row counts.
        let ragged = Value.namedTuple([Self.column(Self.null, .bit, [2], [1, 1]), Self.column("id", .u32, [3], [1, 2, 3])])
        #expect(error(Self.join(.left, [("id", "id")]), [ragged, b1])?.code == .shapeMismatch)
        // A null column that is not binary.
        let notBinary = Value.namedTuple([.init(Self.null, extendedTensor(.u8, [1], [1])), Self.column("id", .u32, [1], [2])])
        let binary = error(Self.join(.union, [("id", "id")]), [notBinary, b1])
        #expect(binary?.code == .typeMismatch && binary?.message.contains("the null column must be binary") == true)
        // Unknown join type.
        let unknown = Operation.join(withColumnMasks: false, arguments: .array([.string("Outer"), .object([("id", .string("id"))])]))
        #expect(error(unknown, [a, b1])?.code == .invalidArgument)
    }
}
