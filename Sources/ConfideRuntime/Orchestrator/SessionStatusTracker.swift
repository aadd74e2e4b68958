/// Folds the orchestrator's successive ListSessions polls of the three nodes into one status per party.
///
/// A node that answers gives its status. A node that does not answer (its process died, or it is too busy
/// to answer within the poll's deadline) keeps its last known status until it has been silent for
/// `unreachableGrace`; from then on it counts as FAILED. A slow answer therefore never turns a finished
/// session into a failed one, and a dead node still ends the wait.
struct SessionStatusTracker {
    let unreachableGrace: Duration
    private(set) var statuses: [Orchestrator.Status]
    private var silentSince: [ContinuousClock.Instant?]

    init(parties: Int = 3, unreachableGrace: Duration) {
        self.unreachableGrace = unreachableGrace
        statuses = [Orchestrator.Status](repeating: .created, count: parties)
        silentSince = [ContinuousClock.Instant?](repeating: nil, count: parties)
    }

    /// Takes one poll's reports (one per party; `.absent` is the caller's to handle) made at `now`.
    mutating func update(_ reports: [Orchestrator.Report], at now: ContinuousClock.Instant) {
        for (party, report) in reports.enumerated() where party < statuses.count {
            if case let .listed(status) = report {
                statuses[party] = status
                silentSince[party] = nil
            } else {
                let since = silentSince[party] ?? now
                silentSince[party] = since
                if now - since >= unreachableGrace { statuses[party] = .failed }
            }
        }
    }

    /// Whether no party is CREATED or RUNNING any more.
    var ended: Bool { !statuses.contains { $0 == .created || $0 == .running } }

    /// Whether the session's outcome is known: every party ended, or one failed (a three-party
    /// session cannot finish without it, so the orchestrator stops the others at once instead of
    /// waiting for their round timeouts).
    var decided: Bool { ended || statuses.contains(.failed) }
}
