import ConfideCore
import Testing

@testable import ConfideMPC

/// The oblivious join's matching step against a dictionary join of the plaintext tables, with
/// its declared communication.
@Suite("ABY3 join")
struct JoinKernelTests {
    /// One table in the clear: key columns, validity bits, payload columns.
    struct Table {
        var keys: [Tensor]
        var valid: [Bool]
        var payload: [Tensor]
        var count: Int { valid.count }

        /// Row i of a column, as residues.
        static func row(_ t: Tensor, _ i: Int) -> [UInt128] {
            let w = t.shape.dropFirst().reduce(1, *)
            return Array(t.residues[(i * w)..<((i + 1) * w)])
        }

        func key(_ i: Int) -> [UInt128] { keys.flatMap { Table.row($0, i) } }
    }

    /// Key columns (scalar type, bits per row for bit arrays) and payload columns (scalar type,
    /// trailing shape) of a test case.
    struct Layout {
        var keys: [(ScalarType, Int)]
        var payloadA: [(ScalarType, [Int])]
        var payloadB: [(ScalarType, [Int])]
    }

    /// Random tables of nA and nB rows whose valid keys are unique per table and overlap;
    /// invalid rows may repeat valid keys. Key values include the type's edges.
    static func tables(_ layout: Layout, _ nA: Int, _ nB: Int, seed: UInt8) -> (Table, Table) {
        var data = MPCTestData(seed: seed)
        let poolSize = max(1, (nA + nB) * 3 / 4)
        // A pool of distinct key rows.
        var pool: [[UInt128]] = []
        var seen = Set<[UInt128]>()
        var source = layout.keys.map { s, w in data.tensor(s, s == .bit ? [poolSize * 4, w] : [poolSize * 4]) }
        while pool.count < poolSize {
            let i = pool.count + seen.count
            if i >= poolSize * 4 {
                source = layout.keys.map { s, w in data.tensor(s, s == .bit ? [poolSize * 4, w] : [poolSize * 4], edges: false) }
                seen.removeAll()
                continue
            }
            let row = source.flatMap { Table.row($0, i % (poolSize * 4)) }
            if seen.insert(row).inserted { pool.append(row) } else { seen.insert(row + [UInt128(i)]) }
        }
        func table(_ n: Int, _ payload: [(ScalarType, [Int])]) -> Table {
            var order = Array(0..<poolSize)
            for i in stride(from: poolSize - 1, to: 0, by: -1) { order.swapAt(i, Int(data.generator.next(UInt64.self) % UInt64(i + 1))) }
            var valid: [Bool] = []
            var rows: [[UInt128]] = []
            for i in 0..<n {
                let unused = i < poolSize
                let isValid = unused && data.generator.next(UInt64.self) % 5 != 0
                valid.append(isValid)
                rows.append(pool[unused ? order[i] : Int(data.generator.next(UInt64.self) % UInt64(poolSize))])
            }
            var keys: [Tensor] = []
            var offset = 0
            for (s, w) in layout.keys {
                let width = s == .bit ? w : 1
                keys.append(Tensor(s, shape: s == .bit ? [n, w] : [n], residues: rows.flatMap { $0[offset..<(offset + width)] }))
                offset += width
            }
            return Table(keys: keys, valid: valid, payload: payload.map { s, tail in data.tensor(s, [n] + tail) })
        }
        return (table(nA, layout.payloadA), table(nB, layout.payloadB))
    }

    /// For each row of `x`: whether a valid row of `y` has its key, and that row's payload.
    static func reference(_ x: Table, _ y: Table) -> (matched: [Bool], received: [Tensor]) {
        var index: [[UInt128]: Int] = [:]
        for j in 0..<y.count where y.valid[j] { index[y.key(j)] = j }
        let partner = (0..<x.count).map { i in x.valid[i] ? index[x.key(i)] : nil }
        let received = y.payload.map { column -> Tensor in
            let tail = Array(column.shape.dropFirst())
            let w = tail.reduce(1, *)
            let residues = partner.flatMap { j in j.map { Table.row(column, $0) } ?? [UInt128](repeating: 0, count: w) }
            return Tensor(column.scalarType, shape: [x.count] + tail, residues: residues)
        }
        return (partner.map { $0 != nil }, received)
    }

    static func cost(_ layout: Layout, _ nA: Int, _ nB: Int, injectionBits: Int) -> KernelCost {
        func columns(_ list: [(ScalarType, [Int])]) -> [ABY3Cost.JoinColumn] { list.map { .init($0.0, rowWidth: $0.1.reduce(1, *)) } }
        return ABY3Cost.joinMatch(
            countA: nA, countB: nB, keys: layout.keys.map { .init($0.0, rowWidth: $0.0 == .bit ? $0.1 : 1) },
            payloadA: columns(layout.payloadA), payloadB: columns(layout.payloadB), injectionBits: injectionBits)
    }

