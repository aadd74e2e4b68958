import ConfideCore
import ConfideGraph
import Foundation
import Testing

@testable import ConfideMPC

@Suite("ABY3 set-up, sharing and revealing")
struct SharingTests {
    static let receiverSets: [Set<Int>] = [[0], [1], [2], [0, 2], [0, 1, 2]]

    @Test(arguments: ScalarType.allCases)
    func shareAndRevealEveryType(scalarType: ScalarType) async throws {
        var data = MPCTestData(seed: UInt8(scalarType.bits))
        let x = data.tensor(scalarType, [3, 11])
        for owner in 0..<3 {
            for receivers in Self.receiverSets {
                let results = try await LocalSimulation.run(timeout: .seconds(20)) { party -> (Tensor?, TrafficStatistics, TrafficStatistics) in
                    let start = party.communicator.statistics()
                    let share = try await party.share(party.index == owner ? x : nil, scalarType: scalarType, shape: x.shape, owner: owner)
                    let shared = party.communicator.statistics()
                    let value = try await party.reveal(share, to: receivers)
                    return (value, shared.since(start), party.communicator.statistics().since(shared))
                }
                for p in 0..<3 {
                    #expect(results[p].value.0 == (receivers.contains(p) ? x : nil), "owner \(owner), receivers \(receivers), party \(p)")
                }
                let shareCost = countedCost(results.map { $0.value.1 })
                let revealCost = countedCost(results.map { $0.value.2 })
                if scalarType == .bit {
                    #expect(shareCost == ABY3Cost.shareB(count: x.count, owner: owner))
                    #expect(revealCost == ABY3Cost.revealB(count: x.count, to: receivers))
                } else {
                    #expect(shareCost == ABY3Cost.shareA(count: x.count, scalarType, owner: owner))
                    #expect(revealCost == ABY3Cost.revealA(count: x.count, scalarType, to: receivers))
                }
            }
        }
    }

    @Test func theOwnersPredecessorSeesOnlyAMaskedValue() async throws {
        // The owner's message is x − F(k_{o+1}): with x = 0 it is a uniformly random stream, never the input itself.
        let x = Tensor.zeros(.u64, shape: [64])
        let results = try await LocalSimulation.run { party -> [UInt64] in
            let share: ArithmeticShare<UInt64> = try await party.shareA(party.index == 0 ? x : nil, scalarType: .u64, shape: [64], owner: 0)
            return party.index == 2 ? share.second : []
        }
        let seen = results[2].value
        #expect(Set(seen).count > 60)
        #expect(!seen.allSatisfy { $0 == 0 })
    }

    @Test func publicValuesAndZeroSharesNeedNoCommunication() async throws {
        var data = MPCTestData(seed: 5)
        let p = data.tensor(.i16, [9])
        let bits = data.tensor(.bit, [70])
        let results = try await LocalSimulation.run { party -> (Tensor?, Tensor?, [UInt64], Int) in
            let a = try party.sharePublic(p)
            let b = try party.sharePublic(bits)
            let zero: [UInt64] = party.zeroShare(100, .u32)
            let rounds = party.communicator.statistics().rounds
            return (try await party.reveal(a, to: [1]), try await party.reveal(b, to: [1]), zero, rounds)
        }
        #expect(results[1].value.0 == p)
        #expect(results[1].value.1 == bits)
        #expect(results.allSatisfy { $0.value.3 == 1 }, "only set-up communicated")
        let sums = (0..<100).map { i in results.reduce(UInt64(0)) { ($0 &+ $1.value.2[i]) & 0xFFFF_FFFF } }
        #expect(sums.allSatisfy { $0 == 0 })
        #expect(!results[0].value.2.allSatisfy { $0 == 0 })
    }

    @Test func cipherCoreSecretSharedTuplesOfTheMedianExample() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/ciphercore-examples/median")
        let inputs = try (0..<3).map { p in
            try Value.typedValues(fromJSONText: try String(contentsOf: root.appendingPathComponent("party\(p)/input.txt"), encoding: .utf8))[0]
        }
        let results = try await LocalSimulation.run { party -> Tensor? in
            let share = try party.shareFromCipherCoreTuple(inputs[party.index])
            return try await party.reveal(share, to: [0])
        }
        let values = try #require(results[0].value?.residues)
        #expect(values.count == 1024)
        #expect(Set(values) == Set((0..<1024).map { UInt128($0) }))
    }

    @Test func badSharingArgumentsAreRefused() async throws {
        let results = try await LocalSimulation.run(timeout: .seconds(10)) { party -> [ConfideError.Code?] in
            func code(_ body: () async throws -> Void) async -> ConfideError.Code? {
                do { try await body(); return nil } catch { return (error as? ConfideError)?.code }
            }
            let share: ArithmeticShare<UInt64> = try party.randomShare(.u8, shape: [2])
            return [
                await code { _ = try await party.revealA(share, to: [3]) },
                await code { _ = try await party.revealA(share, to: []) },
                await code { _ = try await party.shareA(nil, scalarType: .u8, shape: [2], owner: -1) as ArithmeticShare<UInt64> },
                await code { _ = try party.shareFromCipherCoreTuple(.tuple([.scalar(.u8, 1), .scalar(.u8, 2)])) },
                await code { _ = try ArithmeticShare<UInt64>(scalarType: .u128, shape: [1], first: [1], second: [1]) },
                await code { _ = try ArithmeticShare<UInt64>(scalarType: .u8, shape: [2], first: [1], second: [1]) },
            ]
        }
        #expect(results[0].value == [.invalidArgument, .invalidArgument, .invalidArgument, .typeMismatch, .typeMismatch, .shapeMismatch])
    }

    @Test func aPartyThatNeverAnswersFailsTheOthersWithTheTag() async throws {
        let network = LocalNetwork(partyCount: 3, defaultTimeout: .milliseconds(200))
        let error = await #expect(throws: ConfideError.self) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for p in 0..<2 {
                    let communicator = try network.communicator(for: p)
                    group.addTask { _ = try await ABY3Party.setUp(communicator) }
                }
                try await group.waitForAll()
            }
        }
        #expect(error?.code == .timeout)
        #expect(error?.message.contains("setup#0") == true)
    }

    @Test func sharesNeverPrintTheirComponents() async throws {
        let results = try await LocalSimulation.run { party -> String in
            let share: ArithmeticShare<UInt64> = try party.randomShare(.u64, shape: [2])
            return "\(share) \(SharedTensor.arithmetic64(share)) \(String(reflecting: share.first.count))"
        }
        #expect(results[0].value == "ArithmeticShare(u64[2]) SharedTensor(u64[2]) 2")
    }

    @Test func setUpNeedsThreeParties() async throws {
        let network = LocalNetwork(partyCount: 2)
        let error = await #expect(throws: ConfideError.self) { _ = try await ABY3Party.setUp(try network.communicator(for: 0)) }
        #expect(error?.code == .invalidArgument)
    }
}
