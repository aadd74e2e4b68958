import ConfideCore
import ConfideComm
import Foundation
import NIOCore
import Testing

@testable import ConfideNet

@Suite struct SocketCommunicatorTests {
    static let pki = try! NetTestPKI()

    /// Every party sends a distinct payload to every other party and receives theirs, in one round.
    private func allToAll(_ comms: [SocketCommunicator], sequence: UInt64, size: Int) async throws {
        let count = comms.count
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in comms {
                group.addTask {
                    let tag = MessageTag(kind: "test", sequence: sequence)
                    let outgoing = (0..<count).filter { $0 != c.party }.map { peer in
                        OutgoingMessage(to: peer, tag: tag, bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ c.party &* 31 &+ peer) })
                    }
                    let expecting = (0..<count).filter { $0 != c.party }.map { ExpectedMessage(from: $0, tag: tag) }
                    let received = try await c.exchange(outgoing, expecting: expecting, timeout: nil)
                    for (message, bytes) in zip(expecting, received) {
                        #expect(bytes == (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ message.peer &* 31 &+ c.party) })
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test(arguments: [NetTestTransport.tcp, .unix])
    func exchangesOverMutualTLS(_ transport: NetTestTransport) async throws {
        let comms = try await netConnect(transport: transport, security: Self.pki.security)
        try await allToAll(comms, sequence: 1, size: 0)
        try await allToAll(comms, sequence: 2, size: 100_003)
        for c in comms {
            let stats = c.statistics()
            #expect(stats.rounds == 2)
            #expect(stats.byKind["test"]?.messagesSent == 4)
            #expect(stats.byKind["test"]?.bytesSent == 200_006)
            #expect(stats.byKind["test"]?.bytesReceived == 200_006)
            #expect(stats.byKind["test"]?.rounds == 2)
        }
        await netClose(comms)
    }

    @Test func exchangesOverPlaintextForTests() async throws {
        let comms = try await netConnect(security: { _ in .insecurePlaintextForTestsOnly })
        try await allToAll(comms, sequence: 1, size: 17)
        await netClose(comms)
    }

    @Test func timeoutNamesPeerAndTag() async throws {
        let comms = try await netConnect(security: Self.pki.security)
        let error = await netError {
            _ = try await comms[0].exchange([], expecting: [ExpectedMessage(from: 2, tag: MessageTag(kind: "never", sequence: 7))], timeout: .milliseconds(200))
        }
        #expect(error?.code == .timeout)
        #expect(error?.message.contains("party 2") == true)
        #expect(error?.message.contains("never#7") == true)
        await netClose(comms)
    }

    @Test func rejectsBadPeers() async throws {
        let comms = try await netConnect(2, security: { _ in .insecurePlaintextForTestsOnly })
        let error = await netError {
            _ = try await comms[0].exchange([OutgoingMessage(to: 0, tag: MessageTag(kind: "x", sequence: 0), bytes: [])], expecting: [], timeout: nil)
        }
        #expect(error?.code == .invalidArgument)
        let error2 = await netError {
            _ = try await comms[0].exchange([], expecting: [ExpectedMessage(from: 5, tag: MessageTag(kind: "x", sequence: 0))], timeout: nil)
        }
        #expect(error2?.code == .invalidArgument)
        await netClose(comms)
    }

    @Test func peerDyingMidSessionFailsPendingReceivePromptly() async throws {
        let comms = try await netConnect(security: Self.pki.security)
        async let pending = netError {
            _ = try await comms[0].exchange([], expecting: [ExpectedMessage(from: 2, tag: MessageTag(kind: "late", sequence: 1))], timeout: .seconds(60))
        }
        try await Task.sleep(for: .milliseconds(100))
        // Party 2 dies abruptly: its links are closed without a goodbye.
        for link in comms[2].links.values { try await link.close() }
        let error = await pending
        #expect(error?.code == .peerFailure)
        #expect(error?.message.contains("party 2") == true)
        // Later receives from the dead peer fail at once too; links to the living peer still work.
        let again = await netError {
            _ = try await comms[0].exchange([], expecting: [ExpectedMessage(from: 2, tag: MessageTag(kind: "late", sequence: 2))], timeout: .seconds(60))
        }
        #expect(again?.code == .peerFailure)
        try await allToAll([comms[0], comms[1]], sequence: 9, size: 3)
        await netClose(comms)
    }

    @Test func closeThenCallsFailWithNotRunning() async throws {
        let comms = try await netConnect(security: Self.pki.security)
        async let pending = netError {
            _ = try await comms[1].exchange([], expecting: [ExpectedMessage(from: 0, tag: MessageTag(kind: "x", sequence: 1))], timeout: .seconds(60))
        }
        try await Task.sleep(for: .milliseconds(100))
        await comms[0].close()
        let peerError = await pending
        #expect(peerError?.code == .peerFailure)
        #expect(peerError?.message.contains("party 0") == true)
        let error = await netError {
            _ = try await comms[0].exchange([OutgoingMessage(to: 1, tag: MessageTag(kind: "x", sequence: 2), bytes: [1])], expecting: [], timeout: nil)
        }
        #expect(error?.code == .notRunning)
        await netClose(comms)
    }

    @Test func revokeFailsEveryParty() async throws {
        let comms = try await netConnect(security: Self.pki.security)
        async let pending1 = netError {
            _ = try await comms[1].exchange([], expecting: [ExpectedMessage(from: 2, tag: MessageTag(kind: "x", sequence: 1))], timeout: .seconds(60))
        }
        try await Task.sleep(for: .milliseconds(100))
        await comms[0].revoke()
        #expect(await pending1?.code == .revoked)
        try await Task.sleep(for: .milliseconds(100))
        for c in comms {
            let error = await netError {
                _ = try await c.exchange([], expecting: [ExpectedMessage(from: (c.party + 1) % 3, tag: MessageTag(kind: "y", sequence: 1))], timeout: .seconds(5))
            }
            #expect(error?.code == .revoked)
        }
        await netClose(comms)
    }

    @Test func oversizedFrameFailsTheLink() async throws {
        var options = netTestOptions()
        options.maximumPayload = 1024
        let comms = try await netConnect(2, security: { _ in .insecurePlaintextForTestsOnly }, options: options)
        // The sender refuses to send above the maximum.
        let sendError = await netError {
            _ = try await comms[1].exchange([OutgoingMessage(to: 0, tag: MessageTag(kind: "big", sequence: 1), bytes: [UInt8](repeating: 0, count: 2048))], expecting: [], timeout: nil)
        }
        #expect(sendError?.code == .tooLarge)
        // A peer that writes an oversized header anyway: the receiver fails the link instead of buffering it.
        async let pending = netError {
            _ = try await comms[0].exchange([], expecting: [ExpectedMessage(from: 1, tag: MessageTag(kind: "big", sequence: 2))], timeout: .seconds(30))
        }
        try await Task.sleep(for: .milliseconds(50))
        let link = comms[1].links[0]!
        var raw = link.allocator.buffer(capacity: 20)
        raw.writeBytes(NetFrame.magic + [1, 0, 0, 0, 3])
        raw.writeInteger(UInt64(2))
        raw.writeInteger(UInt32(1 << 30))
        raw.writeBytes(Array("big".utf8))
        try await link.writeAndFlush(raw)
        let error = await pending
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("party 1") == true)
        await netClose(comms)
    }

    @Test func truncatedFrameFailsTheLink() async throws {
        let comms = try await netConnect(2, security: { _ in .insecurePlaintextForTestsOnly })
        async let pending = netError {
            _ = try await comms[0].exchange([], expecting: [ExpectedMessage(from: 1, tag: MessageTag(kind: "t", sequence: 2))], timeout: .seconds(30))
        }
        try await Task.sleep(for: .milliseconds(50))
        let link = comms[1].links[0]!
        var raw = link.allocator.buffer(capacity: 20)
        raw.writeBytes(NetFrame.magic + [1, 0, 0, 0, 1])
        raw.writeInteger(UInt64(2))
        raw.writeInteger(UInt32(100))
        raw.writeBytes(Array("t".utf8) + [1, 2, 3])
        try await link.writeAndFlush(raw)
        try await link.close()
        let error = await pending
        #expect(error?.code == .protocolViolation || error?.code == .peerFailure)
        #expect(error?.message.contains("party 1") == true)
        await netClose(comms)
    }
}
