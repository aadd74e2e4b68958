/// A message one party sends in a round.
public struct OutgoingMessage: Sendable {
    public let peer: Int
    public let tag: MessageTag
    public let bytes: [UInt8]

    public init(to peer: Int, tag: MessageTag, bytes: [UInt8]) {
        self.peer = peer
        self.tag = tag
        self.bytes = bytes
    }
}

/// A message one party waits for in a round.
public struct ExpectedMessage: Sendable, Hashable {
    public let peer: Int
    public let tag: MessageTag

    public init(from peer: Int, tag: MessageTag) {
        self.peer = peer
        self.tag = tag
    }
}

/// The only way protocol code talks to other parties: rounds of tagged byte messages.
///
/// One call of ``exchange(_:expecting:timeout:)`` is one communication round: every outgoing
/// message is handed to the transport, then the call waits until every expected message has
/// arrived. Implementations count rounds, messages and bytes per tag kind (``TrafficStatistics``).
/// Kernels never see sockets; in-process (``LocalNetwork``), socket and gRPC transports implement
/// this protocol.
public protocol Communicator: Sendable {
    /// This party's rank, `0..<partyCount`.
    var party: Int { get }
    /// The number of parties of the session.
    var partyCount: Int { get }

    /// Runs one communication round.
    /// - Parameters:
    ///   - outgoing: the messages to send (any peer but this party).
    ///   - expecting: the messages to wait for, in the order their bytes are returned.
    ///   - timeout: how long to wait for the expected messages; nil uses the communicator's default.
    /// - Returns: the bytes of each expected message, in the order of `expecting`.
    /// - Throws: `.timeout` naming the peer and tag that did not arrive in time; `.invalidArgument`
    ///   for a peer that does not exist; `.peerFailure` when the transport is closed or a peer failed.
    func exchange(_ outgoing: [OutgoingMessage], expecting: [ExpectedMessage], timeout: Duration?) async throws -> [[UInt8]]

    /// The traffic this party has sent and received so far.
    func statistics() -> TrafficStatistics
}
