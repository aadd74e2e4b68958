import ConfideComm
import ConfideCore
import Testing

/// The behaviour every ``Communicator`` transport promises, as checks run against a fresh
/// ``CommunicatorTrio`` each (made by the transport's factory and torn down afterwards).
///
/// Every check records its failures as test issues at the caller's source location. "Arrives"
/// waits use ``arrivalTimeout`` (generous: the machine may be loaded); only the checks of a timeout
/// use ``shortTimeout``. No check measures time otherwise. Where a transport documents a different
/// behaviour, the check asserts that behaviour exactly, as stated in its ``CommunicatorCapabilities``.
public enum CommunicatorContract {
    public typealias Factory = @Sendable () async throws -> CommunicatorTrio

    /// How long a message that is sent is given to arrive.
    public static let arrivalTimeout: Duration = .seconds(30)
    /// The timeout of receives that are meant to time out.
    public static let shortTimeout: Duration = .milliseconds(300)
    /// The size of the large payload: more than 1 MiB, not a multiple of any chunk size.
    public static let largePayload = (1 << 20) + 4099

    /// Runs every check, each on its own trio.
    public static func checkAll(_ make: Factory, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for check in Check.allCases { try await run(check, make, sourceLocation: sourceLocation) }
    }

    /// Runs `body` on a fresh trio and tears the trio down afterwards, also when `body` throws.
    static func withTrio(_ make: Factory, _ body: (CommunicatorTrio) async throws -> Void) async throws {
        let trio = try await make()
        do {
            try await body(trio)
        } catch {
            await trio.tearDown()
            throw error
        }
        await trio.tearDown()
    }

    /// Requires party `p` of the trio to have rank `p` and every communicator to count 3 parties.
    public static func checkRanks(_ make: Factory, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withTrio(make) { trio in
            for p in 0..<3 {
                #expect(trio[p].party == p, "rank of communicator \(p)", sourceLocation: sourceLocation)
                #expect(trio[p].partyCount == 3, "party count of communicator \(p)", sourceLocation: sourceLocation)
            }
        }
    }

    /// Requires every message to arrive byte for byte and `exchange` to return them in the order of
    /// `expecting`, whatever order they were sent and arrived in: an empty, a 1-byte and a
    /// ``largePayload``-byte message on each of the six directed links, expected in the reverse order;
    /// then a large message a receiver was already waiting for, and one sent before its receiver asked.
    public static func checkPayloadsArriveIntactInExpectedOrder(_ make: Factory, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withTrio(make) { trio in
            let sizes = [0, 1, largePayload]
            func tag(_ from: Int, _ to: Int, _ index: Int) -> MessageTag {
                MessageTag(kind: "payload", sequence: UInt64(1 + 9 * from + 3 * to + index))
            }
            func bytes(_ from: Int, _ to: Int, _ index: Int) -> [UInt8] {
                payload(sizes[index], seed: UInt32(1 + 9 * from + 3 * to + index))
            }
            let outgoing = (0..<3).map { p in
                peers(of: p).flatMap { q in sizes.indices.map { OutgoingMessage(to: q, tag: tag(p, q, $0), bytes: bytes(p, q, $0)) } }
            }
            let order = (0..<3).map { p in peers(of: p).reversed().flatMap { q in sizes.indices.reversed().map { (q, $0) } } }
            let expecting = (0..<3).map { p in order[p].map { ExpectedMessage(from: $0.0, tag: tag($0.0, p, $0.1)) } }
            let received = try await trio.round(outgoing, expecting, timeout: arrivalTimeout)
            for p in 0..<3 {
                #expect(received[p].count == order[p].count, "party \(p) got \(received[p].count) messages", sourceLocation: sourceLocation)
                for (got, (q, index)) in zip(received[p], order[p]) {
                    expectBytes(got, bytes(q, p, index), "party \(q) → party \(p), \(sizes[index]) bytes", sourceLocation)
                }
            }

            // A receive waiting before the message is sent.
            let late = MessageTag(kind: "late", sequence: 100)
            let big = payload(largePayload, seed: 100)
            let waiting = Task { try await trio[1].exchange([], expecting: [ExpectedMessage(from: 0, tag: late)], timeout: arrivalTimeout) }
            try await Task.sleep(for: .milliseconds(50))
            _ = try await trio[0].exchange([OutgoingMessage(to: 1, tag: late, bytes: big)], expecting: [], timeout: arrivalTimeout)
            let lateReply = try await waiting.value
            #expect(lateReply.count == 1, sourceLocation: sourceLocation)
            expectBytes(lateReply.first ?? [], big, "a message its receiver waited for", sourceLocation)

            // A message sent before its receive is asked for.
            let early = MessageTag(kind: "early", sequence: 101)
            _ = try await trio[2].exchange([OutgoingMessage(to: 0, tag: early, bytes: [0xEE])], expecting: [], timeout: arrivalTimeout)
            let earlyReply = try await trio[0].exchange([], expecting: [ExpectedMessage(from: 2, tag: early)], timeout: arrivalTimeout)
            #expect(earlyReply == [[0xEE]], "a message sent before its receive", sourceLocation: sourceLocation)
        }
    }

