import ConfideComm
import ConfideCore
import Testing

extension CommunicatorContract {
    /// How a peer ends in ``checkPeerEnd(_:_:sourceLocation:)``.
    public enum PeerEnding: Sendable, CustomStringConvertible {
        /// ``CommunicatorTrio/close(_:)``: the transport's documented close.
        case close
        /// ``CommunicatorTrio/kill(_:)``: as a crash, without a goodbye.
        case death

        public var description: String { self == .close ? "close" : "death" }
    }

    /// Requires a receive nobody sends to fail after ``shortTimeout`` with `.timeout` whose message
    /// names the silent peer (`party 2`) and the tag (see ``CommunicatorCapabilities/named(_:)``), and
    /// the communicator to stay usable: a timeout fails the round, not the party.
    public static func checkSilentPeerTimesOut(_ make: Factory, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withTrio(make) { trio in
            let silent = MessageTag(kind: "silent", sequence: 12)
            let error = await thrownConfideError {
                _ = try await trio[0].exchange([], expecting: [ExpectedMessage(from: 2, tag: silent)], timeout: shortTimeout)
            }
            expectError(error, .timeout, naming: ["party 2", trio.capabilities.named(silent)], "a silent peer", sourceLocation)

            let after = MessageTag(kind: "after-timeout", sequence: 13)
            let received = try await trio.round(
                [[OutgoingMessage(to: 2, tag: after, bytes: [0])], [], [OutgoingMessage(to: 0, tag: after, bytes: [2])]],
                [[ExpectedMessage(from: 2, tag: after)], [], [ExpectedMessage(from: 0, tag: after)]],
                timeout: arrivalTimeout)
            #expect(received[0] == [[2]] && received[2] == [[0]], "a round after a timeout", sourceLocation: sourceLocation)
        }
    }

    /// Requires a party waiting on a peer that ends (after a round over every link) to see what the
    /// transport documents for that ending (``CommunicatorCapabilities/peerClose`` or
    /// ``CommunicatorCapabilities/peerDeath``): `.fails(code)`: the wait, given ``arrivalTimeout``,
    /// fails with exactly that code (so before its timeout); `.timesOut`: the wait, given
    /// ``shortTimeout``, fails with `.timeout`. Either way the message names the peer (`party 2`).
    /// With ``CommunicatorCapabilities/CloseScope/party`` the two other parties then still complete a round.
    public static func checkPeerEnd(_ ending: PeerEnding, _ make: Factory, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withTrio(make) { trio in
            try await trio.warmUp(MessageTag(kind: "warm-up", sequence: 1), timeout: arrivalTimeout)
            let expected = ending == .close ? trio.capabilities.peerClose : trio.capabilities.peerDeath
            let orphan = MessageTag(kind: "orphan", sequence: 2)
            let timeout = expected == .timesOut ? shortTimeout : arrivalTimeout
            let waiting = Task { try await trio[0].exchange([], expecting: [ExpectedMessage(from: 2, tag: orphan)], timeout: timeout) }
            try await Task.sleep(for: .milliseconds(50))
            switch ending {
            case .close: await trio.close(2)
            case .death: await trio.kill(2)
            }
            let error = await thrownConfideError { _ = try await waiting.value }
            switch expected {
            case .fails(let code):
                expectError(error, code, naming: ["party 2"], "waiting on a peer after its \(ending)", sourceLocation)
            case .timesOut:
                expectError(error, .timeout, naming: ["party 2"], "waiting on a peer after its \(ending)", sourceLocation)
            }

            guard trio.capabilities.closeScope == .party else { return }
            let survivors = MessageTag(kind: "survivors", sequence: 3)
            let received = try await trio.round(
                [[OutgoingMessage(to: 1, tag: survivors, bytes: [0])], [OutgoingMessage(to: 0, tag: survivors, bytes: [1])], []],
                [[ExpectedMessage(from: 1, tag: survivors)], [ExpectedMessage(from: 0, tag: survivors)], []],
                timeout: arrivalTimeout)
            #expect(received[0] == [[1]] && received[1] == [[0]], "the other parties after a \(ending)", sourceLocation: sourceLocation)
        }
    }

    /// Requires ``CommunicatorTrio/close(_:)`` of a party to fail its receive pending at the time, and
    /// every later exchange of it that sends or expects a message, with exactly
    /// ``CommunicatorCapabilities/closedCode`` (given ``arrivalTimeout``, so before any timeout).
    public static func checkCloseFailsExchanges(_ make: Factory, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withTrio(make) { trio in
            try await trio.warmUp(MessageTag(kind: "warm-up", sequence: 1), timeout: arrivalTimeout)
            let code = trio.capabilities.closedCode
            let pendingTag = MessageTag(kind: "pending", sequence: 2)
            let pending = Task { try await trio[0].exchange([], expecting: [ExpectedMessage(from: 1, tag: pendingTag)], timeout: arrivalTimeout) }
            try await Task.sleep(for: .milliseconds(50))
            await trio.close(0)
            let pendingError = await thrownConfideError { _ = try await pending.value }
            expectError(pendingError, code, naming: [], "a receive pending at close", sourceLocation)

            let later = MessageTag(kind: "later", sequence: 3)
            let sending = await thrownConfideError {
                _ = try await trio[0].exchange([OutgoingMessage(to: 1, tag: later, bytes: [1])], expecting: [], timeout: arrivalTimeout)
            }
            expectError(sending, code, naming: [], "sending after close", sourceLocation)
            let expecting = await thrownConfideError {
                _ = try await trio[0].exchange([], expecting: [ExpectedMessage(from: 2, tag: later)], timeout: arrivalTimeout)
            }
            expectError(expecting, code, naming: [], "expecting after close", sourceLocation)
        }
    }
}
