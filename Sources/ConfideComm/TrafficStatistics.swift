/// What one party sent and received, per tag kind, and how many rounds it took part in.
public struct TrafficStatistics: Sendable, Equatable, CustomStringConvertible {
    /// Counters of one tag kind.
    public struct Counters: Sendable, Equatable {
        public var messagesSent = 0
        public var bytesSent = 0
        public var messagesReceived = 0
        public var bytesReceived = 0
        /// Rounds in which this party sent or received at least one message of this kind.
        public var rounds = 0

        public init() {}
    }

    /// Rounds in which this party sent or received at least one message.
    public var rounds = 0
    public var byKind: [String: Counters] = [:]

    public init() {}

    public var bytesSent: Int { byKind.values.reduce(0) { $0 + $1.bytesSent } }
    public var bytesReceived: Int { byKind.values.reduce(0) { $0 + $1.bytesReceived } }
    public var messagesSent: Int { byKind.values.reduce(0) { $0 + $1.messagesSent } }

    /// Adds one round's traffic (for communicator implementations).
    public mutating func record(_ outgoing: [OutgoingMessage], _ expected: [ExpectedMessage], _ received: [[UInt8]]) {
        guard !outgoing.isEmpty || !expected.isEmpty else { return }
        rounds += 1
        var kinds = Set<String>()
        for m in outgoing {
            byKind[m.tag.kind, default: Counters()].messagesSent += 1
            byKind[m.tag.kind, default: Counters()].bytesSent += m.bytes.count
            kinds.insert(m.tag.kind)
        }
        for (m, bytes) in zip(expected, received) {
            byKind[m.tag.kind, default: Counters()].messagesReceived += 1
            byKind[m.tag.kind, default: Counters()].bytesReceived += bytes.count
            kinds.insert(m.tag.kind)
        }
        for kind in kinds { byKind[kind, default: Counters()].rounds += 1 }
    }

    /// The traffic since `earlier` (counters subtracted kind by kind).
    public func since(_ earlier: TrafficStatistics) -> TrafficStatistics {
        var result = TrafficStatistics()
        result.rounds = rounds - earlier.rounds
        for (kind, c) in byKind {
            let e = earlier.byKind[kind] ?? Counters()
            var d = Counters()
            d.messagesSent = c.messagesSent - e.messagesSent
            d.bytesSent = c.bytesSent - e.bytesSent
            d.messagesReceived = c.messagesReceived - e.messagesReceived
            d.bytesReceived = c.bytesReceived - e.bytesReceived
            d.rounds = c.rounds - e.rounds
            if d != Counters() { result.byKind[kind] = d }
        }
        return result
    }

    public var description: String {
        "\(rounds) rounds, \(messagesSent) messages, \(bytesSent) bytes sent, \(bytesReceived) bytes received"
    }
}
