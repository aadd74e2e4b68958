import ConfideComm
import ConfideCore
import Testing

extension CommunicatorContract {
    /// Requires `statistics()` of every party to match what it exchanged, counted independently here:
    /// rounds with at least one message (an empty exchange is not a round), and per tag kind the
    /// messages and bytes sent and received and the rounds the kind took part in; the totals
    /// (`messagesSent`, `bytesSent`, `bytesReceived`) are the sums, and `since` an earlier reading
    /// gives the difference.
    public static func checkStatisticsMatchTraffic(_ make: Factory, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withTrio(make) { trio in
            let alpha = MessageTag(kind: "alpha", sequence: 1)
            let beta = MessageTag(kind: "beta", sequence: 2)
            let gamma = MessageTag(kind: "gamma", sequence: 3)
            let rounds: [(outgoing: [[OutgoingMessage]], expecting: [[ExpectedMessage]])] = [
                // Everyone sends alpha to everyone; party 0 also sends beta to party 2.
                (
                    [
                        [OutgoingMessage(to: 1, tag: alpha, bytes: [1, 2, 3]), OutgoingMessage(to: 2, tag: alpha, bytes: []),
                         OutgoingMessage(to: 2, tag: beta, bytes: payload(5000, seed: 7))],
                        [OutgoingMessage(to: 0, tag: alpha, bytes: [9]), OutgoingMessage(to: 2, tag: alpha, bytes: [8, 8])],
                        [OutgoingMessage(to: 0, tag: alpha, bytes: [7, 7, 7, 7]), OutgoingMessage(to: 1, tag: alpha, bytes: [6])],
                    ],
                    [
                        [ExpectedMessage(from: 1, tag: alpha), ExpectedMessage(from: 2, tag: alpha)],
                        [ExpectedMessage(from: 0, tag: alpha), ExpectedMessage(from: 2, tag: alpha)],
                        [ExpectedMessage(from: 0, tag: beta), ExpectedMessage(from: 0, tag: alpha), ExpectedMessage(from: 1, tag: alpha)],
                    ]
                ),
                // Only parties 1 and 2 take part.
                (
                    [[], [OutgoingMessage(to: 2, tag: gamma, bytes: [1, 1])], []],
                    [[], [], [ExpectedMessage(from: 1, tag: gamma)]]
                ),
            ]
            var sizes: [[MessageTag: [Int: Int]]] = [[:], [:], [:]]  // receiver → tag → sender → size
            for round in rounds {
                for (p, messages) in round.outgoing.enumerated() {
                    for m in messages { sizes[m.peer][m.tag, default: [:]][p] = m.bytes.count }
                }
            }
            var earlier: [TrafficStatistics] = []
            for (index, round) in rounds.enumerated() {
                if index == 1 { earlier = (0..<3).map { trio[$0].statistics() } }
                _ = try await trio.round(round.outgoing, round.expecting, timeout: arrivalTimeout)
            }
            for p in 0..<3 {
                let empty = try await trio[p].exchange([], expecting: [], timeout: arrivalTimeout)
                #expect(empty.isEmpty, "party \(p): an empty exchange", sourceLocation: sourceLocation)
            }
            for p in 0..<3 {
                let want = expectedStatistics(of: p, rounds, sizes: sizes[p])
                let got = trio[p].statistics()
                #expect(got == want, "party \(p): statistics \(got), want \(want)", sourceLocation: sourceLocation)
                #expect(got.byKind == want.byKind, "party \(p): per kind", sourceLocation: sourceLocation)
                let sent = rounds.flatMap { $0.outgoing[p] }
                #expect(got.messagesSent == sent.count, "party \(p): messages sent", sourceLocation: sourceLocation)
                #expect(got.bytesSent == sent.reduce(0) { $0 + $1.bytes.count }, "party \(p): bytes sent", sourceLocation: sourceLocation)
                let wantSince = expectedStatistics(of: p, Array(rounds[1...]), sizes: sizes[p])
                #expect(got.since(earlier[p]) == wantSince, "party \(p): statistics of the last round", sourceLocation: sourceLocation)
            }
        }
    }

    /// The statistics party `p` must report after `rounds`, counted message by message.
    static func expectedStatistics(
        of p: Int, _ rounds: [(outgoing: [[OutgoingMessage]], expecting: [[ExpectedMessage]])], sizes: [MessageTag: [Int: Int]]
    ) -> TrafficStatistics {
        var statistics = TrafficStatistics()
        for round in rounds {
            let (outgoing, expecting) = (round.outgoing[p], round.expecting[p])
            if outgoing.isEmpty && expecting.isEmpty { continue }
            statistics.rounds += 1
            var kinds = Set<String>()
            for m in outgoing {
                statistics.byKind[m.tag.kind, default: .init()].messagesSent += 1
                statistics.byKind[m.tag.kind, default: .init()].bytesSent += m.bytes.count
                kinds.insert(m.tag.kind)
            }
            for e in expecting {
                statistics.byKind[e.tag.kind, default: .init()].messagesReceived += 1
                statistics.byKind[e.tag.kind, default: .init()].bytesReceived += sizes[e.tag]?[e.peer] ?? 0
                kinds.insert(e.tag.kind)
            }
            for kind in kinds { statistics.byKind[kind, default: .init()].rounds += 1 }
        }
        return statistics
    }
}
