import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// Join and JoinWithColumnMasks on secret-shared tables from two parties, against the plaintext
/// evaluator (CipherCore's semantics); the estimated cost is the counted one.
@Suite("Joins in the planner")
struct JoinPlannerTests {
    static let null = TypeInference.nullColumnHeader

    /// A table of `rows` rows: distinct keys drawn from 0..<pool (so that two tables overlap), a
    /// random null column, and the given payload columns; with masks, random masks.
    static func table(
        rows: Int, pool: Int, key: (String, ScalarType), payload: [(String, ScalarType, [Int])], masks: Bool, _ data: inout MPCTestData
    ) -> Value {
        var keys: [Int128] = []
        var used = Set<Int128>()
        while keys.count < rows {
            let k = Int128(data.generator.uniform(below: UInt64(pool)))
            if used.insert(k).inserted { keys.append(k) }
        }
        func column(_ value: Value) -> Value {
            masks ? .tuple([.tensor(Tensor(.bit, shape: [rows], wrapping: (0..<rows).map { _ in Int128(data.generator.uniform(below: 5) == 0 ? 0 : 1) })), value]) : value
        }
        let nullColumn = Value.tensor(Tensor(.bit, shape: [rows], wrapping: (0..<rows).map { _ in Int128(data.generator.uniform(below: 4) == 0 ? 0 : 1) }))
        let keyValue: Value
        if key.1 == .bit {
            // A 12-bit key, most significant bit first.
            keyValue = .tensor(Tensor(.bit, shape: [rows, 12], wrapping: keys.flatMap { k in (0..<12).map { (k >> Int128(11 - $0)) & 1 } }))
        } else {
            keyValue = .tensor(Tensor(key.1, shape: [rows], wrapping: keys))
        }
        var fields: [Value.NamedValue] = [.init(key.0, column(keyValue)), .init(null, nullColumn)]
        for (name, scalar, rowShape) in payload {
            fields.append(.init(name, column(.tensor(data.tensor(scalar, [rows] + rowShape)))))
        }
        return .namedTuple(fields)
    }

    static func check(_ a: Value, _ b: Value, type: GraphBuilder.JoinType, keys: [(String, String)], masks: Bool) async throws {
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let ia = try g.input(a.type), ib = try g.input(b.type)
        try g.setOutput(try g.join(ia, ib, type: type, headers: keys, withColumnMasks: masks))
        try builder.setMain(g)
        let context = try builder.finish()
        let expected = try Evaluator().evaluate(context, inputs: [a, b])
        let program = try SecureProgram(context, spec: IOSpec(inputs: [.party(0), .party(1)], output: .parties([2])))
        let inputs = [[a, Value.zeros(b.type)], [Value.zeros(a.type), b], [Value.zeros(a.type), Value.zeros(b.type)]]
        let results = try await LocalSimulation.run(program, inputs: inputs)
        #expect(results[2].value == expected, "\(type) join, masks \(masks)")
        #expect(results[0].value == nil && results[1].value == nil)
        let estimate = try program.estimatedCost(), counted = countedCost(results.map(\.traffic))
        #expect(estimate.bytesSent == counted.bytesSent, "estimated bytes")
        #expect(estimate.rounds >= counted.rounds, "estimated rounds")
    }

    @Test(arguments: GraphBuilder.JoinType.allCases, [false, true])
    func integerKeysFromTwoParties(type: GraphBuilder.JoinType, masks: Bool) async throws {
        var data = MPCTestData(seed: masks ? 11 : 12)
        let a = Self.table(rows: 40, pool: 70, key: ("id", .u32), payload: [("spend", .i64, []), ("flags", .bit, [3])], masks: masks, &data)
        let b = Self.table(rows: 25, pool: 70, key: ("uid", .u32), payload: [("seen", .u8, [2]), ("score", .u128, [])], masks: masks, &data)
        try await Self.check(a, b, type: type, keys: [("id", "uid")], masks: masks)
    }

    @Test(arguments: GraphBuilder.JoinType.allCases)
    func bitArrayKeysAndOneRowTables(type: GraphBuilder.JoinType) async throws {
        var data = MPCTestData(seed: 13)
        let a = Self.table(rows: 30, pool: 40, key: ("k", .bit), payload: [("x", .i32, [])], masks: false, &data)
        let b = Self.table(rows: 30, pool: 40, key: ("k", .bit), payload: [("y", .u16, [])], masks: false, &data)
        try await Self.check(a, b, type: type, keys: [("k", "k")], masks: false)
        let one = Self.table(rows: 1, pool: 2, key: ("k", .bit), payload: [("y", .u16, [])], masks: false, &data)
        try await Self.check(a, one, type: type, keys: [("k", "k")], masks: false)
    }

