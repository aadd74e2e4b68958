import ConfideCore
import ConfideRuntime
import Foundation
import Testing

@testable import ConfideFL

/// Faults during a round: a collaborator dropping out after masking, a NaN update.
@Suite(.serialized, .timeLimit(.minutes(10))) struct RoundFaultTests {
    /// A collaborator that leaves after sharing its keys: the round completes with the other two and its masks are removed.
    @Test func dropoutAfterMaskingIsRecovered() async throws {
        let ws = try FLTestWorkspace(rounds: 1) { $0.cutoffSeconds = 20; $0.minimumCollaborators = 2; $0.threshold = 2 }
        defer { ws.remove() }
        let lines = LogLines()
        let aggregator = try FLAggregator(plan: ws.plan, log: lines.log("aggregator"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await aggregator.run() }
            let port = try await port(of: aggregator)
            for name in ws.names {
                let c = try ws.collaborator(name, port: port, faults: name == "carol" ? .init(dropAfterSharing: 1) : .init())
                group.addTask { try await c.run() }
            }
            try await group.waitForAll()
        }
        let (model, history) = await aggregator.result()
        #expect(history.first { $0.round == 1 }?.collaborators == ["alice", "bob"])
        #expect(lines.contains("continuing without carol"))
        #expect(model.allSatisfy { $0.isFinite })
        // The model after round 1 is the weighted mean of alice's and bob's updates: check accuracy is sane
        // (a wrong unmasking leaves 2^64-scale garbage).
        let test = try FLDataset.loadCSV(ws.plan.path("data/test.csv"), label: "benign")
        #expect(FLTrainer(spec: ws.plan.model, features: test.columns).accuracy(model, test) > 0.85)
    }

    /// In plain mode a NaN update is rejected before aggregation and named in the log; the round completes without it.
    @Test func nanUpdateIsRejected() async throws {
        let ws = try FLTestWorkspace(rounds: 1, secure: false) { $0.cutoffSeconds = 20; $0.minimumCollaborators = 2 }
        defer { ws.remove() }
        let lines = LogLines()
        let aggregator = try FLAggregator(plan: ws.plan, log: lines.log("aggregator"))
        let failures = LogLines()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await aggregator.run() }
            let port = try await port(of: aggregator)
            for name in ws.names {
                let c = try ws.collaborator(name, port: port, faults: name == "bob" ? .init(nanUpdate: 1) : .init())
                group.addTask {
                    do { try await c.run() } catch { failures.log(name).error("\(error)") }
                }
            }
            try await group.waitForAll()
        }
        let (model, history) = await aggregator.result()
        #expect(lines.contains("rejected the update of bob in round 1 before aggregation"))
        #expect(history.last?.collaborators == ["alice", "carol"])
        #expect(model.allSatisfy { $0.isFinite })
    }
}
