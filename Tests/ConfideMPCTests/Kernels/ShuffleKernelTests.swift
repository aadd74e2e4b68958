import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// The resharing shuffle and shared permutations (eprint 2019/695) with their declared communication.
@Suite("ABY3 shuffle and shared permutations")
struct ShuffleKernelTests {
    /// Shuffles a column of distinct values and a column of row indices together, then unshuffles.
    static func checkShuffle<W: RingWord>(_: W.Type, _ s: ScalarType, seed: UInt8) async throws {
        let n = 19
        var data = MPCTestData(seed: seed)
        let x = data.tensor(s, [n, 3])
        let rows = Tensor(s, shape: [n], residues: (0..<n).map { UInt128($0) & s.mask128 })
        let results = try await LocalSimulation.run(timeout: .seconds(20)) { party -> ([Tensor], [TrafficStatistics]) in
            let a: ArithmeticShare<W> = try await party.shareA(party.index == 2 ? x : nil, scalarType: s, shape: x.shape, owner: 2)
            let b: ArithmeticShare<W> = try await party.shareA(party.index == 2 ? rows : nil, scalarType: s, shape: rows.shape, owner: 2)
            let before = party.communicator.statistics()
            let (shuffled, secret) = try await party.shuffleA([a, b])
            let middle = party.communicator.statistics()
            let restored = try await party.unshuffleA(shuffled, secret: secret)
            let after = party.communicator.statistics()
            var opened: [Tensor] = []
            for c in shuffled + restored { opened.append(try await party.revealA(c, to: [0, 1, 2])!) }
            return (opened, [middle.since(before), after.since(middle)])
        }
        let opened = results[0].value.0
        let (sx, sRows, rx, rRows) = (opened[0], opened[1], opened[2], opened[3])
        // The row column is a permutation of 0..<n, and the rows of x moved with it.
        let perm = sRows.residues.map { Int($0) }
        #expect(perm.sorted() == Array(0..<n), "\(s): the shuffled row indices are a permutation")
        let xr = x.residues, sxr = sx.residues
        var moved = true
        for r in 0..<n {
            for k in 0..<3 where sxr[r * 3 + k] != xr[perm[r] * 3 + k] { moved = false }
        }
        #expect(moved, "\(s): columns move together")
        #expect(rx == x && rRows == rows, "\(s): unshuffle undoes the shuffle")
        let bytes = ABY3Cost.columnBytes([(x.count, s), (n, s)])
        for step in 0..<2 {
            #expect(countedCost(results.map { $0.value.1[step] }) == ABY3Cost.shuffleA(columnBytes: bytes), "\(s): shuffle cost")
        }
    }

    @Test(arguments: ScalarType.allCases.filter { $0.bits >= 8 })
    func shuffleIsAPermutationAndUndoes(scalarType: ScalarType) async throws {
        if scalarType.isWide {
            try await Self.checkShuffle(UInt128.self, scalarType, seed: UInt8(scalarType.bits))
        } else {
            try await Self.checkShuffle(UInt64.self, scalarType, seed: UInt8(scalarType.bits))
        }
    }

    /// The permutation of a shuffle of 0..<n, one session.
    static func shufflePermutation(_ n: Int) async throws -> [Int] {
        let rows = Tensor(.u16, shape: [n], narrow: (0..<n).map { UInt64($0) })
        let results = try await LocalSimulation.run(timeout: .seconds(10)) { party -> Tensor in
            let x: ArithmeticShare<UInt64> = try party.publicA(rows)
            return try await party.revealA(try await party.shuffleA([x]).columns[0], to: [0, 1, 2])!
        }
        return results[0].value.narrowWords!.map { Int($0) }
    }

    /// Across sessions (fresh keys) the permutation varies: of 40 shuffles of 6 rows nearly all differ
    /// (720 permutations), and no value sticks to a row (each value lands in each row 6.7 times on average;
    /// 26 or more times in any of the 36 cells happens with probability below 10^-9 for a uniform shuffle,
    /// and always for one that keeps a value in place).
    @Test func shufflePermutationVariesAcrossSessions() async throws {
        var seen = Set<[Int]>()
        var placed = [[Int]](repeating: [Int](repeating: 0, count: 6), count: 6)
        for _ in 0..<40 {
            let p = try await Self.shufflePermutation(6)
            #expect(p.sorted() == Array(0..<6))
            seen.insert(p)
            for (row, value) in p.enumerated() where placed.indices.contains(value) { placed[value][row] += 1 }
        }
        #expect(seen.count >= 30, "distinct permutations: \(seen.count) of 40")
        #expect(placed.joined().allSatisfy { $0 <= 25 }, "rows of each value: \(placed)")
    }

