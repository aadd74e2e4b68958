import Synchronization

/// Live counters of one party's traffic, read while a session runs (progress lines, a node's
/// SessionProgress): rounds completed and bytes sent and received. Counts sizes only.
public final class TrafficMeter: Sendable {
    public struct Reading: Sendable, Equatable {
        public var rounds = 0
        public var bytesSent = 0
        public var bytesReceived = 0

        public init() {}
    }

    private let state = Mutex(Reading())

    public init() {}

    /// Counts one completed round.
    public func record(_ outgoing: [OutgoingMessage], _ expected: [ExpectedMessage], _ replies: [[UInt8]]) {
        guard !outgoing.isEmpty || !expected.isEmpty else { return }
        let sent = outgoing.reduce(0) { $0 + $1.bytes.count }
        let received = replies.reduce(0) { $0 + $1.count }
        state.withLock {
            $0.rounds += 1
            $0.bytesSent += sent
            $0.bytesReceived += received
        }
    }

    /// The counts so far.
    public var reading: Reading { state.withLock { $0 } }
}