    /// Requires messages to be matched by sender and tag: two tags of one kind with different
    /// sequences, and one tag from two senders, are different messages. With
    /// ``CommunicatorCapabilities/TagMatching/kindAndSequence`` two tags with one sequence and
    /// different kinds are different messages too; a ``CommunicatorCapabilities/TagMatching/sequenceOnly``
    /// transport documents that they collide, so that part is not run for it.
    public static func checkTagsAreKeptApart(_ make: Factory, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withTrio(make) { trio in
            let first = MessageTag(kind: "same-kind", sequence: 1)
            let second = MessageTag(kind: "same-kind", sequence: 2)
            let shared = MessageTag(kind: "shared", sequence: 3)
            let received = try await trio.round(
                [
                    [OutgoingMessage(to: 1, tag: first, bytes: [1]), OutgoingMessage(to: 1, tag: second, bytes: [2]),
                     OutgoingMessage(to: 2, tag: shared, bytes: [20])],
                    [OutgoingMessage(to: 2, tag: shared, bytes: [10])],
                    [],
                ],
                [
                    [],
                    [ExpectedMessage(from: 0, tag: second), ExpectedMessage(from: 0, tag: first)],
                    [ExpectedMessage(from: 0, tag: shared), ExpectedMessage(from: 1, tag: shared)],
                ],
                timeout: arrivalTimeout)
            #expect(received[1] == [[2], [1]], "one kind, two sequences", sourceLocation: sourceLocation)
            #expect(received[2] == [[20], [10]], "one tag from two senders", sourceLocation: sourceLocation)

            guard trio.capabilities.tagMatching == .kindAndSequence else { return }
            let a = MessageTag(kind: "kind-a", sequence: 4)
            let b = MessageTag(kind: "kind-b", sequence: 4)
            let kinds = try await trio.round(
                [[OutgoingMessage(to: 1, tag: a, bytes: [0xA]), OutgoingMessage(to: 1, tag: b, bytes: [0xB])], [], []],
                [[], [ExpectedMessage(from: 0, tag: b), ExpectedMessage(from: 0, tag: a)], []],
                timeout: arrivalTimeout)
            #expect(kinds[1] == [[0xB], [0xA]], "one sequence, two kinds", sourceLocation: sourceLocation)
        }
    }

    /// Requires sending to or expecting from this party itself, rank 3 or rank -1 to fail with
    /// `.invalidArgument` naming that rank, and such a refused round not to be counted in `statistics()`.
    public static func checkInvalidPeersAreRefused(_ make: Factory, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withTrio(make) { trio in
            let tag = MessageTag(kind: "invalid", sequence: 1)
            for p in 0..<3 {
                for bad in [p, 3, -1] {
                    let send = await thrownConfideError {
                        _ = try await trio[p].exchange([OutgoingMessage(to: bad, tag: tag, bytes: [1])], expecting: [], timeout: arrivalTimeout)
                    }
                    expectError(send, .invalidArgument, naming: ["party \(bad)"], "party \(p) sending to \(bad)", sourceLocation)
                    let receive = await thrownConfideError {
                        _ = try await trio[p].exchange([], expecting: [ExpectedMessage(from: bad, tag: tag)], timeout: arrivalTimeout)
                    }
                    expectError(receive, .invalidArgument, naming: ["party \(bad)"], "party \(p) expecting from \(bad)", sourceLocation)
                }
                #expect(trio[p].statistics() == TrafficStatistics(), "refused rounds counted by party \(p)", sourceLocation: sourceLocation)
            }
        }
    }

    // MARK: helpers

    /// The two other parties of `party`, ascending.
    static func peers(of party: Int) -> [Int] { (0..<3).filter { $0 != party } }

    /// `count` pseudo-random bytes determined by `seed`.
    static func payload(_ count: Int, seed: UInt32) -> [UInt8] {
        var state = seed &* 2_654_435_761 | 1
        var bytes = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            bytes[i] = UInt8(truncatingIfNeeded: state)
        }
        return bytes
    }

    /// Records an issue when `got` differs from `want`, naming the size and first differing byte
    /// (not the whole payload).
    static func expectBytes(_ got: [UInt8], _ want: [UInt8], _ what: String, _ sourceLocation: SourceLocation) {
        guard got != want else { return }
        let index = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
        Issue.record("\(what): got \(got.count) bytes, want \(want.count); first difference at byte \(index)", sourceLocation: sourceLocation)
    }

    /// Records an issue unless `error` has `code` and its message contains every text of `naming`.
    static func expectError(
        _ error: ConfideError?, _ code: ConfideError.Code, naming: [String], _ what: String, _ sourceLocation: SourceLocation
    ) {
        guard let error else {
            Issue.record("\(what): no error, want \(code)", sourceLocation: sourceLocation)
            return
        }
        #expect(error.code == code, "\(what): \(error)", sourceLocation: sourceLocation)
        for text in naming {
            #expect(error.message.contains(text), "\(what): the message does not name \(text): \(error.message)", sourceLocation: sourceLocation)
        }
    }
}
