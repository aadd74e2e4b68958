import ConfideCore
import ConfideRuntime
import Foundation
import Logging
import Testing

@testable import ConfideFL

@Suite(.serialized, .timeLimit(.minutes(10))) struct FederationTests {
    /// Three collaborators, secure aggregation over mutual TLS: every round aggregates all three and
    /// the aggregator's model matches the plain weighted mean computed locally.
    @Test func secureRoundsMatchPlainWeightedMean() async throws {
        let ws = try FLTestWorkspace(rounds: 2)
        defer { ws.remove() }
        let lines = LogLines()
        let aggregator = try FLAggregator(plan: ws.plan, log: lines.log("aggregator"))
        try await federate(ws, aggregator) { name, port in try await ws.collaborator(name, port: port).run() }
        let (model, history) = await aggregator.result()
        #expect(history.map(\.round) == [0, 1, 2])
        #expect(history.allSatisfy { $0.collaborators == ws.names })
        // Recompute round 0 and 1 in the clear.
        var sum: [Double] = [], weight = 0.0
        var runners: [FLTaskRunner] = []
        for name in ws.names {
            let runner = try FLTaskRunner(plan: ws.plan, dataFile: ws.plan.path("data/\(name).csv"))
            runners.append(runner)
            let (s, w) = runner.statistics()
            sum = sum.isEmpty ? s : zip(sum, s).map(+)
            weight += w
        }
        var expected = FLTrainer(spec: ws.plan.model, features: runners[0].train.columns).initialModel(statistics: sum.map { $0 / weight })
        for round in 1...2 {
            var total = [Double](repeating: 0, count: expected.count)
            for (name, runner) in zip(ws.names, runners) {
                let trained = try await runner.run(model: expected, round: UInt64(round), name: name).model
                for i in total.indices { total[i] += trained[i] * Double(runner.train.rows) }
            }
            expected = total.map { $0 / weight }
        }
        #expect(model.count == expected.count)
        let error = zip(model, expected).map { abs($0 - $1) }.max() ?? 1
        #expect(error < 1e-4)
        // The log names rounds and collaborators, never values.
        #expect(lines.contains("round 2 aggregated from 3 collaborators"))
    }

    /// A collaborator presenting bob's certificate while claiming to be alice is rejected; so is an unregistered one.
    @Test func wrongCertificateAndUnregisteredAreRejected() async throws {
        let ws = try FLTestWorkspace(rounds: 1)
        defer { ws.remove() }
        try ws.sign("mallory", register: false)
        let lines = LogLines()
        let aggregator = try FLAggregator(plan: ws.plan, log: lines.log("aggregator"))
        let port = Task { try await FederationTests.portWhenRunning(aggregator) }
        let server = Task { try await aggregator.run() }
        let p = try await port.value
        let impostor = try ws.collaborator("alice", port: p, certificateOf: "bob")
        await #expect(throws: ConfideError.self) { try await impostor.run() }
        #expect(lines.contains("rejected 'alice': the client certificate is issued to bob"))
        let stranger = try ws.collaborator("mallory", port: p)
        await #expect(throws: ConfideError.self) { try await stranger.run() }
        #expect(lines.contains("rejected 'mallory': not a registered collaborator"))
        aggregator.stop()
        _ = try? await server.value
    }

    static func portWhenRunning(_ aggregator: FLAggregator) async throws -> Int { try await port(of: aggregator) }

    /// The aggregator stops after round 1 and a new one resumes from the checkpoint; the collaborators reconnect.
    @Test func aggregatorRestartResumesFromCheckpoint() async throws {
        var ws = try FLTestWorkspace(rounds: 3)
        defer { ws.remove() }
        // Stop ("kill") the first aggregator as soon as round 1 is checkpointed.
        let (checkpointed, signal) = AsyncStream.makeStream(of: UInt64.self)
        let first = try FLAggregator(plan: ws.plan, log: Logger.node("first", level: .warning)) { round, _ in signal.yield(round) }
        let firstRun = Task { try await first.run() }
        let port = try await port(of: first)
        ws.plan.port = port
        let fixed = ws
        let collaborators = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for name in fixed.names { let c = try fixed.collaborator(name, port: port); group.addTask { try await c.run() } }
                try await group.waitForAll()
            }
        }
        for await round in checkpointed where round >= 1 { break }
        first.stop()
        #expect(try FLCheckpoint.read(ws.plan.path(ws.plan.checkpointFile))?.nextRound ?? 0 >= 2)
        _ = try? await firstRun.value
        let lines = LogLines()
        var second = try FLAggregator(plan: ws.plan, log: lines.log("aggregator"))
        // The port may take a moment to be released: retry binding.
        for attempt in 0..<50 {
            do {
                try await second.run()
                break
            } catch let error as ConfideError where error.code == .io && attempt < 49 {
                second = try FLAggregator(plan: ws.plan, log: lines.log("aggregator"))
            }
        }
        try await collaborators.value
        #expect(lines.contains("resumed from checkpoint"))
        let history = await second.result().history
        #expect(history.map(\.round) == [0, 1, 2, 3])
    }
}
