import ConfideCore

/// The messages addressed to one party of a ``LocalNetwork``, matched to waiting receives by
/// sender and tag.
actor LocalMailbox {
    struct Key: Hashable {
        let from: Int
        let tag: MessageTag
    }

    private let owner: Int
    private var queued: [Key: [UInt8]] = [:]
    private var waiting: [Key: CheckedContinuation<[UInt8], any Error>] = [:]
    private var timers: [Key: Task<Void, Never>] = [:]
    private var closedReason: String?

    init(owner: Int) {
        self.owner = owner
    }

    /// Hands a message to its receiver, or queues it until the receiver asks for it.
    /// - Throws: `.protocolViolation` when a message with the same sender and tag is already queued.
    func deliver(_ bytes: [UInt8], _ key: Key) throws {
        if let closedReason { throw ConfideError(.peerFailure, "party \(owner) is closed: \(closedReason)") }
        if let continuation = waiting.removeValue(forKey: key) {
            timers.removeValue(forKey: key)?.cancel()
            continuation.resume(returning: bytes)
            return
        }
        guard queued[key] == nil else {
            throw ConfideError(.protocolViolation, "party \(key.from) sent tag \(key.tag) to party \(owner) twice")
        }
        queued[key] = bytes
    }

    /// Waits for the message from `key.from` with tag `key.tag`.
    /// - Throws: `.timeout` naming the peer and tag; `.peerFailure` when the mailbox is closed.
    func receive(_ key: Key, timeout: Duration) async throws -> [UInt8] {
        if let bytes = queued.removeValue(forKey: key) { return bytes }
        if let closedReason { throw ConfideError(.peerFailure, "party \(owner) is closed: \(closedReason)") }
        return try await withCheckedThrowingContinuation { continuation in
            waiting[key] = continuation
            timers[key] = Task { [owner] in
                do {
                    try await Task.sleep(for: timeout)
                } catch {
                    return
                }
                self.fail(
                    key,
                    ConfideError(.timeout, "party \(owner): no message from party \(key.from) with tag \(key.tag) within \(timeout)"))
            }
        }
    }

    /// Fails one waiting receive.
    func fail(_ key: Key, _ error: ConfideError) {
        timers.removeValue(forKey: key)?.cancel()
        waiting.removeValue(forKey: key)?.resume(throwing: error)
    }

    /// Fails every waiting and future receive and delivery.
    func close(reason: String) {
        closedReason = reason
        for (key, continuation) in waiting {
            timers.removeValue(forKey: key)?.cancel()
            continuation.resume(throwing: ConfideError(.peerFailure, "party \(owner) is closed: \(reason)"))
        }
        waiting.removeAll()
        queued.removeAll()
    }
}
