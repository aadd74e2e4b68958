import ConfideComm
import ConfideCore

/// Three connected communicators of one transport (parties 0, 1, 2), with the transport's ways to
/// end a party and to release everything, as the ``CommunicatorContract`` checks need them.
public struct CommunicatorTrio: Sendable {
    public let communicators: [any Communicator]
    public let capabilities: CommunicatorCapabilities
    private let closeParty: @Sendable (Int) async -> Void
    private let killParty: @Sendable (Int) async -> Void
    private let release: @Sendable () async -> Void

    /// - Parameters:
    ///   - communicators: parties 0, 1 and 2, in order.
    ///   - close: closes one party normally (its documented close).
    ///   - kill: ends one party as a crash would (links dropped or reset, no goodbye).
    ///   - tearDown: releases every party and resource; called once, also after close or kill.
    public init(
        _ communicators: [any Communicator], capabilities: CommunicatorCapabilities, close: @escaping @Sendable (Int) async -> Void,
        kill: @escaping @Sendable (Int) async -> Void, tearDown: @escaping @Sendable () async -> Void
    ) {
        precondition(communicators.count == 3, "a trio has three parties")
        self.communicators = communicators
        self.capabilities = capabilities
        closeParty = close
        killParty = kill
        release = tearDown
    }

    public subscript(party: Int) -> any Communicator { communicators[party] }

    public func close(_ party: Int) async { await closeParty(party) }

    public func kill(_ party: Int) async { await killParty(party) }

    public func tearDown() async { await release() }

    /// One round run by all three parties at once: party `p` sends `outgoing[p]` and expects `expecting[p]`;
    /// a party with neither does not call `exchange` (it may be closed).
    /// - Returns: each party's received bytes, in party order.
    public func round(_ outgoing: [[OutgoingMessage]], _ expecting: [[ExpectedMessage]], timeout: Duration) async throws -> [[[UInt8]]] {
        try await withThrowingTaskGroup(of: (Int, [[UInt8]]).self) { group in
            for p in 0..<3 where !outgoing[p].isEmpty || !expecting[p].isEmpty {
                let communicator = communicators[p]
                let (out, expected) = (outgoing[p], expecting[p])
                group.addTask { (p, try await communicator.exchange(out, expecting: expected, timeout: timeout)) }
            }
            var received = [[[UInt8]]](repeating: [], count: 3)
            for try await (p, bytes) in group { received[p] = bytes }
            return received
        }
    }

    /// A round in which every party sends `tag` to both others and expects it from both: afterwards
    /// every link of the trio has carried a message.
    public func warmUp(_ tag: MessageTag, timeout: Duration) async throws {
        let peers = { (p: Int) in (0..<3).filter { $0 != p } }
        let outgoing = (0..<3).map { p in peers(p).map { OutgoingMessage(to: $0, tag: tag, bytes: [UInt8(p)]) } }
        let expecting = (0..<3).map { p in peers(p).map { ExpectedMessage(from: $0, tag: tag) } }
        let received = try await round(outgoing, expecting, timeout: timeout)
        for p in 0..<3 where received[p] != peers(p).map({ [UInt8($0)] }) {
            throw ConfideError(.evaluation, "warm-up round: party \(p) received \(received[p])")
        }
    }
}
