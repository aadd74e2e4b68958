import ConfideCore

/// Parties in one process, connected by in-memory mailboxes: the transport of tests, simulation
/// and benchmarks. Messages are handed over without copying.
public final class LocalNetwork: Sendable {
    public let partyCount: Int
    /// How long a receive waits when the caller gives no timeout.
    public let defaultTimeout: Duration
    let mailboxes: [LocalMailbox]

    /// - Parameters:
    ///   - partyCount: the number of parties (at least 1).
    ///   - defaultTimeout: how long a receive waits by default.
    public init(partyCount: Int = 3, defaultTimeout: Duration = .seconds(60)) {
        precondition(partyCount >= 1, "a network needs at least one party")
        self.partyCount = partyCount
        self.defaultTimeout = defaultTimeout
        self.mailboxes = (0..<partyCount).map { LocalMailbox(owner: $0) }
    }

    /// The communicator of party `party`.
    /// - Throws: `.invalidArgument` for a party outside `0..<partyCount`.
    public func communicator(for party: Int) throws -> LocalCommunicator {
        guard (0..<partyCount).contains(party) else {
            throw ConfideError(.invalidArgument, "party \(party) does not exist (the network has \(partyCount) parties)")
        }
        return LocalCommunicator(network: self, party: party)
    }

    /// Fails every pending and future receive of every party, so that a session whose party failed
    /// ends at once instead of waiting for timeouts.
    public func close(reason: String) async {
        for mailbox in mailboxes { await mailbox.close(reason: reason) }
    }
}
