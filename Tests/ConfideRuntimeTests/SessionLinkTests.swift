import ConfideCore
import ConfideMPC
import Foundation
import Testing

@testable import ConfideRuntime

/// The gRPC party links on their own: messages of every size arrive intact and in their rounds.
@Suite(.serialized, .timeLimit(.minutes(10))) struct SessionLinkTests {
    @Test func messagesOfEverySizeArriveIntact() async throws {
        let deployment = try await LocalDeployment(inputs: [[:], [:], [:]])
        var opened: [any Communicator] = []
        for p in 0..<3 { opened.append(try await deployment.computeNodes[p].openSession("links", endpoints: deployment.endpoints)) }
        let links = opened
        var generator = AESCTRGenerator.fromSystemEntropy()
        // Empty, tiny, exactly one chunk, one byte over, several chunks.
        let sizes = [0, 1, MessageChunks.chunkBytes, MessageChunks.chunkBytes + 1, 5 * MessageChunks.chunkBytes + 12_345]
        for (round, size) in sizes.enumerated() {
            var payload = [UInt8](repeating: 0, count: size)
            generator.fill(&payload)
            let tag = MessageTag(kind: "size\(size)", sequence: UInt64(round + 1))
            let sent = payload
            async let at1 = links[1].exchange([OutgoingMessage(to: 2, tag: tag, bytes: [UInt8(round)])], expecting: [ExpectedMessage(from: 0, tag: tag)], timeout: .seconds(30))
            async let at2 = links[2].exchange([], expecting: [ExpectedMessage(from: 1, tag: tag)], timeout: .seconds(30))
            _ = try await links[0].exchange([OutgoingMessage(to: 1, tag: tag, bytes: sent)], expecting: [], timeout: .seconds(30))
            let received = try await at1
            #expect(received[0] == payload, "size \(size)")
            #expect(try await at2 == [[UInt8(round)]])
        }
        #expect(links[0].statistics().bytesSent == sizes.reduce(0, +))
        for p in 0..<3 { await deployment.computeNodes[p].closeSession("links") }
        await deployment.stop()
    }
}
