import ConfideCore
import ConfideComm
import Testing

@testable import ConfideNet

@Suite struct SocketGroupTests {
    @Test func splitGroupsBySameNameAndRenumbers() async throws {
        let comms = try await netConnect(4, security: { _ in .insecurePlaintextForTestsOnly })
        let names: [String?] = ["even", "odd", "even", nil]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in comms {
                group.addTask {
                    let g = try await c.split(names[c.party])
                    guard let g else {
                        #expect(c.party == 3)
                        return
                    }
                    #expect(g.members == (c.party % 2 == 0 ? [0, 2] : [1]))
                    #expect(g.party == (c.party == 2 ? 1 : 0))
                    if g.partyCount == 2 {
                        let all = try await g.allgather([UInt8(c.party)])
                        #expect(all == [[0], [2]])
                        #expect(g.statistics().byKind["net.allgather"]?.messagesSent == 1)
                        // A second split of the group.
                        let again = try await g.split("again")
                        #expect(again?.partyCount == 2)
                        try await again?.barrier()
                    }
                    let error = await netError { _ = try await g.exchange([OutgoingMessage(to: 5, tag: MessageTag(kind: "x", sequence: 0), bytes: [])], expecting: [], timeout: nil) }
                    #expect(error?.code == .invalidArgument)
                    g.free()
                    let freed = await netError { try await g.barrier() }
                    #expect(freed?.code == .notRunning)
                }
            }
            try await group.waitForAll()
        }
        await netClose(comms)
    }

    @Test func shrinkAgreesOnSurvivors() async throws {
        let comms = try await netConnect(4, security: { _ in .insecurePlaintextForTestsOnly })
        await comms[1].close()
        try await Task.sleep(for: .milliseconds(200))
        let survivors = [comms[0], comms[2], comms[3]]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in survivors {
                group.addTask {
                    let g = try await c.shrink(timeout: .seconds(5))
                    #expect(g.members == [0, 2, 3])
                    let all = try await g.allgather([UInt8(c.party)])
                    #expect(all == [[0], [2], [3]])
                }
            }
            try await group.waitForAll()
        }
        await netClose(comms)
    }

    @Test func revokingAGroupFailsItsMembersCallsAndLeavesTheParentWorking() async throws {
        let comms = try await netConnect(4, security: { _ in .insecurePlaintextForTestsOnly })
        let names: [String?] = ["g", "g", "g", nil]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in comms {
                group.addTask {
                    let g = try await c.split(names[c.party])
                    if let g {
                        // A nested group inside g, revoked with it.
                        let inner = try await g.split("inner")
                        switch c.party {
                        case 0:
                            // Pending: waits for a message party 1 never sends; the revoke fails it.
                            let pending = await netError {
                                _ = try await g.exchange([], expecting: [ExpectedMessage(from: 1, tag: MessageTag(kind: "never", sequence: 1))], timeout: .seconds(20))
                            }
                            #expect(pending?.code == .revoked, "\(String(describing: pending))")
                        case 1:
                            try await Task.sleep(for: .milliseconds(300))
                            await g.revoke()
                            let own = await netError { try await g.barrier() }
                            #expect(own?.code == .revoked)
                        default:
                            try await Task.sleep(for: .milliseconds(800))
                            let later = await netError { try await g.barrier(timeout: .seconds(20)) }
                            #expect(later?.code == .revoked, "\(String(describing: later))")
                            let nested = await netError { try await inner?.barrier(timeout: .seconds(20)) }
                            #expect(nested?.code == .revoked, "\(String(describing: nested))")
                        }
                    }
                    // The parent communicator still works for everyone.
                    try await c.barrier(timeout: .seconds(20))
                }
            }
            try await group.waitForAll()
        }
        await netClose(comms)
    }
}
