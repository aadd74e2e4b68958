import ConfideCore
import ConfideComm
import Testing

@testable import ConfideNet

@Suite struct SocketCollectiveTests {
    @Test func collectivesDeliverByRank() async throws {
        let comms = try await netConnect(security: { _ in .insecurePlaintextForTestsOnly })
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in comms {
                group.addTask {
                    let p = c.party
                    let b = try await c.broadcast(p == 1 ? [9, 8, 7] : nil, root: 1)
                    #expect(b == [9, 8, 7])
                    let g = try await c.gather([UInt8(p), 42], root: 2)
                    #expect(g == (p == 2 ? [[0, 42], [1, 42], [2, 42]] : nil))
                    let s = try await c.scatter(p == 0 ? [[10], [11, 11], []] : nil, root: 0)
                    #expect(s == [[10], [11, 11], []][p])
                    let a = try await c.allgather([UInt8(p * 3)])
                    #expect(a == [[0], [3], [6]])
                    try await c.barrier()
                    let stats = c.statistics()
                    #expect(stats.rounds == 5)
                    #expect(stats.byKind["net.barrier"]?.messagesSent == 2)
                }
            }
            try await group.waitForAll()
        }
        let error = await netError { _ = try await comms[0].broadcast([1], root: 3) }
        #expect(error?.code == .invalidArgument)
        let error2 = await netError { _ = try await comms[0].broadcast(nil, root: 0) }
        #expect(error2?.code == .invalidArgument)
        await netClose(comms)
    }
}
