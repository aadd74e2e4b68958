import ConfideCore
import ConfideFLProtos
import ConfideNet
import ConfideRuntime
import Crypto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging

/// A collaborator: asks the aggregator for tasks, fetches the global model, trains on its local data
/// (which never leaves it) and sends its (masked) weighted update in chunks.
///
/// In secure aggregation it does not trust the aggregator to relay honestly: it signs its per-round
/// keys with its certificate's key and checks everyone else's (certificate chained to the federation's
/// CA and naming that collaborator, signature), checks the announced survivor set and takes part in
/// the consistency check before it reveals any share.
public final class FLCollaborator: Sendable {
    /// Faults injected by tests and demos (`confide fl collaborator --drop-after-sharing`).
    public struct Faults: Sendable {
        /// Disconnects after sending its key shares in this round, before its masked update.
        public var dropAfterSharing: UInt64?
        /// Sends an update with a NaN entry in this round (plain mode; secure mode cannot encode it).
        public var nanUpdate: UInt64?
        /// Claims this name in messages instead of its own (its certificate still names the real one).
        public var claimedName: String?
        public init(dropAfterSharing: UInt64? = nil, nanUpdate: UInt64? = nil, claimedName: String? = nil) {
            self.dropAfterSharing = dropAfterSharing
            self.nanUpdate = nanUpdate
            self.claimedName = claimedName
        }
    }

    public let name: String
    public let plan: FLPlan
    let runner: FLTaskRunner
    let faults: Faults
    let log: Logger
    /// Signs this collaborator's keys and survivor sets with the key of its TLS certificate.
    let signer: FLSigner
    /// Checks the certificates and signatures the aggregator relays for the others.
    let verifier: FLPeerVerifier
    private let client: GRPCClient<HTTP2ClientTransport.Posix>
    private let aggregator: Confide_Fl_Aggregator.Client<HTTP2ClientTransport.Posix>

    public init(name: String, plan: FLPlan, tls: RuntimeTLS, dataFile: String, host: String? = nil, port: Int? = nil, faults: Faults = Faults(), log: Logger? = nil) throws {
        try tls.checkReadable()
        self.name = faults.claimedName ?? name
        self.plan = plan
        self.faults = faults
        self.log = log ?? Logger.node(name)
        runner = try FLTaskRunner(plan: plan, dataFile: dataFile)
        signer = try FLSigner(certificateFile: tls.certificateFile, keyFile: tls.keyFile)
        verifier = try FLPeerVerifier(caFile: tls.caFile)
        let transport = try RuntimeTransport.client(host: host ?? plan.host, port: port ?? plan.port, security: try tls.clientSecurity(expecting: .named("aggregator")), serverName: "aggregator")
        client = GRPCClient(transport: transport)
        aggregator = Confide_Fl_Aggregator.Client(wrapping: client)
    }

