import ConfideCore
import ConfideFLProtos
import ConfideNet
import ConfideRuntime
import Crypto
import Foundation
import GRPCCore
import X509

/// The `confide.fl.Aggregator` service; every call first checks the claimed collaborator name.
struct FLAggregatorService: Confide_Fl_Aggregator.SimpleServiceProtocol {
    let aggregator: FLAggregator
    var state: FLAggregatorState { aggregator.state }

    private func run<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as ConfideError { throw rpcError(error) }
    }

    func getTask(request: Confide_Fl_TaskRequest, context: ServerContext) async throws -> Confide_Fl_TaskReply {
        try await aggregator.authenticate(request.collaborator, context)
        var reply = Confide_Fl_TaskReply()
        reply.secure = aggregator.plan.secure
        reply.totalRounds = UInt64(aggregator.plan.rounds)
        reply.threshold = UInt32(await state.threshold)
        let finished = await state.finished
        await state.noteTaskRequest(request.collaborator, done: finished)
        if let failure = await state.failure {
            reply.kind = .failed
            reply.round = await state.round.number
            reply.reason = failure.message
            return reply
        }
        if finished {
            reply.kind = .done
            return reply
        }
        let round = await state.round
        reply.round = round.number
        reply.attempt = round.attempt
        reply.kind = .run
        reply.tasks = round.number == 0 ? ["statistics"] : aggregator.plan.tasks.map(\.rawValue)
        return reply
    }

    func getModel(request: Confide_Fl_ModelRequest, response: RPCWriter<Confide_Fl_Chunk>, context: ServerContext) async throws {
        try await aggregator.authenticate(request.collaborator, context)
        let (round, model) = await state.currentModel()
        guard round == request.round else { throw RPCError(code: .failedPrecondition, message: "the aggregator is in round \(round), not \(request.round)") }
        let data = FLWire.bytes(model)
        for piece in FLWire.chunks(data) {
            var chunk = Confide_Fl_Chunk()
            chunk.round = round
            chunk.totalBytes = UInt64(data.count)
            chunk.data = piece
            try await response.write(chunk)
        }
    }

    func sendUpdate(request: RPCAsyncSequence<Confide_Fl_Chunk, any Error>, context: ServerContext) async throws -> Confide_Fl_Ack {
        var header: Confide_Fl_Chunk?
        var payload = Data()
        for try await chunk in request {
            // Every chunk names its collaborator; all must match the certificate and the first chunk.
            if let header {
                guard chunk.collaborator == header.collaborator, chunk.round == header.round, chunk.attempt == header.attempt else {
                    throw RPCError(code: .invalidArgument, message: "an update's chunks name different collaborators, rounds or attempts")
                }
            } else {
                try await aggregator.authenticate(chunk.collaborator, context)
                let limit = await state.maximumUpdateBytes()
                guard chunk.totalBytes <= UInt64(limit) else {
                    aggregator.log.warning("rejected the update of \(chunk.collaborator) in round \(chunk.round): \(chunk.totalBytes) bytes announced, at most \(limit)")
                    throw RPCError(code: .invalidArgument, message: "the update announces \(chunk.totalBytes) bytes; this round takes at most \(limit)")
                }
                header = chunk
                payload.reserveCapacity(Int(chunk.totalBytes))
            }
            payload.append(chunk.data)
            guard payload.count <= Int(header!.totalBytes) else { throw RPCError(code: .invalidArgument, message: "the update is longer than announced") }
        }
        guard let header else { throw RPCError(code: .invalidArgument, message: "an empty update") }
        guard payload.count == Int(header.totalBytes) else {
            aggregator.log.warning("rejected the update of \(header.collaborator) in round \(header.round): \(payload.count) of \(header.totalBytes) bytes")
            throw RPCError(code: .invalidArgument, message: "the update has \(payload.count) bytes, \(header.totalBytes) announced")
        }
        try await run {
            try await state.submit(
                header.collaborator, round: header.round, attempt: header.attempt, encoding: header.encoding, payload: payload, weight: header.weight, metrics: header.metrics)
        }
        aggregator.log.info("round \(header.round): \(header.encoding) update from \(header.collaborator) (\(payload.count) bytes)")
        var ack = Confide_Fl_Ack()
        ack.message = "accepted"
        return ack
    }

    func advertiseKeys(request: Confide_Fl_PublicKeys, context: ServerContext) async throws -> Confide_Fl_KeyDirectory {
        try await aggregator.authenticate(request.collaborator, context)
        let advertisement = FLKeyAdvertisement(request)
        // The certificate relayed to the others must be the one this caller authenticated with, and its
        // signature must verify: an honest aggregator never relays keys another collaborator would refuse.
        let presented = try aggregator.peerCertificate(context, claimed: request.collaborator)
        guard let relayed = try? Certificate(derEncoded: advertisement.certificate), relayed == presented else {
            aggregator.log.warning("rejected the keys of \(request.collaborator) in round \(request.round): the certificate sent is not the one on the connection")
            throw RPCError(code: .permissionDenied, message: "the certificate sent with the keys is not the client certificate of this connection")
        }
        let signingKey: P256.Signing.PublicKey
        do { signingKey = try await advertisement.verify(state.verifier, round: request.round, attempt: request.attempt) } catch let error as ConfideError {
            aggregator.log.warning("rejected the keys of \(request.collaborator) in round \(request.round): \(error.message)")
            throw rpcError(error)
        }
        try await run { try await state.advertise(advertisement, signingKey: signingKey, round: request.round, attempt: request.attempt) }
        let directory = try await run { try await aggregator.wait { try await state.directory(round: request.round, attempt: request.attempt) } }
        var reply = Confide_Fl_KeyDirectory()
        reply.entries = directory.keys.sorted().map { directory[$0]!.message(round: request.round, attempt: request.attempt) }
        return reply
    }

    func shareKeys(request: Confide_Fl_ShareBundle, context: ServerContext) async throws -> Confide_Fl_ShareBundle {
        try await aggregator.authenticate(request.collaborator, context)
        guard request.shares.count < FLFixedPoint.maximumCollaborators, request.shares.allSatisfy({ $0.ciphertext.count <= FLSecAgg.maximumShareCiphertextBytes }) else {
            throw RPCError(code: .invalidArgument, message: "a share bundle has more shares than a round has collaborators, or a share longer than \(FLSecAgg.maximumShareCiphertextBytes) bytes")
        }
        for share in request.shares where share.from != request.collaborator {
            throw RPCError(code: .permissionDenied, message: "a share names sender '\(share.from)', not '\(request.collaborator)'")
        }
        var boxes: [String: [UInt8]] = [:]
        for share in request.shares { boxes[share.to] = Array(share.ciphertext) }
        try await run { try await state.share(request.collaborator, boxes, round: request.round, attempt: request.attempt) }
        let received = try await run {
            try await aggregator.wait { try await state.sharesFor(request.collaborator, round: request.round, attempt: request.attempt) }
        }
        var reply = Confide_Fl_ShareBundle()
        reply.collaborator = request.collaborator
        reply.round = request.round
        reply.attempt = request.attempt
        reply.shares = received.keys.sorted().map { from in
            var share = Confide_Fl_EncryptedShare()
            share.from = from
            share.to = request.collaborator
            share.ciphertext = Data(received[from]!)
            return share
        }
        return reply
    }

    func consistencyCheck(request: Confide_Fl_SurvivorSignature, context: ServerContext) async throws -> Confide_Fl_SurvivorSignatures {
        try await aggregator.authenticate(request.collaborator, context)
        guard request.survivors.count <= FLFixedPoint.maximumCollaborators else {
            throw RPCError(code: .invalidArgument, message: "a survivor set of \(request.survivors.count) names; a round has at most \(FLFixedPoint.maximumCollaborators)")
        }
        try await run {
            try await state.sign(request.collaborator, survivors: request.survivors, signature: Array(request.signature), round: request.round, attempt: request.attempt)
        }
        let (survivors, signatures) = try await run {
            try await aggregator.wait { try await state.signatures(round: request.round, attempt: request.attempt) }
        }
        var reply = Confide_Fl_SurvivorSignatures()
        reply.entries = signatures.keys.sorted().map { name in
            var entry = Confide_Fl_SurvivorSignature()
            entry.collaborator = name
            entry.round = request.round
            entry.attempt = request.attempt
            entry.survivors = survivors
            entry.signature = Data(signatures[name]!)
            return entry
        }
        return reply
    }

    func maskedSurvivors(request: Confide_Fl_RoundRequest, context: ServerContext) async throws -> Confide_Fl_Survivors {
        try await aggregator.authenticate(request.collaborator, context)
        let (survivors, dropped) = try await run {
            try await aggregator.wait { try await state.survivors(round: request.round, attempt: request.attempt) }
        }
        var reply = Confide_Fl_Survivors()
        reply.survivors = survivors
        reply.dropped = dropped
        return reply
    }

    func unmask(request: Confide_Fl_Reveal, context: ServerContext) async throws -> Confide_Fl_Ack {
        try await aggregator.authenticate(request.collaborator, context)
        guard request.shares.count <= FLFixedPoint.maximumCollaborators else {
            throw RPCError(code: .invalidArgument, message: "\(request.shares.count) revealed shares; a round has at most \(FLFixedPoint.maximumCollaborators) sharers")
        }
        var shares: [FLRevealedShare] = []
        for share in request.shares {
            guard let kind = FLRevealedShare.Kind(rawValue: share.kind), share.x >= 1, share.x <= 255 else {
                throw RPCError(code: .invalidArgument, message: "a revealed share has an unknown kind or point")
            }
            shares.append(FLRevealedShare(owner: share.owner, kind: kind, x: UInt8(share.x), share: Array(share.share)))
        }
        try await run { try await state.reveal(request.collaborator, shares, round: request.round, attempt: request.attempt) }
        var ack = Confide_Fl_Ack()
        ack.message = "accepted"
        return ack
    }
}
