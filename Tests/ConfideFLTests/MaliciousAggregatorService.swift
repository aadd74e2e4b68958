import ConfideCore
import ConfideFLProtos
import Foundation
import GRPCCore
import Synchronization

@testable import ConfideFL

/// A malicious aggregator for tests: the real ``FLAggregatorService`` (over the real mutual-TLS
/// server, so every call still carries its caller's certificate) behind a wrapper that rewrites what
/// it relays or what reaches the aggregator's checks.
struct MaliciousAggregatorService: Confide_Fl_Aggregator.SimpleServiceProtocol {
    /// How the substituted keys of ``Attack/substituteKeys(of:with:)`` are dressed up.
    enum Substitution: Sendable {
        /// Fresh X25519 keys in place of the collaborator's, keeping its certificate and signature.
        case freshKeys
        /// Fresh keys signed with this identity's key and relayed with its certificate (the aggregator's
        /// own, or one for the collaborator's name from another CA).
        case signedBy(FLSigner)
    }

    enum Attack: Sendable {
        /// Every key directory carries substituted keys for `name`.
        case substituteKeys(of: String, with: Substitution)
        /// `told` hears that `dropped` dropped out although it sent its masked update; the consistency
        /// check is forwarded to `told` with every signature the aggregator has, including its own.
        case splitSurvivors(told: String, dropped: String)
        /// One byte of the share of `owner`'s secret that `revealer` reveals is flipped on its way in.
        case alterRevealedShare(revealer: String, owner: String)
        /// In round 0, `revealer`'s calls are preceded by forged reveals on its own connection (see ``Probe``)
        /// and its genuine reveal is sent twice; the others' reveals wait until then, so the unmask phase is
        /// still open for every probe.
        case probeReveals(revealer: String)
        /// Once `victim` has revealed its shares in round 0, its task replies for round 0 name a new attempt, as if
        /// the round had been restarted (to unmask its update a second time against another survivor set); the
        /// others' reveals wait until `victim` has asked for a task again after that.
        case replayRound(victim: String)
    }

    /// The outcome of one forged call.
    struct Probe: Sendable {
        var name: String
        var code: RPCError.Code?
        var message: String
    }

    /// Opens once; calls that wait on it before then resume when it opens.
    actor Gate {
        private var isOpen = false
        private var waiting: [CheckedContinuation<Void, Never>] = []
        func wait() async {
            if isOpen { return }
            await withCheckedContinuation { waiting.append($0) }
        }
        func open() {
            isOpen = true
            for continuation in waiting { continuation.resume() }
            waiting = []
        }
    }

    /// What the wrapper saw: calls by method and collaborator, the shares that reached the aggregator, and the probes.
    final class Record: Sendable {
        private let state = Mutex<(calls: [String], reveals: [String: [Confide_Fl_RevealedShare]], probes: [Probe], replays: Int)>(([], [:], [], 0))
        func call(_ method: String, _ collaborator: String) { state.withLock { $0.calls.append("\(method) \(collaborator)") } }
        func reveal(_ request: Confide_Fl_Reveal) { state.withLock { $0.reveals[request.collaborator, default: []] += request.shares } }
        func probe(_ probe: Probe) { state.withLock { $0.probes.append(probe) } }
        var calls: [String] { state.withLock { $0.calls } }
        var reveals: [String: [Confide_Fl_RevealedShare]] { state.withLock { $0.reveals } }
        var probes: [Probe] { state.withLock { $0.probes } }
        /// Counts a replayed task reply; returns how many there were before.
        func replay() -> Int { state.withLock { $0.replays += 1; return $0.replays - 1 } }
        /// Opens when the attack's probing is done.
        let probed = Gate()
    }

    let inner: FLAggregatorService
    let attack: Attack
    let record: Record

    func getTask(request: Confide_Fl_TaskRequest, context: ServerContext) async throws -> Confide_Fl_TaskReply {
        var reply = try await inner.getTask(request: request, context: context)
        if case .replayRound(let victim) = attack, request.collaborator == victim, reply.kind == .run, reply.round == 0,
            record.calls.contains("Unmask \(victim)")
        {
            if record.replay() > 0 { await record.probed.open() }
            reply.attempt = "replayed-attempt"
        }
        return reply
    }

    func getModel(request: Confide_Fl_ModelRequest, response: RPCWriter<Confide_Fl_Chunk>, context: ServerContext) async throws {
        try await inner.getModel(request: request, response: response, context: context)
    }

    func sendUpdate(request: RPCAsyncSequence<Confide_Fl_Chunk, any Error>, context: ServerContext) async throws -> Confide_Fl_Ack {
        try await inner.sendUpdate(request: request, context: context)
    }

    func advertiseKeys(request: Confide_Fl_PublicKeys, context: ServerContext) async throws -> Confide_Fl_KeyDirectory {
        record.call("AdvertiseKeys", "\(request.collaborator) \(request.attempt)")
        if case .probeReveals(let revealer) = attack, request.collaborator == revealer, request.round == 0 {
            var early = Confide_Fl_Reveal()
            early.collaborator = revealer
            early.round = request.round
            early.attempt = request.attempt
            await probe("a reveal in the key phase", early, context)
        }
        var directory = try await inner.advertiseKeys(request: request, context: context)
        guard case .substituteKeys(let name, let substitution) = attack, let index = directory.entries.firstIndex(where: { $0.collaborator == name }) else {
            return directory
        }
        var entry = directory.entries[index]
        let fresh = FLSecAggParticipant(name: name, round: request.round, threshold: 2).publicKeys
        entry.encryptionKey = Data(fresh.encryption)
        entry.maskingKey = Data(fresh.masking)
        entry.seedCommitment = Data(fresh.seedCommitment)
        if case .signedBy(let signer) = substitution {
            let forged = try FLKeyAdvertisement.signed(
                collaborator: name, keys: fresh, signer: signer, federation: inner.state.verifier.federation, round: request.round, attempt: request.attempt)
            entry = forged.message(round: request.round, attempt: request.attempt)
        }
        directory.entries[index] = entry
        return directory
    }

