import ConfideCore
import ConfideRuntime
import Foundation
import GRPCCore
import Testing

@testable import ConfideFL

/// Secure aggregation against an aggregator that lies (and shares altered on their way in), over
/// mutual TLS on loopback: the collaborators or the aggregator's own checks refuse every attack.
@Suite(.serialized, .timeLimit(.minutes(10))) struct MaliciousAggregatorTests {
    enum Forgery: String, CaseIterable, Sendable {
        /// The aggregator's own X25519 keys in place of bob's, with bob's certificate and signature.
        case substitutedKeys
        /// Substituted keys signed with the aggregator's own certificate (issued by the federation's CA).
        case aggregatorCertificate
        /// Substituted keys signed with a certificate naming bob from another CA.
        case foreignCertificate
    }

    /// Keys the aggregator substitutes for bob's are refused by the others before they share anything,
    /// with an error naming bob; bob refuses a directory that does not hold its own keys.
    @Test(arguments: Forgery.allCases)
    func forgedKeysAreRefusedByTheCollaborators(forgery: Forgery) async throws {
        let ws = try FLTestWorkspace(rounds: 1)
        defer { ws.remove() }
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("confide-fl-other-ca-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: other) }
        let substitution: MaliciousAggregatorService.Substitution
        let expected: String
        switch forgery {
        case .substitutedKeys:
            substitution = .freshKeys
            expected = "the keys relayed for 'bob' are not signed by bob's certificate"
        case .aggregatorCertificate:
            substitution = .signedBy(try FLSigner(certificateFile: ws.plan.path(ws.plan.certificateFile), keyFile: ws.plan.path(ws.plan.keyFile)))
            expected = "the certificate relayed for 'bob' names 'aggregator', not 'bob'"
        case .foreignCertificate:
            try FLCertificates.createAuthority(in: other, keyFolder: other + "/ca-key", hosts: ["localhost"])
            let request = try FLCertificates.request(name: "bob", folder: other + "/cert")
            _ = try FLCertificates.sign(request: request, caCertificate: other + "/ca.pem", caKey: other + "/ca-key/ca_key.pem", registry: other + "/cols.yaml")
            substitution = .signedBy(try FLSigner(certificateFile: other + "/cert/bob_cert.pem", keyFile: other + "/cert/bob_key.pem"))
            expected = "the certificate relayed for 'bob' does not chain to the federation's CA"
        }
        let record = MaliciousAggregatorService.Record()
        let aggregator = try FLAggregator(plan: ws.plan, log: LogLines().log("aggregator"), observer: nil) {
            MaliciousAggregatorService(inner: $0, attack: .substituteKeys(of: "bob", with: substitution), record: record)
        }
        let outcome = try await attack(ws, aggregator) { collaborators in await collaborators.value }
        for name in ["alice", "carol"] {
            let error = outcome.collaboratorErrors[name] ?? "no error"
            #expect(error.contains(expected), "\(name): \(error)")
        }
        let bob = outcome.collaboratorErrors["bob"] ?? "no error"
        #expect(bob.contains("relays keys for bob (this collaborator) other than the ones it advertised"), "\(bob)")
        #expect(record.calls.filter { $0.hasPrefix("AdvertiseKeys") }.count == 3)
        #expect(!record.calls.contains { $0.hasPrefix("ShareKeys") })
    }

    /// The aggregator tells carol that bob dropped out (to get carol's share of bob's masking key while
    /// alice and bob reveal shares of bob's self-mask seed). Carol's survivor set gathers only her own
    /// signature, so she reveals nothing; alice and bob, whose set two survivors signed, reveal seed
    /// shares only, and the round aggregates all three masked updates as if nothing happened.
    @Test func differentSurvivorSetsAreRefusedBeforeAnyReveal() async throws {
        let ws = try FLTestWorkspace(rounds: 1) { $0.cutoffSeconds = 20; $0.minimumCollaborators = 2; $0.threshold = 2 }
        defer { ws.remove() }
        let record = MaliciousAggregatorService.Record()
        let lines = LogLines()
        let (aggregated, signal) = AsyncStream.makeStream(of: UInt64.self)
        let aggregator = try FLAggregator(plan: ws.plan, log: lines.log("aggregator"), observer: { round, _ in signal.yield(round) }) {
            MaliciousAggregatorService(inner: $0, attack: .splitSurvivors(told: "carol", dropped: "bob"), record: record)
        }
        let outcome = try await attack(ws, aggregator) { _ in
            for await round in aggregated where round == 0 { break }
        }
        let carol = outcome.collaboratorErrors["carol"] ?? "no error"
        #expect(carol.contains("only 1 of the 2 survivors signed the survivor set this collaborator was given"), "\(carol)")
        #expect(carol.contains("no matching signature from alice"), "\(carol)")
        #expect(carol.contains("no share is revealed"), "\(carol)")
        #expect(record.calls.contains("ConsistencyCheck carol"))
        #expect(!record.calls.contains("Unmask carol"))
        #expect(record.reveals["carol"] == nil)
        let revealed = record.reveals.values.flatMap { $0 }
        #expect(!revealed.isEmpty)
        #expect(revealed.allSatisfy { $0.kind == "self" }, "a masking-key share was revealed")
        #expect(lines.contains("round 0 aggregated from 3 collaborators (alice, bob, carol)"))
    }

    /// The aggregator accepts revealed shares only from their holder, once, in the unmask phase of the
    /// current attempt: forged reveals on carol's own connection are refused, her genuine one accepted
    /// (again when repeated unchanged, never a different one), and the rounds aggregate correctly.
    @Test func revealsAreAcceptedOnlyFromTheirHolderOnceInTheUnmaskPhase() async throws {
        let ws = try FLTestWorkspace(rounds: 1)
        defer { ws.remove() }
        let record = MaliciousAggregatorService.Record()
        let lines = LogLines()
        let aggregator = try FLAggregator(plan: ws.plan, log: lines.log("aggregator"), observer: nil) {
            MaliciousAggregatorService(inner: $0, attack: .probeReveals(revealer: "carol"), record: record)
        }
        try await federate(ws, aggregator) { name, port in try await ws.collaborator(name, port: port).run() }
        let probes = Dictionary(uniqueKeysWithValues: record.probes.map { ($0.name, $0) })
        let expected: [(String, RPCError.Code, String)] = [
            ("a reveal in the key phase", .failedPrecondition, "late or early for round 0"),
            ("shares at another collaborator's point", .invalidArgument, "but holds point 3: it may reveal only its own shares"),
            ("both shares of one collaborator", .invalidArgument, "carol revealed two shares of alice"),
            ("a masking-key share of a survivor", .invalidArgument, "who survived: only seed shares are accepted"),
            ("a share of a non-sharer", .invalidArgument, "a share of 'mallory', who did not share keys"),
            ("a short share", .invalidArgument, "with the wrong length"),
            ("another round", .failedPrecondition, "round 1 is not the current round"),
            ("another attempt", .failedPrecondition, "was restarted"),
            ("another collaborator's name", .permissionDenied, "the certificate does not name collaborator 'alice'"),
            ("another reveal after it", .invalidArgument, "carol already revealed its shares for round 0"),
        ]
        // The same reveal again (a collaborator resending after a lost connection) changes nothing and is accepted.
        #expect(probes["the same reveal again"]?.code == nil && probes["the same reveal again"]?.message == "accepted")
        #expect(probes.count == expected.count + 1)
        for (name, code, message) in expected {
            #expect(probes[name]?.code == code, "\(name): \(probes[name]?.message ?? "not sent")")
            #expect(probes[name]?.message.contains(message) == true, "\(name): \(probes[name]?.message ?? "not sent")")
        }
        #expect(lines.contains("refused the revealed shares of carol in round 0"))
        let (model, history) = await aggregator.result()
        #expect(history.map(\.round) == [0, 1])
        #expect(history.allSatisfy { $0.collaborators == ws.names })
        let test = try FLDataset.loadCSV(ws.plan.path("data/test.csv"), label: "benign")
        #expect(FLTrainer(spec: ws.plan.model, features: test.columns).accuracy(model, test) > 0.85)
    }

    /// After alice has revealed her shares for round 0, the aggregator offers her a "restarted" attempt at
    /// the round: she declines (a second unmasking of the same update against another survivor set would
    /// give the aggregator the difference of two sums), and the honest round completes.
    @Test func aCollaboratorRevealsOncePerRoundWhateverTheAttempt() async throws {
        let ws = try FLTestWorkspace(rounds: 1)
        defer { ws.remove() }
        let record = MaliciousAggregatorService.Record()
        let lines = LogLines()
        let aggregator = try FLAggregator(plan: ws.plan, log: lines.log("aggregator"), observer: nil) {
            MaliciousAggregatorService(inner: $0, attack: .replayRound(victim: "alice"), record: record)
        }
        try await federate(ws, aggregator) { name, port in try await ws.collaborator(name, port: port, log: lines.log(name)).run() }
        #expect(lines.contains("round 0: not taking part in attempt replayed-attempt: this collaborator already revealed shares for this round's update"))
        #expect(!record.calls.contains("AdvertiseKeys alice replayed-attempt"))
        #expect(record.calls.filter { $0.hasPrefix("AdvertiseKeys alice") }.count == 2)
        #expect(await aggregator.result().history.map(\.round) == [0, 1])
    }

    /// A share altered on its way to the aggregator (alice's share of carol's self-mask seed, the first point,
    /// so the first combination fails): the seed rebuilt from bob's and carol's shares matches carol's
    /// commitment, alice's share is set aside and named, and every round aggregates correctly.
    @Test func alteredRevealedShareIsSetAsideAndNamed() async throws {
        let ws = try FLTestWorkspace(rounds: 1)
        defer { ws.remove() }
        let lines = LogLines()
        let aggregator = try FLAggregator(plan: ws.plan, log: lines.log("aggregator"), observer: nil) {
            MaliciousAggregatorService(inner: $0, attack: .alterRevealedShare(revealer: "alice", owner: "carol"), record: .init())
        }
        try await federate(ws, aggregator) { name, port in try await ws.collaborator(name, port: port).run() }
        for round in 0...1 {
            #expect(lines.contains("round \(round): the share of carol's self-mask seed revealed by alice does not match the committed secret"))
        }
        let (model, history) = await aggregator.result()
        #expect(history.map(\.round) == [0, 1])
        #expect(history.allSatisfy { $0.collaborators == ws.names })
        let test = try FLDataset.loadCSV(ws.plan.path("data/test.csv"), label: "benign")
        #expect(FLTrainer(spec: ws.plan.model, features: test.columns).accuracy(model, test) > 0.85)
    }

    /// With the threshold at every collaborator there is no spare share: the altered share makes carol's seed
    /// unrecoverable, the aggregator stops the federation naming her seed and aggregates nothing (no
    /// checkpoint, no model), and every collaborator is told why.
    @Test func alteredShareWithoutSpareSharesStopsTheFederation() async throws {
        let ws = try FLTestWorkspace(rounds: 1) { $0.minimumCollaborators = 3; $0.threshold = 3 }
        defer { ws.remove() }
        let lines = LogLines()
        let aggregator = try FLAggregator(plan: ws.plan, log: lines.log("aggregator"), observer: nil) {
            MaliciousAggregatorService(inner: $0, attack: .alterRevealedShare(revealer: "alice", owner: "carol"), record: .init())
        }
        let outcome = try await attack(ws, aggregator) { collaborators in await collaborators.value }
        let error = outcome.aggregatorError as? ConfideError
        #expect(error?.code == .invalidValue)
        #expect(error?.message.contains("no 3 of the shares of carol's self-mask seed (revealed by alice, bob, carol) reconstruct the seed it committed to") == true, "\(String(describing: error))")
        #expect(lines.contains("round 0 cannot be unmasked, the federation stops without aggregating it"))
        let (model, history) = await aggregator.result()
        #expect(history.isEmpty && model.isEmpty)
        #expect(try FLCheckpoint.read(ws.plan.path(ws.plan.checkpointFile)) == nil)
        for name in ws.names {
            let failure = outcome.collaboratorErrors[name] ?? "no error"
            #expect(failure.contains("the aggregator stopped the federation in round 0"), "\(name): \(failure)")
        }
    }
}
