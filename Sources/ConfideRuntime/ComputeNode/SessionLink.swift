import ConfideCore
import ConfideComm
import ConfideNet
import ConfideProtos
import Foundation
import GRPCCore
import NIOPosix
import Synchronization

/// The party links of one session on one compute node: an outgoing `SendValue` stream to each
/// peer (opened on first use) and the mailbox the peers' `SendValue` streams deliver into.
///
/// On the wire a message is one or more `SendValueRequest`s (``MessageChunks``): `node_id` is the
/// round's tag sequence (the round number of a compiled graph, the collective call number of the
/// planner), `party_id` the sender, `session_id` this session. The receiver acknowledges each
/// message once, when its last chunk has arrived (a refusal at once).
final class SessionLink: Sendable {
    let sessionID: String
    let party: Int
    /// The compute node of each party, in party order (this node included).
    let endpoints: [RuntimeEndpoint]
    let mailbox: NetMailbox
    private let clients: PeerClients
    private let outbound = Mutex<[Int: PeerStream]>([:])
    private let closedReason = Mutex<String?>(nil)

    init(sessionID: String, party: Int, endpoints: [RuntimeEndpoint], clients: PeerClients) {
        self.sessionID = sessionID
        self.party = party
        self.endpoints = endpoints
        self.clients = clients
        mailbox = NetMailbox(owner: party)
    }

    /// The mailbox key of a message: the receiver knows the sequence but not the sender's tag kind.
    static func wireTag(_ sequence: UInt64) -> MessageTag {
        MessageTag(kind: "wire", sequence: sequence)
    }

    /// Queues one message to `peer` on this session's stream to it.
    /// - Throws: `.notRunning` after ``close(reason:)``; `.invalidArgument` for a peer that cannot be reached.
    func send(to peer: Int, tag: MessageTag, bytes: [UInt8]) throws {
        if let reason = closedReason.withLock({ $0 }) {
            throw ConfideError(.notRunning, "party \(party): session '\(sessionID)' is closed: \(reason)")
        }
        let stream = try outbound.withLock { streams in
            if let stream = streams[peer] { return stream }
            let client = try clients.client(for: endpoints[peer], expecting: .party(peer))
            let stream = PeerStream(client: client, from: party, to: peer, sessionID: sessionID, mailbox: mailbox)
            streams[peer] = stream
            return stream
        }
        stream.send(sequence: tag.sequence, bytes: bytes)
    }

    /// Waits for `peer`'s message with `tag`'s sequence.
    /// - Throws: `.timeout` naming the peer and the caller's tag (the wire carries only its sequence).
    func receive(from peer: Int, tag: MessageTag, timeout: Duration) async throws -> [UInt8] {
        do {
            return try await mailbox.receive(
                from: peer, tag: SessionLink.wireTag(tag.sequence), timeout: timeout, loop: MultiThreadedEventLoopGroup.singleton.any())
        } catch let error as ConfideError where error.code == .timeout {
            throw ConfideError(.timeout, "party \(party): no message from party \(peer) with tag \(tag) within \(timeout)")
        }
    }

    /// Ends the outgoing streams normally and fails every waiting and future receive with `.notRunning`.
    func close(reason: String) {
        end(reason: reason, abort: false)
    }

    /// Resets the outgoing streams, so that the peers' receives from this party fail at once
    /// instead of at their timeout, and fails every waiting and future receive.
    func abort(reason: String) {
        end(reason: reason, abort: true)
    }

    private func end(reason: String, abort: Bool) {
        closedReason.withLock { if $0 == nil { $0 = reason } }
        let streams = outbound.withLock { streams in
            defer { streams.removeAll() }
            return Array(streams.values)
        }
        for stream in streams { stream.finish(abort: abort) }
        mailbox.terminate(ConfideError(.notRunning, "party \(party): session '\(sessionID)' is closed: \(reason)"))
    }
}

/// One session's outgoing `SendValue` stream to one peer. A failed stream or a refused message
/// fails the receives waiting on that peer, so the session stops instead of waiting for its timeout.
final class PeerStream: Sendable {
    private let continuation: AsyncStream<(sequence: UInt64, bytes: [UInt8])>.Continuation
    private let aborted = Mutex(false)

    init(client: RuntimeClient, from party: Int, to peer: Int, sessionID: String, mailbox: NetMailbox) {
        let (messages, continuation) = AsyncStream.makeStream(of: (sequence: UInt64, bytes: [UInt8]).self)
        self.continuation = continuation
        let service = Ciphercore_PartyService.Client(wrapping: client.client)
        let endpoint = client.endpoint
        // Fail fast: a peer address where no party server answers (refused, or a server whose
        // certificate is not that party's) ends the session at once instead of at the round timeout.
        var options = CallOptions.defaults
        options.waitForReady = false
        Task { [self, options] in
            do {
                try await service.sendValue(
                    options: options,
                    requestProducer: { writer in
                        // Each chunk's request is made when the stream takes it, so its buffers are reused.
                        for await message in messages {
                            try await MessageChunks.write(message.bytes, sequence: message.sequence, party: party, sessionID: sessionID) {
                                try await writer.write($0)
                            }
                        }
                        if self.aborted.withLock({ $0 }) { throw CancellationError() }
                    },
                    onResponse: { response in
                        for try await ack in response.messages where ack.result != .success {
                            mailbox.failPeer(
                                peer,
                                ConfideError(
                                    .peerFailure,
                                    "party \(party): party \(peer) at \(endpoint) refused message \(ack.nodeID) with \(ack.result): \(ack.message)"))
                        }
                    })
            } catch {
                // A message to this peer is lost: the session cannot go on, so every receive fails now.
                mailbox.terminate(
                    ConfideError(.peerFailure, "party \(party): the link to party \(peer) at \(endpoint) failed", cause: RuntimeErrors.describe(error)))
            }
        }
    }

    /// Queues one message; its requests are made and written in order by the stream's task.
    func send(sequence: UInt64, bytes: [UInt8]) {
        continuation.yield((sequence, bytes))
    }

    /// Ends the stream: normally, or with `abort` as a reset the peer sees as a failed link.
    func finish(abort: Bool) {
        if abort { aborted.withLock { $0 = true } }
        continuation.finish()
    }
}
