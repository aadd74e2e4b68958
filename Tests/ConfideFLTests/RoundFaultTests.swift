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
        try await federate(ws, aggregator) { name, port in
            try await ws.collaborator(name, port: port, faults: name == "carol" ? .init(dropAfterSharing: 1) : .init()).run()
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

    /// A sharer that crashes leaves the round short of its minimum for good: the aggregator abandons the
    /// attempt after two cut-offs and restarts the round; the restarted collaborator (same name, new
    /// process state) and the two who waited all take part in the new attempt.
    @Test func stuckRoundRestartsWithTheCollaboratorThatCameBack() async throws {
        let ws = try FLTestWorkspace(rounds: 1) { $0.cutoffSeconds = 3; $0.minimumCollaborators = 3; $0.threshold = 2 }
        defer { ws.remove() }
        let lines = LogLines()
        let aggregator = try FLAggregator(plan: ws.plan, log: lines.log("aggregator"))
        try await federate(ws, aggregator) { name, port in
            try await ws.collaborator(name, port: port, faults: name == "carol" ? .init(dropAfterSharing: 1) : .init(), log: lines.log(name)).run()
            if name == "carol" { try await ws.collaborator(name, port: port, log: lines.log("carol again")).run() }
        }
        let (model, history) = await aggregator.result()
        #expect(lines.contains("restarting the round (attempt 2)"))
        #expect(lines.contains("round 1 was restarted; taking part again"))
        #expect(history.first { $0.round == 1 }?.collaborators == ["alice", "bob", "carol"])
        let test = try FLDataset.loadCSV(ws.plan.path("data/test.csv"), label: "benign")
        #expect(FLTrainer(spec: ws.plan.model, features: test.columns).accuracy(model, test) > 0.85)
    }

    /// A message quoting an abandoned attempt is refused (FAILED_PRECONDITION for the collaborator), and so are
    /// waits for the abandoned attempt's directory, shares and survivors.
    @Test func abandonedAttemptIsRefused() async throws {
        let ws = try FLTestWorkspace(rounds: 1) { $0.cutoffSeconds = 0.1; $0.minimumCollaborators = 3; $0.threshold = 2 }
        defer { ws.remove() }
        let state = try FLAggregatorState(plan: ws.plan, registered: ws.names, log: LogLines().log("aggregator"))
        let first = await state.round.attempt
        for name in ws.names {
            let (advertisement, key) = try await ws.advertisement(name, round: 0, attempt: first)
            try await state.advertise(advertisement, signingKey: key, round: 0, attempt: first)
        }
        try await state.tick()
        #expect(await state.round.phase == .shares)
        #expect(try await state.directory(round: 0, attempt: first) != nil)
        // Nobody shares: after two cut-offs the attempt is abandoned.
        try await Task.sleep(for: .milliseconds(250))
        try await state.tick()
        let second = await state.round.attempt
        #expect(second != first)
        #expect(await state.round.phase == .keys)
        let (stale, staleKey) = try await ws.advertisement("alice", round: 0, attempt: first)
        for call in [
            { try await state.advertise(stale, signingKey: staleKey, round: 0, attempt: first) },
            { _ = try await state.directory(round: 0, attempt: first) },
            { _ = try await state.sharesFor("alice", round: 0, attempt: first) },
            { _ = try await state.survivors(round: 0, attempt: first) },
            { _ = try await state.signatures(round: 0, attempt: first) },
            { try await state.reveal("alice", [], round: 0, attempt: first) },
        ] as [@Sendable () async throws -> Void] {
            let error = await #expect(throws: ConfideError.self) { try await call() }
            #expect(error?.code == .outOfRange)
            #expect(error.map { rpcError($0).code } == .failedPrecondition)
        }
        let (fresh, freshKey) = try await ws.advertisement("alice", round: 0, attempt: second)
        try await state.advertise(fresh, signingKey: freshKey, round: 0, attempt: second)
    }

    /// In plain mode a NaN update is rejected before aggregation and named in the log; the round completes without it.
    @Test func nanUpdateIsRejected() async throws {
        let ws = try FLTestWorkspace(rounds: 1, secure: false) { $0.cutoffSeconds = 20; $0.minimumCollaborators = 2 }
        defer { ws.remove() }
        let lines = LogLines()
        let aggregator = try FLAggregator(plan: ws.plan, log: lines.log("aggregator"))
        let failures = LogLines()
        try await federate(ws, aggregator) { name, port in
            let c = try ws.collaborator(name, port: port, faults: name == "bob" ? .init(nanUpdate: 1) : .init())
            do { try await c.run() } catch { failures.log(name).error("\(error)") }
        }
        let (model, history) = await aggregator.result()
        #expect(lines.contains("rejected the update of bob in round 1 before aggregation"))
        #expect(history.last?.collaborators == ["alice", "carol"])
        #expect(model.allSatisfy { $0.isFinite })
    }
}
