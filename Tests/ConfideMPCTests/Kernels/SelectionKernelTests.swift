import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

@Suite("ABY3 selection")
struct SelectionKernelTests {
    static func check<W: RingWord>(_: W.Type, _ s: ScalarType) async throws {
        var data = MPCTestData(seed: UInt8(s.bits))
        var x = data.tensor(s, [23])
        // Duplicates of an edge value.
        x = Tensor(s, shape: [23], residues: x.residues.enumerated().map { $0.offset >= 20 ? x.residue(at: 1) : $0.element })
        let ranks = [0, 11, 22, 5, 20]
        let sorted = try #require(
            try Evaluator.apply(.custom(CustomOperation("SortByIntegerKey", parameters: [("key", .string("k"))])), to: [.namedTuple([.init("k", .tensor(x))])])
                .children?.first?.tensor)
        let expected = Tensor(s, shape: [ranks.count], residues: ranks.map { sorted.residue(at: $0) })
        let result = try await runOnShares(W.self, [x]) { party, v in try await party.selectRanksA(v[0], ranks: ranks) }
        #expect(result.value == expected, "\(s)")
        #expect(countedCost(result.traffic) == ABY3Cost.selectRanksA(count: 23, ranks: ranks.count, s))
    }

    @Test(arguments: arithmeticScalarTypes)
    func ranksMatchTheSortedPlaintext(scalarType: ScalarType) async throws {
        if scalarType.isWide {
            try await Self.check(UInt128.self, scalarType)
        } else {
            try await Self.check(UInt64.self, scalarType)
        }
    }

    @Test func badArgumentsAreRefused() async throws {
        let results = try await LocalSimulation.run(timeout: .seconds(10)) { party -> [ConfideError.Code?] in
            func code(_ body: () async throws -> Void) async -> ConfideError.Code? {
                do { try await body(); return nil } catch { return (error as? ConfideError)?.code }
            }
            let vector: ArithmeticShare<UInt64> = try party.randomShare(.i32, shape: [4])
            let matrix: ArithmeticShare<UInt64> = try party.randomShare(.i32, shape: [2, 2])
            return [
                await code { _ = try await party.selectRanksA(vector, ranks: [4]) },
                await code { _ = try await party.selectRanksA(vector, ranks: []) },
                await code { _ = try await party.selectRanksA(matrix, ranks: [0]) },
            ]
        }
        #expect(results[0].value == [.invalidArgument, .invalidArgument, .shapeMismatch])
    }
}
