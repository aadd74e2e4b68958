import ConfideCore
import ConfideComm
import NIOPosix
import Testing

@testable import ConfideNet

@Suite struct NetMailboxTests {
    @Test func unreadMessagesAreBoundedAndReadingFreesRoom() async throws {
        let mailbox = NetMailbox(owner: 0, maxQueuedBytes: 100)
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        #expect(mailbox.deliver(from: 1, tag: MessageTag(kind: "a", sequence: 0), bytes: [UInt8](repeating: 1, count: 60)) == nil)
        #expect(mailbox.deliver(from: 2, tag: MessageTag(kind: "a", sequence: 0), bytes: [UInt8](repeating: 2, count: 40)) == nil)
        let over = mailbox.deliver(from: 1, tag: MessageTag(kind: "a", sequence: 1), bytes: [3])
        #expect(over?.code == .tooLarge && over?.message.contains("more than 100 bytes") == true)
        let first = try await mailbox.receive(from: 1, tag: MessageTag(kind: "a", sequence: 0), timeout: .seconds(5), loop: loop)
        #expect(first.count == 60)
        #expect(mailbox.deliver(from: 1, tag: MessageTag(kind: "a", sequence: 1), bytes: [UInt8](repeating: 3, count: 60)) == nil)
        // A duplicate tag is still refused as such; a closed mailbox holds nothing.
        #expect(mailbox.deliver(from: 1, tag: MessageTag(kind: "a", sequence: 1), bytes: [4])?.code == .protocolViolation)
        #expect(try await mailbox.receive(from: 2, tag: MessageTag(kind: "a", sequence: 0), timeout: .seconds(5), loop: loop).count == 40)
        #expect(mailbox.deliver(from: 2, tag: MessageTag(kind: "b", sequence: 0), bytes: [UInt8](repeating: 5, count: 40)) == nil)
        #expect(mailbox.deliver(from: 2, tag: MessageTag(kind: "b", sequence: 1), bytes: [6])?.code == .tooLarge)
        mailbox.terminate(ConfideError(.notRunning, "closed"))
        #expect(mailbox.deliver(from: 2, tag: MessageTag(kind: "c", sequence: 0), bytes: [UInt8](repeating: 7, count: 100)) == nil)
    }
}