    /// The user's job: the total spend of the customers both tables hold, and their count, revealed
    /// to one party; the join's result feeds later nodes.
    @Test func innerJoinThenAggregate() async throws {
        var data = MPCTestData(seed: 14)
        let a = Self.table(rows: 200, pool: 300, key: ("id", .u64), payload: [("spend", .u64, [])], masks: false, &data)
        let b = Self.table(rows: 150, pool: 300, key: ("id", .u64), payload: [("impressions", .u32, [])], masks: false, &data)
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let ia = try g.input(a.type), ib = try g.input(b.type)
        let joined = try g.join(ia, ib, type: .inner, headers: [("id", "id")])
        let present = try g.mixedMultiply(try g.ones(.array([200], .u64)), try g.namedTupleGet(joined, key: Self.null))
        let spend = try g.sum(try g.namedTupleGet(joined, key: "spend"), axes: [0])
        let count = try g.sum(present, axes: [0])
        try g.setOutput(try g.createTuple([spend, count]))
        try builder.setMain(g)
        let context = try builder.finish()
        let program = try SecureProgram(context, spec: IOSpec(inputs: [.party(0), .party(1)], output: .parties([1])))
        let results = try await LocalSimulation.run(program, inputs: [[a, .zeros(b.type)], [.zeros(a.type), b], [.zeros(a.type), .zeros(b.type)]])
        // Reference from the tables directly.
        func column(_ t: Value, _ name: String) -> [UInt128] {
            guard case let .namedTuple(fields) = t else { return [] }
            return fields.first { $0.name == name }!.value.tensor!.residues
        }
        let idsB = Dictionary(uniqueKeysWithValues: zip(column(b, "id"), column(b, Self.null)).filter { $0.1 == 1 }.map { ($0.0, true) })
        var total: UInt64 = 0, matches: UInt64 = 0
        for (i, id) in column(a, "id").enumerated() where column(a, Self.null)[i] == 1 && idsB[id] != nil {
            total &+= UInt64(column(a, "spend")[i])
            matches += 1
        }
        #expect(matches > 10)
        #expect(results[1].value == .tuple([.tensor(Tensor(.u64, shape: [], residues: [UInt128(total)])), .tensor(Tensor(.u64, shape: [], residues: [UInt128(matches)]))]))
    }

    /// A join's result joined again, with a public table: every column of the public table is shared first.
    @Test func joinOfAJoinWithAPublicTable() async throws {
        var data = MPCTestData(seed: 15)
        let a = Self.table(rows: 30, pool: 45, key: ("id", .u16), payload: [("x", .i32, [])], masks: false, &data)
        let b = Self.table(rows: 20, pool: 45, key: ("id", .u16), payload: [("y", .u64, [])], masks: false, &data)
        let c = Self.table(rows: 25, pool: 45, key: ("cid", .u16), payload: [("z", .i8, [2])], masks: false, &data)
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let ia = try g.input(a.type), ib = try g.input(b.type), ic = try g.input(c.type)
        let ab = try g.join(ia, ib, type: .full, headers: [("id", "id")])
        try g.setOutput(try g.join(ab, ic, type: .left, headers: [("id", "cid")]))
        try builder.setMain(g)
        let context = try builder.finish()
        let expected = try Evaluator().evaluate(context, inputs: [a, b, c])
        let program = try SecureProgram(context, spec: IOSpec(inputs: [.party(0), .party(1), .public], output: .parties([0])))
        let results = try await LocalSimulation.run(program, inputs: [[a, .zeros(b.type), c], [.zeros(a.type), b, c], [.zeros(a.type), .zeros(b.type), c]])
        #expect(results[0].value == expected)
        #expect(try program.estimatedCost().bytesSent == countedCost(results.map(\.traffic)).bytesSent)
    }

    @Test func integerKeysWithSeveralElementsAreRefusedBeforeAnyPartyStarts() throws {
        let table = ValueType.namedTuple([.init(Self.null, .array([4], .bit)), .init("id", .array([4, 2], .u32))])
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let ia = try g.input(table), ib = try g.input(table)
        try g.setOutput(try g.join(ia, ib, type: .inner, headers: [("id", "id")]))
        try builder.setMain(g)
        let context = try builder.finish()
        let error = #expect(throws: ConfideError.self) { try SecureProgram(context, spec: IOSpec(inputs: [.party(0), .party(1)], output: .parties([2]))) }
        #expect(error?.code == .unsupportedOperation)
        #expect(error?.message.contains("the key column 'id' has type") == true, "\(String(describing: error))")
    }
}
