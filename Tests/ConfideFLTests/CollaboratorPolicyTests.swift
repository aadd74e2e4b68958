import ConfideCore
import ConfideRuntime
import Foundation
import Logging
import Testing

@testable import ConfideFL

/// A collaborator holds the aggregator to its own plan: secure aggregation and a majority threshold.
@Suite(.serialized) struct CollaboratorPolicyTests {
    @Test func weakerThresholdsAndTooManyCollaboratorsAreRefused() throws {
        let plan = FLPlan()
        try FLCollaborator.checkSecureRound(threshold: 2, collaborators: 3, plan: plan, round: 1)
        try FLCollaborator.checkSecureRound(threshold: 3, collaborators: 4, plan: plan, round: 1)
        for (threshold, n) in [(1, 3), (2, 4), (1, 2), (0, 2), (4, 3)] {
            let error = #expect(throws: ConfideError.self, "t=\(threshold) n=\(n)") {
                try FLCollaborator.checkSecureRound(threshold: threshold, collaborators: n, plan: plan, round: 1)
            }
            #expect(error?.message.contains("threshold \(threshold)") == true)
        }
        var strict = FLPlan()
        strict.threshold = 3
        #expect(throws: ConfideError.self) { try FLCollaborator.checkSecureRound(threshold: 2, collaborators: 3, plan: strict, round: 1) }
        let headroom = #expect(throws: ConfideError.self) {
            try FLCollaborator.checkSecureRound(threshold: 100, collaborators: FLFixedPoint.maximumCollaborators + 1, plan: plan, round: 1)
        }
        #expect(headroom?.message.contains("at most \(FLFixedPoint.maximumCollaborators)") == true)
    }

    @Test func anAggregatorThatDropsSecureAggregationGetsNoUpdate() async throws {
        let ws = try FLTestWorkspace(rounds: 1, secure: false) { $0.cutoffSeconds = 60 }
        defer { ws.remove() }
        let lines = LogLines()
        let aggregator = try FLAggregator(plan: ws.plan, log: lines.log("aggregator"))
        let server = Task { try await aggregator.run() }
        let port = try await port(of: aggregator)
        var own = ws.plan
        own.secure = true
        let alice = try FLCollaborator(
            name: "alice", plan: own, tls: ws.tls("alice"), dataFile: own.path("data/alice.csv"), port: port, log: Logger.node("alice", level: .warning))
        let error = await #expect(throws: ConfideError.self) { try await alice.run() }
        #expect(error?.message.contains("without secure aggregation") == true, "\(error?.message ?? "")")
        #expect(!lines.all.contains { $0.contains("update from alice") })
        aggregator.stop()
        _ = try? await server.value
    }
}
