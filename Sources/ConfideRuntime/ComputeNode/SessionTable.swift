import ConfideCore
import ConfideMPC
import ConfideNet
import ConfideProtos

/// The sessions of one compute node: their state, the mailbox their party messages arrive in and
/// the task running them. Failures stay inside their session; the table keeps serving.
actor SessionTable {
    typealias Status = Ciphercore_SessionListResponse.SessionEntry.SessionStatus

    /// What the table keeps per session.
    struct Record {
        var status: Status
        /// Why the session failed (empty otherwise); never contains values.
        var message: String
        let graphID: String
        let link: SessionLink
        var task: Task<Void, Never>?
        /// The session's live traffic and the rounds its graph takes, once it runs.
        var meter: TrafficMeter?
        var plannedRounds: Int?
    }

    /// At most this many sessions are kept (finished ones count until FinishSession).
    let capacity: Int
    private var records: [String: Record] = [:]
    private var order: [String] = []
    /// Every id this node has ever created a session for: ids are never reused, so a result stored
    /// under a session id is never overwritten by a later session.
    private var used = Set<String>()
    private var waiters: [String: [(token: UInt64, continuation: CheckedContinuation<SessionLink?, Never>)]] = [:]
    private var nextToken: UInt64 = 0

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// Adds a session in state CREATED.
    /// - Returns: nil, or the reason it was refused (a duplicate id, a full table).
    func create(_ id: String, graphID: String, link: SessionLink) -> Ciphercore_CreateSessionResponse? {
        if used.contains(id) {
            return .with { $0.result = .duplicateSession; $0.message = "session id '\(NetRole.printable(id))' was used before on this node: session ids are never reused" }
        }
        guard records.count < capacity else {
            return .with { $0.result = .genericFailure; $0.message = "the node holds \(capacity) sessions; finish some first" }
        }
        records[id] = Record(status: .created, message: "", graphID: graphID, link: link, task: nil, meter: nil, plannedRounds: nil)
        used.insert(id)
        order.append(id)
        for waiter in waiters.removeValue(forKey: id) ?? [] { waiter.continuation.resume(returning: link) }
        return nil
    }

    func attach(_ id: String, task: Task<Void, Never>) {
        records[id]?.task = task
    }

    /// Records where a running session's traffic is counted.
    func attach(_ id: String, meter: TrafficMeter, plannedRounds: Int?) {
        records[id]?.meter = meter
        records[id]?.plannedRounds = plannedRounds
    }

    /// A session's traffic so far (zero before it runs) and the rounds its graph takes; nil for an unknown session.
    func progress(_ id: String) -> (reading: TrafficMeter.Reading, plannedRounds: Int?)? {
        records[id].map { ($0.meter?.reading ?? TrafficMeter.Reading(), $0.plannedRounds) }
    }

    /// Moves a live session to `status`; a finished or failed session keeps its final state.
    func set(_ id: String, _ status: Status, message: String = "") {
        guard var record = records[id], record.status == .created || record.status == .running else { return }
        record.status = status
        record.message = message
        records[id] = record
    }

    func status(_ id: String) -> (Status, String)? {
        records[id].map { ($0.status, $0.message) }
    }

    /// The graphs of the sessions still CREATED or RUNNING.
    func liveGraphs() -> Set<String> {
        Set(liveSessionsPerGraph().keys)
    }

    /// How many sessions still CREATED or RUNNING each graph has.
    func liveSessionsPerGraph() -> [String: Int] {
        var counts: [String: Int] = [:]
        for record in records.values where record.status == .created || record.status == .running { counts[record.graphID, default: 0] += 1 }
        return counts
    }

    /// Every session in creation order.
    func list() -> [(id: String, status: Status, message: String)] {
        order.compactMap { id in records[id].map { (id, $0.status, $0.message) } }
    }

    /// Removes a session, cancelling its run and closing its links.
    /// - Returns: the removed record, nil for an unknown id.
    func finish(_ id: String) -> Record? {
        guard let record = records.removeValue(forKey: id) else { return nil }
        order.removeAll { $0 == id }
        record.task?.cancel()
        record.link.close(reason: "session '\(id)' was finished")
        return record
    }

    /// The link of a session, waiting up to `timeout` for it to be created (a peer may start
    /// sending before this node's CreateSession arrives).
    func link(_ id: String, waitingUpTo timeout: Duration) async -> SessionLink? {
        if let record = records[id] { return record.link }
        nextToken += 1
        let token = nextToken
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.expireWaiter(id, token)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { (continuation: CheckedContinuation<SessionLink?, Never>) in
            waiters[id, default: []].append((token, continuation))
        }
    }

    /// Ends one wait that ran out of time (other waits for the same session keep their own deadlines).
    private func expireWaiter(_ id: String, _ token: UInt64) {
        guard let index = waiters[id]?.firstIndex(where: { $0.token == token }) else { return }
        let waiter = waiters[id]!.remove(at: index)
        if waiters[id]!.isEmpty { waiters.removeValue(forKey: id) }
        waiter.continuation.resume(returning: nil)
    }

    /// Cancels every session (node shutdown).
    func closeAll() {
        for id in order { _ = finish(id) }
    }
}
