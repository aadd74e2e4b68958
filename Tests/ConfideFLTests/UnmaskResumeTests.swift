import ConfideCore
import Crypto
import Foundation
import Testing

@testable import ConfideFL

/// An aggregator that dies during a secure round's unmasking resumes the same attempt from
/// ``FLUnmaskCheckpoint``: the survivors' reveals (again, for those who revealed to the first run)
/// finish the round with the sum of the masked updates.
@Suite(.serialized, .timeLimit(.minutes(5))) struct UnmaskResumeTests {
    @Test func restartedAggregatorFinishesTheUnmasking() async throws {
        let ws = try FLTestWorkspace(rounds: 1) { $0.cutoffSeconds = 300; $0.minimumCollaborators = 3; $0.threshold = 2 }
        defer { ws.remove() }
        let lines = LogLines()
        let first = try FLAggregatorState(plan: ws.plan, registered: ws.names, log: lines.log("aggregator"))
        let attempt = await first.round.attempt
        let verifier = try FLPeerVerifier(caFile: ws.plan.path(ws.plan.caFile))
        var participants: [String: FLSecAggParticipant] = [:]
        for name in ws.names {
            let participant = FLSecAggParticipant(name: name, round: 0, threshold: 2)
            let advertisement = try FLKeyAdvertisement.signed(
                collaborator: name, keys: participant.publicKeys, signer: try ws.signer(name), federation: verifier.federation, round: 0, attempt: attempt)
            try await first.advertise(advertisement, signingKey: try await advertisement.verify(verifier, round: 0, attempt: attempt), round: 0, attempt: attempt)
            participants[name] = participant
        }
        try await first.tick()
        let directory = try #require(try await first.directory(round: 0, attempt: attempt)).mapValues(\.keys)
        for name in ws.names { try await first.share(name, try participants[name]!.shareKeys(directory: directory), round: 0, attempt: attempt) }
        try await first.tick()
        // Statistics-sized updates with a known sum (the last entry is the weight).
        let vectors: [String: [Double]] = ["alice": [1, 2, 3, 4, 10], "bob": [-5, 0.5, 7, 1, 20], "carol": [0, 0, -1, 2, 30]]
        for name in ws.names {
            try participants[name]!.receive(try #require(try await first.sharesFor(name, round: 0, attempt: attempt)))
            let masked = try participants[name]!.mask(try FLFixedPoint.encode(vectors[name]!))
            try await first.submit(name, round: 0, attempt: attempt, encoding: "masked", payload: FLWire.bytes(masked), weight: 0, metrics: [:])
        }
        try await first.tick()
        let announced = try #require(try await first.survivors(round: 0, attempt: attempt))
        for name in ws.names {
            let survivors = try participants[name]!.checkSurvivors(announced.survivors, dropped: announced.dropped)
            let signature = try ws.signer(name).sign(FLSecAggTranscript.survivors(federation: verifier.federation, round: 0, attempt: attempt, survivors: survivors))
            try await first.sign(name, survivors: survivors, signature: signature, round: 0, attempt: attempt)
        }
        try await first.tick()
        #expect(await first.round.phase == .unmask)
        var reveals: [String: [FLRevealedShare]] = [:]
        for name in ws.names { reveals[name] = try participants[name]!.reveal(survivors: announced.survivors) }
        try await first.reveal("alice", reveals["alice"]!, round: 0, attempt: attempt)
        // The same reveal again is accepted; a different one is not.
        try await first.reveal("alice", reveals["alice"]!, round: 0, attempt: attempt)
        let changed = reveals["alice"]!.map { FLRevealedShare(owner: $0.owner, kind: $0.kind, x: $0.x, share: $0.share.map { $0 ^ 1 }) }
        await #expect(throws: ConfideError.self) { try await first.reveal("alice", changed, round: 0, attempt: attempt) }

        // The first aggregator is gone; a second one resumes the attempt's unmasking.
        let unmaskFile = FLUnmaskCheckpoint.file(besides: ws.plan.path(ws.plan.checkpointFile))
        #expect(FileManager.default.fileExists(atPath: unmaskFile))
        let second = try FLAggregatorState(plan: ws.plan, registered: ws.names, log: lines.log("aggregator again"))
        #expect(await second.round.attempt == attempt)
        #expect(await second.round.phase == .unmask)
        #expect(lines.contains("resumed the unmasking of round 0"))
        for name in ws.names { try await second.reveal(name, reveals[name]!, round: 0, attempt: attempt) }
        try await second.tick()
        let history = await second.history
        #expect(history.first?.collaborators == ws.names)
        #expect(!FileManager.default.fileExists(atPath: unmaskFile))
        // Round 0 sets the initial model from the unmasked mean of the statistics.
        let sum = (0..<4).map { i in ws.names.reduce(0.0) { $0 + vectors[$1]![i] } }
        let expected = FLTrainer(spec: ws.plan.model, features: 2).initialModel(statistics: sum.map { $0 / 60 })
        let model = await second.model
        #expect(model.count == expected.count)
        #expect(zip(model, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(model) vs \(expected)")
        // A third start finds the round checkpoint only (round 1) and no unmasking to resume.
        let third = try FLAggregatorState(plan: ws.plan, registered: ws.names, log: lines.log("aggregator third"))
        #expect(await third.round.number == 1)
        #expect(await third.round.phase == .keys)
    }
}
