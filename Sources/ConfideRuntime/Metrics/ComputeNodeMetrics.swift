import ConfideMPC
import CoreMetrics

/// What a compute node exports on `/metrics`:
/// - `confide_sessions_total{status="finished"|"failed"}` — sessions that ended;
/// - `confide_session_seconds` — a histogram of session durations, creation to result;
/// - `confide_active_sessions` — sessions running now;
/// - `confide_rounds_total` — communication rounds of all sessions;
/// - `confide_bytes_sent_total{peer}` / `confide_bytes_received_total{peer}` — party traffic by
///   peer party number, counted as each round completes.
///
/// Labels are fixed words and party numbers only.
struct ComputeNodeMetrics: Sendable {
    let service: ServiceMetrics
    let finished: CoreMetrics.Counter
    let failed: CoreMetrics.Counter
    let sessionSeconds: CoreMetrics.Timer
    let active: CoreMetrics.Meter
    let rounds: CoreMetrics.Counter
    private let sent: [Int: CoreMetrics.Counter]
    private let received: [Int: CoreMetrics.Counter]

    init(party: Int) {
        let service = ServiceMetrics(durationBuckets: ["confide_session_seconds": ServiceMetrics.sessionBuckets])
        self.service = service
        finished = service.counter("confide_sessions_total", [("status", "finished")])
        failed = service.counter("confide_sessions_total", [("status", "failed")])
        sessionSeconds = service.timer("confide_session_seconds")
        active = service.meter("confide_active_sessions")
        active.set(0)
        rounds = service.counter("confide_rounds_total")
        let peers = (0..<3).filter { $0 != party }
        sent = Dictionary(uniqueKeysWithValues: peers.map { ($0, service.counter("confide_bytes_sent_total", [("peer", "\($0)")])) })
        received = Dictionary(uniqueKeysWithValues: peers.map { ($0, service.counter("confide_bytes_received_total", [("peer", "\($0)")])) })
    }

    /// Counts one completed round.
    func round(_ outgoing: [OutgoingMessage], _ expected: [ExpectedMessage], _ replies: [[UInt8]]) {
        guard !outgoing.isEmpty || !expected.isEmpty else { return }
        rounds.increment()
        for message in outgoing { sent[message.peer]?.increment(by: message.bytes.count) }
        for (message, bytes) in zip(expected, replies) { received[message.peer]?.increment(by: bytes.count) }
    }
}
