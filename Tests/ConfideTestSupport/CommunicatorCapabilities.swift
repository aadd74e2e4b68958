import ConfideComm
import ConfideCore

/// The documented points on which the transports under ``CommunicatorContract`` legitimately differ.
///
/// Every flag names one behaviour a transport states in its doc comments; a check that depends on it
/// asserts the transport's stated behaviour exactly instead of accepting any of the alternatives.
public struct CommunicatorCapabilities: Sendable {
    /// How a receive is matched to a message.
    public enum TagMatching: Sendable {
        /// By sender, tag kind and tag sequence: the same sequence with different kinds are two
        /// messages.
        case kindAndSequence
        /// By sender and tag sequence only (the wire carries no kind): two messages to one peer must
        /// differ in sequence. Errors still name the caller's whole tag.
        case sequenceOnly
    }

    /// What a party waiting on a peer sees when that peer ends.
    public enum PeerEnd: Sendable, Equatable {
        /// The wait fails before its timeout with this code, and the message names the peer.
        case fails(ConfideError.Code)
        /// The end is not signalled: the wait ends at its timeout with `.timeout` naming the peer.
        case timesOut
    }

    /// What ``CommunicatorTrio/close(_:)`` of one party closes.
    public enum CloseScope: Sendable {
        /// That party only: the other parties go on exchanging among themselves.
        case party
        /// The whole network: every party's pending and later receives fail.
        case network
    }

    public var tagMatching: TagMatching
    /// The code of an exchange of a closed party (pending when it closed, or started later); one of
    /// `.peerFailure` or `.notRunning`.
    public var closedCode: ConfideError.Code
    /// What a party waiting on a peer sees when the peer closes normally (after a round over every link).
    public var peerClose: PeerEnd
    /// What a party waiting on a peer sees when the peer dies (after a round over every link).
    public var peerDeath: PeerEnd
    public var closeScope: CloseScope

    /// The codes a closed communicator may fail with: `.peerFailure` (ConfideComm) and `not-running`
    /// (ConfideNet's `.notRunning`, also thrown by the gRPC session links; named here by its stable
    /// name because this target depends on ConfideComm and ConfideCore only).
    public static let closedCodes: Set<ConfideError.Code> = [.peerFailure, ConfideError.Code("not-running")]

    public init(tagMatching: TagMatching, closedCode: ConfideError.Code, peerClose: PeerEnd, peerDeath: PeerEnd, closeScope: CloseScope) {
        precondition(Self.closedCodes.contains(closedCode), "a closed communicator fails with .peerFailure or .notRunning")
        self.tagMatching = tagMatching
        self.closedCode = closedCode
        self.peerClose = peerClose
        self.peerDeath = peerDeath
        self.closeScope = closeScope
    }

    /// The text an error about `tag` must contain: the whole tag (`kind#sequence`) on every transport.
    public func named(_ tag: MessageTag) -> String {
        tag.description
    }
}