    /// Takes part in rounds until the federation is done.
    /// - Throws: `.invalidArgument` when the aggregator rejects this collaborator (certificate, registration);
    ///   `.authenticationFailed` when the aggregator relays keys or signatures that do not verify (naming
    ///   the collaborator concerned), or survivor sets that too few survivors signed; `.invalidValue`
    ///   when the aggregator stopped the federation.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.client.runConnections() }
            defer { client.beginGracefulShutdown() }
            try await participate()
        }
    }

    /// A round's training result, kept so that a restarted round does not train again.
    private struct Update {
        let round: UInt64
        let sum: [Double]
        let weight: Double
        let metrics: [String: Double]
        /// The shares this collaborator revealed for this update (in any attempt at the round), as sent.
        var reveal: Confide_Fl_Reveal?
        var revealed: Bool { reveal != nil }
    }

    private func participate() async throws {
        // The last attempt taken part in (finished or refused): each attempt at a round is joined once.
        var lastDone: (round: Int64, attempt: String) = (-1, "")
        var update: Update?
        var waitingLogged = false
        // Set when the aggregator was unreachable: a restarted aggregator that resumed an unmasking
        // (``FLUnmaskCheckpoint``) needs the shares revealed to its predecessor again.
        var interrupted = false
        while true {
            let task: Confide_Fl_TaskReply
            do {
                var request = Confide_Fl_TaskRequest()
                request.collaborator = name
                task = try await aggregator.getTask(request)
            } catch let error as RPCError where Self.isTransient(error) {
                if !waitingLogged { log.info("waiting for the aggregator") }
                waitingLogged = true
                interrupted = true
                try await Task.sleep(for: .milliseconds(200))
                continue
            } catch let error as RPCError where error.code == .permissionDenied || error.code == .unauthenticated {
                throw ConfideError(.invalidArgument, "the aggregator rejected \(name): \(error.message)")
            }
            waitingLogged = false
            if task.kind == .done {
                log.info("federation finished")
                return
            }
            if task.kind == .failed {
                throw ConfideError(.invalidValue, "the aggregator stopped the federation in round \(task.round): \(NetRole.printable(task.reason, limit: 400))")
            }
            guard task.attempt.utf8.count <= 64 else { throw ConfideError(.invalidValue, "the aggregator named an attempt of \(task.attempt.utf8.count) bytes (at most 64)") }
            let round = Int64(task.round)
            guard task.kind == .run, round > lastDone.round || (round == lastDone.round && task.attempt != lastDone.attempt) else {
                if interrupted, let reveal = update?.reveal, reveal.round == task.round, reveal.attempt == task.attempt {
                    interrupted = false
                    try await resend(reveal)
                }
                try await Task.sleep(for: .milliseconds(50))
                continue
            }
            if round == lastDone.round { log.info("round \(task.round) was restarted; taking part again") }
            // Only an interruption after this round's reveal calls for a resend.
            interrupted = false
            do {
                if try await runRound(task, update: &update) == false { return }
                lastDone = (round, task.attempt)
            } catch let error as RPCError where error.code == .failedPrecondition {
                log.info("skipped round \(task.round): \(error.message)")
                lastDone = (round, task.attempt)
            } catch let error as RPCError where Self.isTransient(error) {
                interrupted = true
                log.warning("round \(task.round) interrupted (aggregator unavailable); retrying")
                try await Task.sleep(for: .milliseconds(200))
            } catch let error as RPCError where error.code == .permissionDenied || error.code == .unauthenticated {
                throw ConfideError(.invalidArgument, "the aggregator rejected \(name): \(error.message)")
            } catch let error as RPCError {
                throw ConfideError(.invalidArgument, "round \(task.round): the aggregator refused \(name)'s update: \(error.message)")
            }
        }
    }

    /// Errors of a lost or restarting aggregator (the connection broke mid-call): the collaborator waits and retries.
    static func isTransient(_ error: RPCError) -> Bool {
        switch error.code {
        case .unavailable, .cancelled, .unknown, .internalError, .deadlineExceeded, .aborted, .dataLoss: return true
        default: return false
        }
    }

    /// One attempt at a round (training only if `update` holds no result for it yet); false when a fault makes this collaborator leave.
    private func runRound(_ task: Confide_Fl_TaskReply, update: inout Update?) async throws -> Bool {
        let round = task.round
        let current: Update
        if let update, update.round == round {
            current = update
        } else {
            var sum: [Double]
            var weight: Double
            var metrics: [String: Double] = [:]
            if round == 0 {
                (sum, weight) = runner.statistics()
            } else {
                let model = try await fetchModel(round: round)
                let result = try await runner.run(model: model, round: round, name: name)
                weight = Double(runner.train.rows)
                sum = result.model.map { $0 * weight }
                metrics = result.metrics
            }
            if faults.nanUpdate == round { sum[sum.count / 2] = .nan }
            let shown = metrics.filter { !$0.key.hasSuffix("_samples") }.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.4f", $0.value))" }
            log.info("round \(round): \(round == 0 ? "statistics" : "trained") on \(runner.train.rows) rows\(shown.isEmpty ? "" : ", " + shown.joined(separator: ", "))")
            current = Update(round: round, sum: sum, weight: weight, metrics: metrics)
            update = current
        }
        let attempt = Attempt(round: round, name: task.attempt)
        if plan.secure && !task.secure {
            throw ConfideError(
                .invalidArgument, "the aggregator asked for round \(round) without secure aggregation; this collaborator's plan requires it, so its update is not sent")
        }
        if task.secure {
            // Two unmaskings of one update against different survivor sets (an honest one and a "restarted" one)
            // would give the aggregator the difference of two sums: reveal once per round, whatever the attempt.
            if let reveal = current.reveal, reveal.attempt == task.attempt {
                try await resend(reveal)
                return true
            }
            guard !current.revealed else {
                log.warning(
                    "round \(round): not taking part in attempt \(NetRole.printable(task.attempt)): this collaborator already revealed shares for this round's update in an earlier attempt")
                return true
            }
            return try await secureRound(
                attempt, current.sum + [current.weight], threshold: Int(task.threshold), metrics: current.metrics, reveal: &update!.reveal)
        }
        try await upload(attempt, encoding: "plain", payload: FLWire.bytes(current.sum), weight: current.weight, metrics: current.metrics)
        return true
    }

    /// The round and attempt every message of one attempt quotes.
    private struct Attempt {
        let round: UInt64
        let name: String
    }

    private func fetchModel(round: UInt64) async throws -> [Double] {
        var request = Confide_Fl_ModelRequest()
        request.collaborator = name
        request.round = round
        let data = try await aggregator.getModel(request) { response in
            var data = Data()
            var announced: UInt64?
            for try await chunk in response.messages {
                if announced == nil {
                    guard chunk.totalBytes <= UInt64(FLWire.maxVectorBytes) else {
                        throw ConfideError(.tooLarge, "the aggregator announced a model of \(chunk.totalBytes) bytes, more than \(FLWire.maxVectorBytes)")
                    }
                    announced = chunk.totalBytes
                    data.reserveCapacity(Int(chunk.totalBytes))
                }
                data.append(chunk.data)
                guard UInt64(data.count) <= announced ?? 0 else { throw ConfideError(.invalidValue, "the model is longer than the aggregator announced") }
            }
            guard UInt64(data.count) == announced ?? 0 else { throw ConfideError(.invalidValue, "the model has \(data.count) bytes, \(announced ?? 0) announced") }
            return data
        }
        return try FLWire.doubles(data, what: "the global model")
    }

    private func upload(_ attempt: Attempt, encoding: String, payload: Data, weight: Double, metrics: [String: Double]) async throws {
        let pieces = FLWire.chunks(payload)
        _ = try await aggregator.sendUpdate { writer in
            for (index, piece) in pieces.enumerated() {
                var chunk = Confide_Fl_Chunk()
                chunk.collaborator = self.name
                chunk.round = attempt.round
                chunk.attempt = attempt.name
                chunk.data = piece
                if index == 0 {
                    chunk.totalBytes = UInt64(payload.count)
                    chunk.encoding = encoding
                    chunk.weight = weight
                    chunk.metrics = metrics
                }
                try await writer.write(chunk)
            }
        }
    }

    /// Sends the shares revealed earlier for the same attempt again, to an aggregator that resumed its
    /// unmasking after a restart; the same shares against the same survivor set reveal nothing new.
    private func resend(_ reveal: Confide_Fl_Reveal) async throws {
        log.info("round \(reveal.round): sending the shares revealed before the aggregator was interrupted again")
        // Best effort: an aggregator that moved on, finished or never lost them refuses, and the task loop goes on.
        do { _ = try await aggregator.unmask(reveal) } catch let error as RPCError {
            log.info("round \(reveal.round): the aggregator did not take the shares again: \(error.message)")
        }
    }

    /// One attempt at a secure round; sets `reveal` just before it sends its shares.
    private func secureRound(_ attempt: Attempt, _ vector: [Double], threshold: Int, metrics: [String: Double], reveal sent: inout Confide_Fl_Reveal?) async throws -> Bool {
        let round = attempt.round
        var participant = FLSecAggParticipant(name: name, round: round, threshold: threshold)
        // Encode first: a NaN or out-of-range update is refused here, before any key is sent.
        let encoded = try FLFixedPoint.encode(vector)
        let mine = try FLKeyAdvertisement.signed(
            collaborator: name, keys: participant.publicKeys, signer: signer, federation: verifier.federation, round: round, attempt: attempt.name)
        let directory = try await aggregator.advertiseKeys(mine.message(round: round, attempt: attempt.name))
        let verified = try await verifiedDirectory(directory, own: mine, attempt: attempt)
        try FLCollaborator.checkSecureRound(threshold: threshold, collaborators: verified.count, plan: plan, round: round)
        var bundle = Confide_Fl_ShareBundle()
        bundle.collaborator = name
        bundle.round = round
        bundle.attempt = attempt.name
        bundle.shares = try participant.shareKeys(directory: verified.mapValues(\.keys)).sorted { $0.key < $1.key }.map { to, box in
            var share = Confide_Fl_EncryptedShare()
            share.from = name
            share.to = to
            share.ciphertext = Data(box)
            return share
        }
        let received = try await aggregator.shareKeys(bundle)
        if faults.dropAfterSharing == round {
            log.warning("fault injection: leaving round \(round) after sharing keys")
            return false
        }
        var boxes: [String: [UInt8]] = [:]
        for share in received.shares where share.to == name {
            guard boxes.updateValue(Array(share.ciphertext), forKey: share.from) == nil else {
                throw ConfideError(.invalidValue, "round \(round): the aggregator relayed two shares from '\(NetRole.printable(share.from))'")
            }
        }
        try participant.receive(boxes)
        let masked = try participant.mask(encoded)
        try await upload(attempt, encoding: "masked", payload: FLWire.bytes(masked), weight: 0, metrics: metrics)
        var request = Confide_Fl_RoundRequest()
        request.collaborator = name
        request.round = round
        request.attempt = attempt.name
        let announced = try await aggregator.maskedSurvivors(request)
        guard announced.survivors.count <= FLFixedPoint.maximumCollaborators, announced.dropped.count <= FLFixedPoint.maximumCollaborators else {
            throw ConfideError(.invalidValue, "round \(round): the aggregator announced more survivors or dropped collaborators than a round can have")
        }
        let survivors = try participant.checkSurvivors(announced.survivors, dropped: announced.dropped)
        try await consistencyCheck(survivors, attempt: attempt, keys: verified.mapValues(\.signing), threshold: threshold)
        var reveal = Confide_Fl_Reveal()
        reveal.collaborator = name
        reveal.round = round
        reveal.attempt = attempt.name
        reveal.shares = try participant.reveal(survivors: survivors).map { share in
            var message = Confide_Fl_RevealedShare()
            message.owner = share.owner
            message.kind = share.kind.rawValue
            message.x = UInt32(share.x)
            message.share = Data(share.share)
            return message
        }
        sent = reveal
        _ = try await aggregator.unmask(reveal)
        return true
    }

    /// The key directory after checking every entry: at most ``FLFixedPoint/maximumCollaborators``
    /// entries, no name twice, this collaborator's own keys exactly as it sent them, and for every other
    /// collaborator a certificate of the federation naming it and a valid signature over its keys.
    /// - Returns: each collaborator's keys and certificate key.
    /// - Throws: `.authenticationFailed` naming the first collaborator whose entry does not verify.
    private func verifiedDirectory(
        _ directory: Confide_Fl_KeyDirectory, own: FLKeyAdvertisement, attempt: Attempt
    ) async throws -> [String: (keys: FLSecAggPublicKeys, signing: P256.Signing.PublicKey)] {
        let round = attempt.round
        guard directory.entries.count <= FLFixedPoint.maximumCollaborators else {
            throw ConfideError(.invalidValue, "round \(round): the key directory has \(directory.entries.count) entries; a round has at most \(FLFixedPoint.maximumCollaborators)")
        }
        var verified: [String: (keys: FLSecAggPublicKeys, signing: P256.Signing.PublicKey)] = [:]
        for entry in directory.entries {
            let advertisement = FLKeyAdvertisement(entry)
            let who = NetRole.printable(advertisement.collaborator)
            guard verified[advertisement.collaborator] == nil else {
                throw ConfideError(.authenticationFailed, "round \(round): the key directory lists '\(who)' twice")
            }
            if advertisement.collaborator == name {
                guard advertisement.keys == own.keys, advertisement.certificate == own.certificate else {
                    throw ConfideError(.authenticationFailed, "round \(round): the key directory relays keys for \(who) (this collaborator) other than the ones it advertised")
                }
            }
            let signing = try await advertisement.verify(verifier, round: round, attempt: attempt.name)
            verified[advertisement.collaborator] = (advertisement.keys, signing)
        }
        guard verified[name] != nil else { throw ConfideError(.authenticationFailed, "round \(round): the key directory leaves out \(name) (this collaborator)") }
        return verified
    }

    /// Bonawitz et al.'s consistency check: signs the survivor set, sends the signature and checks that
    /// at least `threshold` survivors signed the same set (``FLConsistencyCheck``).
    /// - Throws: `.authenticationFailed` when they did not; nothing is revealed then.
    private func consistencyCheck(
        _ survivors: [String], attempt: Attempt, keys: [String: P256.Signing.PublicKey], threshold: Int
    ) async throws {
        var mine = Confide_Fl_SurvivorSignature()
        mine.collaborator = name
        mine.round = attempt.round
        mine.attempt = attempt.name
        mine.survivors = survivors
        mine.signature = Data(
            try signer.sign(FLSecAggTranscript.survivors(federation: verifier.federation, round: attempt.round, attempt: attempt.name, survivors: survivors)))
        let relayed = try await aggregator.consistencyCheck(mine)
        guard relayed.entries.count <= FLFixedPoint.maximumCollaborators else {
            throw ConfideError(.invalidValue, "round \(attempt.round): the aggregator relayed \(relayed.entries.count) survivor signatures; a round has at most \(FLFixedPoint.maximumCollaborators)")
        }
        let signers = try FLConsistencyCheck.check(
            survivors: survivors, signatures: relayed.entries.map { ($0.collaborator, Array($0.signature)) }, keys: keys,
            federation: verifier.federation, round: attempt.round, attempt: attempt.name, threshold: threshold)
        log.info("round \(attempt.round): \(signers.count) of \(survivors.count) survivors signed the survivor set")
    }

    /// Checks the aggregator's secure-aggregation parameters against this collaborator's own plan
    /// before any share is sent: at most ``FLFixedPoint/maximumCollaborators`` (so the sum stays
    /// decodable), and a threshold of more than half the collaborators and at least the plan's own.
    /// - Throws: `.invalidArgument` naming the weaker value.
    static func checkSecureRound(threshold: Int, collaborators n: Int, plan: FLPlan, round: UInt64) throws {
        guard n <= FLFixedPoint.maximumCollaborators else {
            throw ConfideError(
                .invalidArgument, "round \(round) has \(n) collaborators; fixed-point sums stay exact for at most \(FLFixedPoint.maximumCollaborators)")
        }
        let minimum = max(plan.shamirThreshold(collaborators: n), n / 2 + 1)
        guard threshold >= minimum, threshold <= n else {
            throw ConfideError(
                .invalidArgument,
                "the aggregator's threshold \(threshold) for \(n) collaborators in round \(round) is weaker than this collaborator's minimum of \(minimum) (more than half, and the plan's own)")
        }
    }
}
