import ConfideCore
import ConfideComm
import NIOCore
import NIOPosix
import Synchronization

/// The messages addressed to one party of a socket communicator, matched to waiting receives by sender and tag.
/// Filled from the links' event loops, drained by `exchange`.
package final class NetMailbox: Sendable {
    package struct Key: Hashable, Sendable {
        let from: Int
        let tag: MessageTag
    }

    private struct Waiter {
        let continuation: CheckedContinuation<[UInt8], any Error>
        let deadline: NIODeadline
        let timeout: Duration
    }

    private struct State {
        var queued: [Key: [UInt8]] = [:]
        /// The bytes of all queued messages (bounded by ``NetMailbox/maxQueuedBytes``).
        var queuedBytes = 0
        var waiting: [Key: Waiter] = [:]
        var failedPeers: [Int: ConfideError] = [:]
        var terminal: ConfideError?
        /// Revoked groups: tag-kind prefix → the error their receives fail with.
        var revokedGroups: [String: ConfideError] = [:]
        /// Whether the deadline sweep is scheduled.
        var sweeping = false
        /// Consecutive sweeps that found nobody waiting (the sweep stops after ``NetMailbox/idleSweeps``).
        var idleSweeps = 0
    }

    /// How often waiting receives are checked against their deadlines: a receive fails at most this much after its
    /// timeout. One periodic check per mailbox replaces a timer per receive (arming a timer from a task's thread
    /// wakes the event loop, which costs a round trip more than the check).
    static let sweepInterval: TimeAmount = .milliseconds(50)
    /// The sweep stops after this many checks without a waiting receive (one second) and restarts with the next wait.
    static let idleSweeps = 20

    package let owner: Int
    /// The most bytes of messages that may wait unread: a peer that sends far ahead of the protocol
    /// (or floods tags nobody reads) fails its link instead of exhausting memory.
    package let maxQueuedBytes: Int
    private let state = Mutex(State())

    package init(owner: Int, maxQueuedBytes: Int = 1 << 30) {
        self.owner = owner
        self.maxQueuedBytes = maxQueuedBytes
    }

    /// Hands a message to its receiver or queues it.
    /// - Returns: an error if the peer sent the same tag twice, or the unread messages would exceed
    ///   ``maxQueuedBytes`` (the caller then fails the link).
    package func deliver(from peer: Int, tag: MessageTag, bytes: [UInt8]) -> ConfideError? {
        let key = Key(from: peer, tag: tag)
        let outcome: (Waiter?, ConfideError?) = state.withLock { s in
            if s.terminal != nil { return (nil, nil) }
            if let waiter = s.waiting.removeValue(forKey: key) { return (waiter, nil) }
            guard s.queued[key] == nil else {
                return (nil, ConfideError(.protocolViolation, "party \(peer) sent tag \(tag) to party \(owner) twice"))
            }
            guard s.queuedBytes + bytes.count <= maxQueuedBytes else {
                return (nil, ConfideError(.tooLarge, "party \(peer) sent more than \(maxQueuedBytes) bytes to party \(owner) ahead of their receives"))
            }
            s.queued[key] = bytes
            s.queuedBytes += bytes.count
            return (nil, nil)
        }
        outcome.0?.continuation.resume(returning: bytes)
        return outcome.1
    }

    /// Waits for the message from `from` with `tag` until `timeout` has passed.
    /// - Throws: `.timeout` naming the peer and tag; the peer's failure (`.peerFailure`); the terminal error
    ///   (`.notRunning`, `.revoked`).
    package func receive(from peer: Int, tag: MessageTag, timeout: Duration, loop: any EventLoop) async throws -> [UInt8] {
        let key = Key(from: peer, tag: tag)
        let owner = self.owner
        return try await withCheckedThrowingContinuation { continuation in
            var startSweep = false
            let immediate: Result<[UInt8], ConfideError>? = state.withLock { s in
                if let terminal = s.terminal { return .failure(terminal) }
                if let revoked = NetMailbox.revocation(of: tag, in: s.revokedGroups) { return .failure(revoked) }
                if let bytes = s.queued.removeValue(forKey: key) {
                    s.queuedBytes -= bytes.count
                    return .success(bytes)
                }
                if let failure = s.failedPeers[peer] { return .failure(failure) }
                if s.waiting[key] != nil {
                    return .failure(ConfideError(.invalidArgument, "party \(owner) is already waiting for tag \(tag) from party \(peer)"))
                }
                s.waiting[key] = Waiter(continuation: continuation, deadline: .now() + .nanoseconds(max(0, timeout.wholeNanoseconds)), timeout: timeout)
                s.idleSweeps = 0
                if !s.sweeping {
                    s.sweeping = true
                    startSweep = true
                }
                return nil
            }
            switch immediate {
            case .success(let bytes): continuation.resume(returning: bytes)
            case .failure(let error): continuation.resume(throwing: error)
            case nil: if startSweep { scheduleSweep(on: loop) }
            }
        }
    }

    /// Checks the waiting receives against their deadlines every ``sweepInterval`` until the mailbox has been idle
    /// for ``idleSweeps`` checks or has ended.
    private func scheduleSweep(on loop: any EventLoop) {
        loop.scheduleRepeatedTask(initialDelay: Self.sweepInterval, delay: Self.sweepInterval) { [weak self] task in
            guard let self else {
                task.cancel()
                return
            }
            let now = NIODeadline.now()
            let (expired, stop): ([(Key, Waiter)], Bool) = self.state.withLock { s in
                let late = s.waiting.filter { $0.value.deadline <= now }
                for (key, _) in late { s.waiting.removeValue(forKey: key) }
                s.idleSweeps = s.waiting.isEmpty ? s.idleSweeps + 1 : 0
                let stop = s.terminal != nil || s.idleSweeps >= Self.idleSweeps
                if stop { s.sweeping = false }
                return (Array(late), stop)
            }
            if stop { task.cancel() }
            for (key, waiter) in expired {
                waiter.continuation.resume(
                    throwing: ConfideError(.timeout, "party \(self.owner): no message from party \(key.from) with tag \(key.tag) within \(waiter.timeout)"))
            }
        }
    }

    /// Fails every waiting and future receive from `peer` (messages already queued stay readable).
    package func failPeer(_ peer: Int, _ error: ConfideError) {
        let waiters: [Waiter] = state.withLock { s in
            if s.failedPeers[peer] == nil { s.failedPeers[peer] = error }
            let keys = s.waiting.keys.filter { $0.from == peer }
            return keys.compactMap { s.waiting.removeValue(forKey: $0) }
        }
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
    }

    /// Fails every waiting and future receive with `error` (close, revoke). The first terminal error wins.
    package func terminate(_ error: ConfideError) {
        let waiters: [Waiter] = state.withLock { s in
            if s.terminal == nil { s.terminal = error }
            let all = Array(s.waiting.values)
            s.waiting.removeAll()
            s.queued.removeAll()
            s.queuedBytes = 0
            return all
        }
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
    }

    /// Revokes a group: every waiting and future receive whose tag kind starts with `prefix|` fails with `error`.
    package func revokeGroup(_ prefix: String, _ error: ConfideError) {
        let waiters: [Waiter] = state.withLock { s in
            if s.revokedGroups[prefix] == nil { s.revokedGroups[prefix] = error }
            let keys = s.waiting.keys.filter { $0.tag.kind.hasPrefix(prefix + "|") }
            for key in s.queued.keys where key.tag.kind.hasPrefix(prefix + "|") { s.queuedBytes -= s.queued.removeValue(forKey: key)?.count ?? 0 }
            return keys.compactMap { s.waiting.removeValue(forKey: $0) }
        }
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
    }

    /// The error of a revoked group the tag belongs to, if any.
    private static func revocation(of tag: MessageTag, in groups: [String: ConfideError]) -> ConfideError? {
        guard !groups.isEmpty else { return nil }
        for (prefix, error) in groups where tag.kind.hasPrefix(prefix + "|") { return error }
        return nil
    }

    /// The tag kind ending that marks a group's revoke notice (`<group prefix>|#revoke`).
    package static let revokeNotice = "|#revoke"

    package var terminalError: ConfideError? { state.withLock { $0.terminal } }

    package var failedPeerRanks: Set<Int> { state.withLock { Set($0.failedPeers.keys) } }
}
