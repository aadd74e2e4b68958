import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// The radix sort (eprint 2019/695) against the plaintext evaluator's `SortByIntegerKey`, with the
/// declared communication. The key's bits are shared by the test harness as their own input (the
/// bit decomposition is another kernel's job).
@Suite("ABY3 sort")
struct SortKernelTests {
    /// Every ring a key can have.
    static let keyTypes: [ScalarType] = ScalarType.allCases

    /// The evaluator's `SortByIntegerKey` of a table with column "key" and payload columns "p0", "p1", ….
    static func reference(key: Tensor, payload: [Tensor]) throws -> (key: Tensor, payload: [Tensor]) {
        let fields = [Value.NamedValue("key", .tensor(key))] + payload.enumerated().map { Value.NamedValue("p\($0)", .tensor($1)) }
        let op = Operation.custom(CustomOperation("SortByIntegerKey", parameters: [("key", .string("key"))]))
        guard case let .namedTuple(out) = try Evaluator.apply(op, to: [.namedTuple(fields)]) else {
            throw ConfideError(.typeMismatch, "SortByIntegerKey did not return a named tuple")
        }
        return (out[0].value.tensor!, out.dropFirst().map { $0.value.tensor! })
    }

    /// The key's bits, LSB first, as 0/1 tensors of `ring`.
    static func bitColumns(_ key: Tensor, ring: ScalarType) -> [Tensor] {
        let residues = key.residues
        return (0..<key.scalarType.bits).map { j in
            Tensor(ring, shape: key.shape, narrow: residues.map { UInt64(truncatingIfNeeded: ($0 >> UInt128(j)) & 1) })
        }
    }

    /// Sorts on three parties: party 0 shares the key and payloads, party 1 the key's bits; returns
    /// the revealed results and the traffic of `sortA` alone.
    static func secureSort<W: RingWord>(
        _: W.Type, key: Tensor, payload: [Tensor], signed: Bool
    ) async throws -> (key: Tensor, payload: [Tensor], traffic: [TrafficStatistics]) {
        let n = key.shape[0]
        let ring = ABY3Cost.permutationRing(count: n)
        let bits = bitColumns(key, ring: ring)
        let results = try await LocalSimulation.run(timeout: .seconds(30)) { party -> ([Tensor], TrafficStatistics) in
            let k: ArithmeticShare<W> = try await party.shareA(party.index == 0 ? key : nil, scalarType: key.scalarType, shape: key.shape, owner: 0)
            var p: [ArithmeticShare<W>] = []
            for t in payload { p.append(try await party.shareA(party.index == 0 ? t : nil, scalarType: t.scalarType, shape: t.shape, owner: 0)) }
            var b: [ArithmeticShare<UInt64>] = []
            for t in bits { b.append(try await party.shareA(party.index == 1 ? t : nil, scalarType: ring, shape: [n], owner: 1)) }
            let bitShares = b
            let before = party.communicator.statistics()
            let sorted = try await party.sortA(key: k, payload: p, signed: signed) { _, _, requested in
                #expect(requested == ring)
                return bitShares
            }
            let traffic = party.communicator.statistics().since(before)
            var opened: [Tensor] = []
            for s in [sorted.key] + sorted.payload { opened.append(try await party.revealA(s, to: [0, 1, 2])!) }
            return (opened, traffic)
        }
        #expect(results[1].value.0 == results[0].value.0 && results[2].value.0 == results[0].value.0, "all parties reveal the same")
        let opened = results[0].value.0
        return (opened[0], Array(opened.dropFirst()), results.map { $0.value.1 })
    }

    /// Keys with edge values, duplicates, and random values; payloads of the key's type, a row
    /// index column and a matrix.
    static func check<W: RingWord>(_: W.Type, _ s: ScalarType, count n: Int, seed: UInt8) async throws {
        var data = MPCTestData(seed: seed)
        var residues = data.tensor(s, [n]).residues
        for i in stride(from: 12, to: n, by: 3) { residues[i] = residues[i % 9] }  // duplicates of edge values
        let key = Tensor(s, shape: [n], residues: residues)
        let payload = [
            data.tensor(s, [n], edges: false), Tensor(s, shape: [n], residues: (0..<n).map { UInt128($0) & s.mask128 }),
            data.tensor(s, [n, 2]),
        ]
        let expected = try reference(key: key, payload: payload)
        let result = try await secureSort(W.self, key: key, payload: payload, signed: s.isSigned)
        #expect(result.key == expected.key, "\(s) n=\(n): sorted key")
        #expect(result.payload == expected.payload, "\(s) n=\(n): payloads follow the key stably")
        let bytes = ABY3Cost.columnBytes([(n, s)] + payload.map { ($0.count, $0.scalarType) })
        #expect(countedCost(result.traffic) == ABY3Cost.sortA(count: n, bitCount: s.bits, columnBytes: bytes), "\(s) n=\(n): cost")
        #expect(countedCost(result.traffic).rounds == 8 * s.bits - 3)
    }

