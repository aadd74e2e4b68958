import ConfideCore
import Synchronization

/// One party's end of a ``LocalNetwork``.
public final class LocalCommunicator: Communicator {
    public let party: Int
    public var partyCount: Int { network.partyCount }
    private let network: LocalNetwork
    private let traffic = Mutex(TrafficStatistics())

    init(network: LocalNetwork, party: Int) {
        self.network = network
        self.party = party
    }

    public func exchange(_ outgoing: [OutgoingMessage], expecting: [ExpectedMessage], timeout: Duration?) async throws -> [[UInt8]] {
        for message in outgoing {
            guard (0..<partyCount).contains(message.peer), message.peer != party else {
                throw ConfideError(.invalidArgument, "party \(party) cannot send tag \(message.tag) to party \(message.peer)")
            }
        }
        for message in expecting {
            guard (0..<partyCount).contains(message.peer), message.peer != party else {
                throw ConfideError(.invalidArgument, "party \(party) cannot receive tag \(message.tag) from party \(message.peer)")
            }
        }
        for message in outgoing {
            try await network.mailboxes[message.peer].deliver(message.bytes, LocalMailbox.Key(from: party, tag: message.tag))
        }
        let limit = timeout ?? network.defaultTimeout
        let deadline = ContinuousClock.now + limit
        var received: [[UInt8]] = []
        received.reserveCapacity(expecting.count)
        let mailbox = network.mailboxes[party]
        for message in expecting {
            let key = LocalMailbox.Key(from: message.peer, tag: message.tag)
            let remaining = max(deadline - ContinuousClock.now, .zero)
            let bytes = try await withTaskCancellationHandler {
                try await mailbox.receive(key, timeout: remaining)
            } onCancel: { [party] in
                Task { await mailbox.fail(key, ConfideError(.peerFailure, "party \(party): cancelled while waiting for tag \(message.tag)")) }
            }
            received.append(bytes)
        }
        traffic.withLock { $0.record(outgoing, expecting, received) }
        return received
    }

    public func statistics() -> TrafficStatistics {
        traffic.withLock { $0 }
    }
}
