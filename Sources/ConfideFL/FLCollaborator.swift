import ConfideCore
import ConfideFLProtos
import ConfideRuntime
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2

/// A collaborator: asks the aggregator for tasks, fetches the global model, trains on its local data
/// (which never leaves it) and sends its (masked) weighted update in chunks.
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
    let log: NodeLog
    private let client: GRPCClient<HTTP2ClientTransport.Posix>
    private let aggregator: Confide_Fl_Aggregator.Client<HTTP2ClientTransport.Posix>

    public init(name: String, plan: FLPlan, tls: RuntimeTLS, dataFile: String, host: String? = nil, port: Int? = nil, faults: Faults = Faults(), log: NodeLog? = nil) throws {
        try tls.checkReadable()
        self.name = faults.claimedName ?? name
        self.plan = plan
        self.faults = faults
        self.log = log ?? NodeLog(node: name)
        runner = try FLTaskRunner(plan: plan, dataFile: dataFile)
        let transport = try RuntimeTransport.client(host: host ?? plan.host, port: port ?? plan.port, security: try tls.clientSecurity(expecting: .named("aggregator")), serverName: "aggregator")
        client = GRPCClient(transport: transport)
        aggregator = Confide_Fl_Aggregator.Client(wrapping: client)
    }

    /// Takes part in rounds until the federation is done.
    /// - Throws: `.invalidArgument` when the aggregator rejects this collaborator (certificate, registration).
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
    }

    private func participate() async throws {
        // The last attempt taken part in (finished or refused): each attempt at a round is joined once.
        var lastDone: (round: Int64, attempt: String) = (-1, "")
        var update: Update?
        var waitingLogged = false
        while true {
            let task: Confide_Fl_TaskReply
            do {
                var request = Confide_Fl_TaskRequest()
                request.collaborator = name
                task = try await aggregator.getTask(request)
            } catch let error as RPCError where Self.isTransient(error) {
                if !waitingLogged { log.info("waiting for the aggregator") }
                waitingLogged = true
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
            let round = Int64(task.round)
            guard task.kind == .run, round > lastDone.round || (round == lastDone.round && task.attempt != lastDone.attempt) else {
                try await Task.sleep(for: .milliseconds(50))
                continue
            }
            if round == lastDone.round { log.info("round \(task.round) was restarted; taking part again") }
            do {
                if try await runRound(task, update: &update) == false { return }
                lastDone = (round, task.attempt)
            } catch let error as RPCError where error.code == .failedPrecondition {
                log.info("skipped round \(task.round): \(error.message)")
                lastDone = (round, task.attempt)
            } catch let error as RPCError where Self.isTransient(error) {
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
            return try await secureRound(attempt, current.sum + [current.weight], threshold: Int(task.threshold), metrics: current.metrics)
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

    private func secureRound(_ attempt: Attempt, _ vector: [Double], threshold: Int, metrics: [String: Double]) async throws -> Bool {
        let round = attempt.round
        var participant = FLSecAggParticipant(name: name, round: round, threshold: threshold)
        // Encode first: a NaN or out-of-range update is refused here, before any key is sent.
        let encoded = try FLFixedPoint.encode(vector)
        var keys = Confide_Fl_PublicKeys()
        keys.collaborator = name
        keys.round = round
        keys.attempt = attempt.name
        keys.encryptionKey = Data(participant.publicKeys.encryption)
        keys.maskingKey = Data(participant.publicKeys.masking)
        let directory = try await aggregator.advertiseKeys(keys)
        var table: [String: FLSecAggPublicKeys] = [:]
        for entry in directory.entries {
            table[entry.collaborator] = FLSecAggPublicKeys(encryption: Array(entry.encryptionKey), masking: Array(entry.maskingKey))
        }
        try FLCollaborator.checkSecureRound(threshold: threshold, collaborators: table.count, plan: plan, round: round)
        var bundle = Confide_Fl_ShareBundle()
        bundle.collaborator = name
        bundle.round = round
        bundle.attempt = attempt.name
        bundle.shares = try participant.shareKeys(directory: table).sorted { $0.key < $1.key }.map { to, box in
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
        for share in received.shares where share.to == name { boxes[share.from] = Array(share.ciphertext) }
        try participant.receive(boxes)
        let masked = try participant.mask(encoded)
        try await upload(attempt, encoding: "masked", payload: FLWire.bytes(masked), weight: 0, metrics: metrics)
        var request = Confide_Fl_RoundRequest()
        request.collaborator = name
        request.round = round
        request.attempt = attempt.name
        let survivors = try await aggregator.maskedSurvivors(request)
        var reveal = Confide_Fl_Reveal()
        reveal.collaborator = name
        reveal.round = round
        reveal.attempt = attempt.name
        reveal.shares = try participant.reveal(survivors: survivors.survivors, dropped: survivors.dropped).map { share in
            var message = Confide_Fl_RevealedShare()
            message.owner = share.owner
            message.kind = share.kind.rawValue
            message.x = UInt32(share.x)
            message.share = Data(share.share)
            return message
        }
        _ = try await aggregator.unmask(reveal)
        return true
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