    @Test(arguments: keyTypes)
    func sortMatchesPlaintext(scalarType: ScalarType) async throws {
        for (i, n) in [21, 1, 2].enumerated() {
            let seed = UInt8(truncatingIfNeeded: scalarType.bits &* 3 &+ i)
            if scalarType.isWide {
                try await Self.check(UInt128.self, scalarType, count: n, seed: seed)
            } else {
                try await Self.check(UInt64.self, scalarType, count: n, seed: seed)
            }
        }
    }

    /// Many equal keys: the payload of row indices must come out in input order within each key.
    @Test(arguments: [ScalarType.i8, .u16])
    func sortIsStable(scalarType: ScalarType) async throws {
        let n = 30
        let keyValues: [Int128] = (0..<n).map { Int128(($0 * 7) % 3) - 1 }
        let key = Tensor(scalarType, shape: [n], wrapping: keyValues)
        let rows = Tensor(.u32, shape: [n], narrow: (0..<n).map { UInt64($0) })
        let rowsTyped = Tensor(scalarType, shape: [n], residues: rows.residues)
        let result = try await Self.secureSort(UInt64.self, key: key, payload: [rowsTyped], signed: scalarType.isSigned)
        let order = (0..<n).sorted { a, b in
            let ka = scalarType.isSigned ? keyValues[a] : Int128(key.residues[a]), kb = scalarType.isSigned ? keyValues[b] : Int128(key.residues[b])
            return ka != kb ? ka < kb : a < b
        }
        #expect(result.payload[0].residues == order.map { UInt128($0) })
        #expect(result.payload[0] == (try Self.reference(key: key, payload: [rowsTyped])).payload[0])
    }

    /// Unsigned order of a signed key when `signed` is false.
    @Test func unsignedOrderOfSignedKey() async throws {
        let key = Tensor(.i8, shape: [5], wrapping: [3, -1, 0, -128, 127])
        let result = try await Self.secureSort(UInt64.self, key: key, payload: [], signed: false)
        #expect(result.key == Tensor(.i8, shape: [5], wrapping: [0, 3, 127, -128, -1]))
    }

    @Test func badInputThrows() async throws {
        await #expect(throws: ConfideError.self) {
            _ = try await LocalSimulation.run(timeout: .seconds(5)) { party in
                let key: ArithmeticShare<UInt64> = try party.publicA(Tensor(.u8, shape: [2, 2], narrow: [1, 2, 3, 4]))
                _ = try await party.sortA(key: key, signed: false) { _, _, _ in [] }
            }
        }
        await #expect(throws: ConfideError.self) {
            _ = try await LocalSimulation.run(timeout: .seconds(5)) { party in
                let key: ArithmeticShare<UInt64> = try party.publicA(Tensor(.u8, shape: [3], narrow: [1, 2, 3]))
                _ = try await party.sortA(key: key, signed: false) { p, _, ring in
                    [try p.publicA(Tensor(ring, shape: [3], narrow: [0, 1, 0]))]
                }
            }
        }
        await #expect(throws: ConfideError.self) {
            _ = try await LocalSimulation.run(timeout: .seconds(5)) { party in
                let key: ArithmeticShare<UInt64> = try party.publicA(Tensor(.u8, shape: [3], narrow: [1, 2, 3]))
                let payload: ArithmeticShare<UInt64> = try party.publicA(Tensor(.u8, shape: [4], narrow: [1, 2, 3, 4]))
                _ = try await party.sortA(key: key, payload: [payload], signed: false) { _, _, _ in [] }
            }
        }
    }
}

/// `sortColumns` injects the key's bits a group at a time when k·n is large; small budgets here force
/// groups of one and of three bits, and the result must not change.
@Suite("ABY3 sort, grouped bit injection")
struct SortGroupedInjectionTests {
    @Test(arguments: [(ScalarType.i16, 1), (.i16, 3), (.u8, 5), (.i32, 64)])
    func groupedInjectionSortsLikeThePlaintext(scalarType s: ScalarType, bitsPerGroup: Int) async throws {
        let n = 37
        var data = MPCTestData(seed: UInt8(s.bits + bitsPerGroup))
        let key = data.tensor(s, [n])
        let index = Tensor(.u32, shape: [n], residues: (0..<n).map { UInt128($0) })
        let expected = try SortKernelTests.reference(key: key, payload: [index])
        let results = try await LocalSimulation.run(timeout: .seconds(30)) { party -> [Tensor] in
            let k = try await party.shareA(party.index == 0 ? key : nil, scalarType: s, shape: [n], owner: 0) as ArithmeticShare<UInt64>
            let i = try await party.shareA(party.index == 0 ? index : nil, scalarType: .u32, shape: [n], owner: 0) as ArithmeticShare<UInt64>
            let sorted = try await party.sortColumns(
                [("key", .arithmetic64(k)), ("i", .arithmetic64(i))], key: "key", binaryKey: false, injectionBits: bitsPerGroup * n)
            var opened: [Tensor] = []
            for column in sorted {
                guard case let .arithmetic64(a) = column.value else { throw ConfideError(.typeMismatch, "an arithmetic column was expected") }
                if let value = try await party.revealA(a, to: [0]) { opened.append(value) }
            }
            return opened
        }
        #expect(results[0].value == [expected.key] + expected.payload, "\(s), \(bitsPerGroup) bits per injection")
    }
}
