import ConfideCore
import Testing

@testable import ConfideComm

@Suite("In-process network")
struct LocalNetworkTests {
    let tag = MessageTag(kind: "test", sequence: 1)

    @Test func roundsDeliverInAnyOrderAndAreCounted() async throws {
        let network = LocalNetwork(partyCount: 3, defaultTimeout: .seconds(10))
        let c0 = try network.communicator(for: 0)
        let c1 = try network.communicator(for: 1)
        let c2 = try network.communicator(for: 2)
        let other = MessageTag(kind: "other", sequence: 2)
        async let r0 = c0.exchange(
            [OutgoingMessage(to: 1, tag: tag, bytes: [1, 2, 3]), OutgoingMessage(to: 2, tag: other, bytes: [4])],
            expecting: [ExpectedMessage(from: 2, tag: tag), ExpectedMessage(from: 1, tag: tag)], timeout: nil)
        async let r1 = c1.exchange([OutgoingMessage(to: 0, tag: tag, bytes: [9])], expecting: [ExpectedMessage(from: 0, tag: tag)], timeout: nil)
        async let r2 = c2.exchange(
            [OutgoingMessage(to: 0, tag: tag, bytes: [7, 7])], expecting: [ExpectedMessage(from: 0, tag: other)], timeout: nil)
        let (a, b, c) = try await (r0, r1, r2)
        #expect(a == [[7, 7], [9]])
        #expect(b == [[1, 2, 3]])
        #expect(c == [[4]])
        let s0 = c0.statistics()
        #expect(s0.rounds == 1)
        #expect(s0.bytesSent == 4)
        #expect(s0.bytesReceived == 3)
        #expect(s0.byKind["test"]?.messagesSent == 1)
        #expect(s0.byKind["other"]?.bytesSent == 1)
        #expect(s0.byKind["test"]?.messagesReceived == 2)
        #expect(c2.statistics().since(s0).rounds == 0)
    }

    @Test func aSilentPeerTimesOutNamingPeerAndTag() async throws {
        let network = LocalNetwork(partyCount: 3)
        let c0 = try network.communicator(for: 0)
        let error = await #expect(throws: ConfideError.self) {
            _ = try await c0.exchange([], expecting: [ExpectedMessage(from: 2, tag: tag)], timeout: .milliseconds(50))
        }
        #expect(error?.code == .timeout)
        #expect(error?.message.contains("party 2") == true)
        #expect(error?.message.contains("test#1") == true)
    }

    @Test func badPeersDuplicatesAndClosingAreErrors() async throws {
        let network = LocalNetwork(partyCount: 3)
        let c0 = try network.communicator(for: 0)
        #expect(throws: ConfideError.self) { try network.communicator(for: 3) }
        let toSelf = await #expect(throws: ConfideError.self) {
            _ = try await c0.exchange([OutgoingMessage(to: 0, tag: tag, bytes: [])], expecting: [], timeout: nil)
        }
        #expect(toSelf?.code == .invalidArgument)
        let missing = await #expect(throws: ConfideError.self) {
            _ = try await c0.exchange([], expecting: [ExpectedMessage(from: 5, tag: tag)], timeout: nil)
        }
        #expect(missing?.code == .invalidArgument)
        _ = try await c0.exchange([OutgoingMessage(to: 1, tag: tag, bytes: [1])], expecting: [], timeout: nil)
        let twice = await #expect(throws: ConfideError.self) {
            _ = try await c0.exchange([OutgoingMessage(to: 1, tag: tag, bytes: [1])], expecting: [], timeout: nil)
        }
        #expect(twice?.code == .protocolViolation)
        let c1 = try network.communicator(for: 1)
        let waiting = Task { [tag] in try await c1.exchange([], expecting: [ExpectedMessage(from: 2, tag: tag)], timeout: .seconds(30)) }
        await network.close(reason: "test shutdown")
        let closed = await #expect(throws: ConfideError.self) { _ = try await waiting.value }
        #expect(closed?.code == .peerFailure)
    }
}