    /// Party 0 shares table A, party 1 table B; every party reveals what both sides received.
    static func check(_ layout: Layout, _ nA: Int, _ nB: Int, seed: UInt8, injectionBits: Int = ABY3Party.sortInjectionBits) async throws {
        let (a, b) = tables(layout, nA, nB, seed: seed)
        let results = try await LocalSimulation.run(timeout: .seconds(60)) { party -> ([Tensor], TrafficStatistics) in
            func side(_ t: Table, owner: Int) async throws -> JoinSide {
                let mine = party.index == owner
                var keys: [SharedTensor] = []
                for k in t.keys { keys.append(try await party.share(mine ? k : nil, scalarType: k.scalarType, shape: k.shape, owner: owner)) }
                var payload: [SharedTensor] = []
                for p in t.payload { payload.append(try await party.share(mine ? p : nil, scalarType: p.scalarType, shape: p.shape, owner: owner)) }
                let validBits = Tensor(.bit, shape: [t.count], narrow: t.valid.map { $0 ? 1 : 0 })
                let valid = try await party.shareB(mine ? validBits : nil, shape: [t.count], owner: owner)
                return JoinSide(keys: keys, valid: valid, payload: payload)
            }
            let sideA = try await side(a, owner: 0), sideB = try await side(b, owner: 1)
            let before = party.communicator.statistics()
            let (toA, toB) = try await party.joinMatch(sideA, sideB, injectionBits: injectionBits)
            let traffic = party.communicator.statistics().since(before)
            var opened: [Tensor] = []
            for share in [SharedTensor.binary(toA.matched)] + toA.received + [.binary(toB.matched)] + toB.received {
                opened.append(try await party.reveal(share, to: [0, 1, 2])!)
            }
            return (opened, traffic)
        }
        let opened = results[0].value.0
        #expect(results.allSatisfy { $0.value.0 == opened }, "all parties open the same")
        let expectA = reference(a, b), expectB = reference(b, a)
        let bits = { (flags: [Bool]) in Tensor(.bit, shape: [flags.count], narrow: flags.map { $0 ? 1 : 0 }) }
        let label = "nA=\(nA) nB=\(nB) keys=\(layout.keys.map { "\($0.0)" })"
        #expect(opened[0] == bits(expectA.matched), "\(label): a's matches")
        #expect(Array(opened[1..<(1 + b.payload.count)]) == expectA.received, "\(label): a receives b's payload")
        let bStart = 1 + b.payload.count
        #expect(opened[bStart] == bits(expectB.matched), "\(label): b's matches")
        #expect(Array(opened[(bStart + 1)...]) == expectB.received, "\(label): b receives a's payload")
        #expect(countedCost(results.map { $0.value.1 }) == cost(layout, nA, nB, injectionBits: injectionBits), "\(label): cost")
    }

    @Test("integer keys of every ring, payloads of several rings and shapes")
    func integerKeys() async throws {
        for (i, s) in [ScalarType.i32, .u64, .i8, .u128].enumerated() {
            let layout = Layout(keys: [(s, 1)], payloadA: [(.i64, []), (.bit, [3])], payloadB: [(.u32, []), (.i128, []), (.u8, [2])])
            try await Self.check(layout, 37, 29, seed: UInt8(1 + i))
        }
    }

    @Test("a composite key of an integer and a bit array; one payload direction only")
    func compositeKeys() async throws {
        let layout = Layout(keys: [(.u16, 1), (.bit, 5)], payloadA: [], payloadB: [(.i64, []), (.bit, [])])
        try await Self.check(layout, 41, 50, seed: 9)
        try await Self.check(Layout(keys: [(.bit, 7)], payloadA: [(.u32, [])], payloadB: []), 20, 17, seed: 10, injectionBits: 64)
    }

    @Test("tiny and empty tables")
    func edges() async throws {
        let layout = Layout(keys: [(.i64, 1)], payloadA: [(.i32, [])], payloadB: [(.i32, [])])
        for (nA, nB) in [(1, 1), (1, 3), (4, 1), (0, 5), (6, 0), (0, 0)] {
            try await Self.check(layout, nA, nB, seed: UInt8(20 + nA * 7 + nB))
        }
    }

    @Test("key columns of different types are refused")
    func mismatch() async throws {
        await #expect(throws: ConfideError.self) {
            _ = try await LocalSimulation.run(timeout: .seconds(10)) { party in
                let x = try party.sharePublic(Tensor(.i32, shape: [3], narrow: [1, 2, 3]))
                let y = try party.sharePublic(Tensor(.i64, shape: [2], narrow: [1, 2]))
                let v3 = try party.publicB(Tensor(.bit, shape: [3], narrow: [1, 1, 1]))
                let v2 = try party.publicB(Tensor(.bit, shape: [2], narrow: [1, 1]))
                _ = try await party.joinMatch(JoinSide(keys: [x], valid: v3, payload: []), JoinSide(keys: [y], valid: v2, payload: []))
            }
        }
    }
}