    /// applyPermutationA / unapplyPermutationA against the evaluator's ApplyPermutation.
    static func checkPermutation<W: RingWord>(_: W.Type, _ s: ScalarType, permutationType: ScalarType, seed: UInt8) async throws {
        let n = 11
        var data = MPCTestData(seed: seed)
        let x = data.tensor(s, [n])
        let y = data.tensor(s, [n, 2])
        var order = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(data.generator.uniform(below: UInt64(i + 1)))) }
        let p = Tensor(permutationType, shape: [n], narrow: order.map { UInt64($0) })
        for inverse in [false, true] {
            let results = try await LocalSimulation.run(timeout: .seconds(20)) { party -> ([Tensor], TrafficStatistics) in
                let a: ArithmeticShare<W> = try await party.shareA(party.index == 0 ? x : nil, scalarType: s, shape: x.shape, owner: 0)
                let b: ArithmeticShare<W> = try await party.shareA(party.index == 1 ? y : nil, scalarType: s, shape: y.shape, owner: 1)
                let q: ArithmeticShare<UInt64> = try await party.shareA(
                    party.index == 2 ? p : nil, scalarType: permutationType, shape: [n], owner: 2)
                let before = party.communicator.statistics()
                let out = inverse ? try await party.unapplyPermutationA([a, b], permutation: q) : try await party.applyPermutationA([a, b], permutation: q)
                let traffic = party.communicator.statistics().since(before)
                var opened: [Tensor] = []
                for c in out { opened.append(try await party.revealA(c, to: [0, 1, 2])!) }
                return (opened, traffic)
            }
            let opened = results[0].value.0
            for (input, output) in zip([x, y], opened) {
                let expected = try Evaluator.apply(.applyPermutation(inverse: inverse), to: [.tensor(input), .tensor(p)])
                #expect(Value.tensor(output) == expected, "\(s) inverse=\(inverse)")
            }
            let bytes = ABY3Cost.columnBytes([(n, s), (2 * n, s)])
            let declared =
                inverse
                ? ABY3Cost.unapplyPermutationA(count: n, permutationType: permutationType, columnBytes: bytes)
                : ABY3Cost.applyPermutationA(count: n, permutationType: permutationType, columnBytes: bytes)
            #expect(countedCost(results.map { $0.value.1 }) == declared, "\(s) inverse=\(inverse): cost")
        }
    }

    @Test(arguments: [(ScalarType.u8, ScalarType.u64), (.i32, .u32), (.u64, .u16), (.i128, .u8)])
    func permutationsMatchPlaintext(scalarType: ScalarType, permutationType: ScalarType) async throws {
        if scalarType.isWide {
            try await Self.checkPermutation(UInt128.self, scalarType, permutationType: permutationType, seed: 5)
        } else {
            try await Self.checkPermutation(UInt64.self, scalarType, permutationType: permutationType, seed: 6)
        }
    }

    @Test func badInputThrows() async throws {
        // Not a permutation: the opened vector is rejected.
        await #expect(throws: ConfideError.self) {
            _ = try await LocalSimulation.run(timeout: .seconds(5)) { party in
                let x: ArithmeticShare<UInt64> = try party.publicA(Tensor(.u8, shape: [3], narrow: [1, 2, 3]))
                let p: ArithmeticShare<UInt64> = try party.publicA(Tensor(.u32, shape: [3], narrow: [0, 0, 2]))
                _ = try await party.applyPermutationA([x], permutation: p)
            }
        }
        // Row counts differ.
        await #expect(throws: ConfideError.self) {
            _ = try await LocalSimulation.run(timeout: .seconds(5)) { party in
                let x: ArithmeticShare<UInt64> = try party.publicA(Tensor(.u8, shape: [3], narrow: [1, 2, 3]))
                let y: ArithmeticShare<UInt64> = try party.publicA(Tensor(.u8, shape: [2], narrow: [1, 2]))
                _ = try await party.shuffleA([x, y])
            }
        }
        // A scalar column, and no columns.
        await #expect(throws: ConfideError.self) {
            _ = try await LocalSimulation.run(timeout: .seconds(5)) { party in
                let x: ArithmeticShare<UInt64> = try party.publicA(Tensor(.u8, shape: [], narrow: [1]))
                _ = try await party.shuffleA([x])
            }
        }
        await #expect(throws: ConfideError.self) {
            _ = try await LocalSimulation.run(timeout: .seconds(5)) { party in
                _ = try await party.shuffleA([ArithmeticShare<UInt64>]())
            }
        }
        // A permutation ring without room for the rows.
        await #expect(throws: ConfideError.self) {
            _ = try await LocalSimulation.run(timeout: .seconds(5)) { party in
                let x: ArithmeticShare<UInt64> = try party.publicA(Tensor(.u8, shape: [300], narrow: [UInt64](repeating: 0, count: 300)))
                let p: ArithmeticShare<UInt64> = try party.publicA(Tensor(.u8, shape: [300], narrow: [UInt64](repeating: 0, count: 300)))
                _ = try await party.unapplyPermutationA([x], permutation: p)
            }
        }
    }
}