    func shareKeys(request: Confide_Fl_ShareBundle, context: ServerContext) async throws -> Confide_Fl_ShareBundle {
        record.call("ShareKeys", request.collaborator)
        return try await inner.shareKeys(request: request, context: context)
    }

    func maskedSurvivors(request: Confide_Fl_RoundRequest, context: ServerContext) async throws -> Confide_Fl_Survivors {
        var reply = try await inner.maskedSurvivors(request: request, context: context)
        if case .splitSurvivors(let told, let dropped) = attack, request.collaborator == told {
            reply.survivors.removeAll { $0 == dropped }
            reply.dropped.append(dropped)
        }
        return reply
    }

    func consistencyCheck(request: Confide_Fl_SurvivorSignature, context: ServerContext) async throws -> Confide_Fl_SurvivorSignatures {
        record.call("ConsistencyCheck", request.collaborator)
        guard case .splitSurvivors(let told, _) = attack, request.collaborator == told else {
            return try await inner.consistencyCheck(request: request, context: context)
        }
        // The honest aggregator would refuse a signature over another survivor set: keep it, wait for the
        // others' and relay them all.
        try await inner.aggregator.authenticate(request.collaborator, context)
        let (survivors, signatures) = try await inner.aggregator.wait { try await inner.state.signatures(round: request.round, attempt: request.attempt) }
        var reply = Confide_Fl_SurvivorSignatures()
        reply.entries = [request]
        for (name, signature) in signatures {
            var entry = Confide_Fl_SurvivorSignature()
            entry.collaborator = name
            entry.round = request.round
            entry.attempt = request.attempt
            entry.survivors = survivors
            entry.signature = Data(signature)
            reply.entries.append(entry)
        }
        return reply
    }

    func unmask(request: Confide_Fl_Reveal, context: ServerContext) async throws -> Confide_Fl_Ack {
        record.call("Unmask", request.collaborator)
        var request = request
        switch attack {
        case .alterRevealedShare(let revealer, let owner) where request.collaborator == revealer:
            if let index = request.shares.firstIndex(where: { $0.owner == owner }), !request.shares[index].share.isEmpty {
                request.shares[index].share[0] ^= 0x5a
            }
        case .probeReveals(let revealer) where request.collaborator == revealer && request.round == 0:
            await probeForgedReveals(request, context)
            record.reveal(request)
            let outcome: Result<Confide_Fl_Ack, any Error>
            do { outcome = .success(try await inner.unmask(request: request, context: context)) } catch { outcome = .failure(error) }
            await probe("the same reveal again", request, context)
            var other = request
            if !other.shares.isEmpty, !other.shares[0].share.isEmpty { other.shares[0].share[0] ^= 0x5a }
            await probe("another reveal after it", other, context)
            await record.probed.open()
            return try outcome.get()
        case .probeReveals where request.round == 0:
            await record.probed.wait()
        case .replayRound(let victim) where request.round == 0 && request.collaborator != victim:
            await record.probed.wait()
        default: break
        }
        record.reveal(request)
        return try await inner.unmask(request: request, context: context)
    }

    /// Sends forged variants of a genuine reveal on the revealer's own connection.
    private func probeForgedReveals(_ genuine: Confide_Fl_Reveal, _ context: ServerContext) async {
        var otherPoint = genuine
        for i in otherPoint.shares.indices { otherPoint.shares[i].x = otherPoint.shares[i].x == 1 ? 2 : 1 }
        await probe("shares at another collaborator's point", otherPoint, context)
        var bothKinds = genuine
        bothKinds.shares[1] = bothKinds.shares[0]
        bothKinds.shares[1].kind = "masking"
        bothKinds.shares[1].share = Data(count: 32)
        await probe("both shares of one collaborator", bothKinds, context)
        var wrongKind = genuine
        wrongKind.shares[0].kind = "masking"
        wrongKind.shares[0].share = Data(count: 32)
        await probe("a masking-key share of a survivor", wrongKind, context)
        var stranger = genuine
        stranger.shares[0].owner = "mallory"
        await probe("a share of a non-sharer", stranger, context)
        var short = genuine
        short.shares[0].share = short.shares[0].share.prefix(8)
        await probe("a short share", short, context)
        var nextRound = genuine
        nextRound.round += 1
        await probe("another round", nextRound, context)
        var staleAttempt = genuine
        staleAttempt.attempt = "0000000000000000"
        await probe("another attempt", staleAttempt, context)
        var otherName = genuine
        otherName.collaborator = genuine.collaborator == "alice" ? "bob" : "alice"
        await probe("another collaborator's name", otherName, context)
    }

    private func probe(_ name: String, _ request: Confide_Fl_Reveal, _ context: ServerContext) async {
        do {
            _ = try await inner.unmask(request: request, context: context)
            record.probe(Probe(name: name, code: nil, message: "accepted"))
        } catch let error as RPCError {
            record.probe(Probe(name: name, code: error.code, message: error.message))
        } catch {
            record.probe(Probe(name: name, code: .unknown, message: "\(type(of: error))"))
        }
    }
}
