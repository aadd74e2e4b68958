import ConfideCore
import ConfideComm
import Synchronization

/// The ``Communicator`` of one party in one session of a compute node: rounds over the session's
/// `SendValue` streams (see ``SessionLink``).
final class SessionCommunicator: Communicator, Sendable {
    let party: Int
    let partyCount = 3
    private let link: SessionLink
    private let defaultTimeout: Duration
    private let traffic = Mutex(TrafficStatistics())

    init(link: SessionLink, defaultTimeout: Duration) {
        party = link.party
        self.link = link
        self.defaultTimeout = defaultTimeout
    }

    func exchange(_ outgoing: [OutgoingMessage], expecting: [ExpectedMessage], timeout: Duration?) async throws -> [[UInt8]] {
        for message in outgoing where !(0..<3).contains(message.peer) || message.peer == party {
            throw ConfideError(.invalidArgument, "party \(party) cannot send to party \(message.peer)")
        }
        for expected in expecting where !(0..<3).contains(expected.peer) || expected.peer == party {
            throw ConfideError(.invalidArgument, "party \(party) cannot receive from party \(expected.peer)")
        }
        for message in outgoing {
            // comm: the round's message to this peer, one SendValue request
            try link.send(to: message.peer, tag: message.tag, bytes: message.bytes)
        }
        var replies: [[UInt8]] = []
        replies.reserveCapacity(expecting.count)
        for expected in expecting {
            replies.append(try await link.receive(from: expected.peer, tag: expected.tag, timeout: timeout ?? defaultTimeout))
        }
        traffic.withLock { $0.record(outgoing, expecting, replies) }
        return replies
    }

    func statistics() -> TrafficStatistics {
        traffic.withLock { $0 }
    }
}
