import ConfideCore
import ConfideComm

/// A socket communicator or a group split from one: the collectives and `split`/`shrink` work on both.
public protocol NetCollectiveCommunicator: Communicator {
    /// The next tag of a collective call (numbered per communicator; every party calls collectives in the same order).
    func nextCollectiveTag(_ kind: String) -> MessageTag
    /// One round without traffic accounting, on this communicator's ranks.
    func transfer(_ outgoing: [OutgoingMessage], expecting: [ExpectedMessage], timeout: Duration?) async throws -> [[UInt8]]
    /// The ranks of the underlying socket communicator whose links are lost.
    func failedPeers() -> Set<Int>
    /// Fails this party's waiting and future receives of the group whose tag kinds start with `prefix|`.
    func revokeGroupLocally(_ prefix: String)
}

/// Collective operations built on ``Communicator/exchange(_:expecting:timeout:)``: every party of the
/// communicator must call the same collectives in the same order (their tags are numbered per communicator).
/// Each is one round in ``TrafficStatistics``,
/// under the tag kinds `net.broadcast`, `net.gather`, `net.scatter`, `net.allgather`, `net.barrier`.
extension NetCollectiveCommunicator {
    /// Sends `value` from `root` to every party. Non-roots pass nil.
    /// - Returns: the root's value, on every party.
    /// - Throws: `.invalidArgument` for a root outside the communicator or a missing root value; transport errors.
    public func broadcast(_ value: [UInt8]?, root: Int, timeout: Duration? = nil) async throws -> [UInt8] {
        try checkRoot(root, "broadcast")
        let tag = nextCollectiveTag("net.broadcast")
        if party == root {
            guard let value else { throw ConfideError(.invalidArgument, "broadcast: the root (party \(root)) must provide a value") }
            _ = try await exchange(others.map { OutgoingMessage(to: $0, tag: tag, bytes: value) }, expecting: [], timeout: timeout)
            return value
        }
        return try await exchange([], expecting: [ExpectedMessage(from: root, tag: tag)], timeout: timeout)[0]
    }

    /// Collects every party's `value` at `root`.
    /// - Returns: at the root, the values by rank; nil elsewhere.
    public func gather(_ value: [UInt8], root: Int, timeout: Duration? = nil) async throws -> [[UInt8]]? {
        try checkRoot(root, "gather")
        let tag = nextCollectiveTag("net.gather")
        if party == root {
            let received = try await exchange([], expecting: others.map { ExpectedMessage(from: $0, tag: tag) }, timeout: timeout)
            var result = received
            result.insert(value, at: party)
            return result
        }
        _ = try await exchange([OutgoingMessage(to: root, tag: tag, bytes: value)], expecting: [], timeout: timeout)
        return nil
    }

    /// Sends `values[r]` from `root` to party r. Non-roots pass nil.
    /// - Returns: this party's value.
    /// - Throws: `.invalidArgument` when the root does not provide exactly one value per party.
    public func scatter(_ values: [[UInt8]]?, root: Int, timeout: Duration? = nil) async throws -> [UInt8] {
        try checkRoot(root, "scatter")
        let tag = nextCollectiveTag("net.scatter")
        if party == root {
            guard let values, values.count == partyCount else {
                throw ConfideError(.invalidArgument, "scatter: the root must provide \(partyCount) values, got \(values?.count ?? 0)")
            }
            _ = try await exchange(others.map { OutgoingMessage(to: $0, tag: tag, bytes: values[$0]) }, expecting: [], timeout: timeout)
            return values[party]
        }
        return try await exchange([], expecting: [ExpectedMessage(from: root, tag: tag)], timeout: timeout)[0]
    }

    /// Every party's `value`, on every party, by rank (one all-to-all round).
    public func allgather(_ value: [UInt8], timeout: Duration? = nil) async throws -> [[UInt8]] {
        let tag = nextCollectiveTag("net.allgather")
        var result = try await exchange(
            others.map { OutgoingMessage(to: $0, tag: tag, bytes: value) },
            expecting: others.map { ExpectedMessage(from: $0, tag: tag) }, timeout: timeout)
        result.insert(value, at: party)
        return result
    }

    /// Returns once every party has entered the barrier (one all-to-all round of empty messages).
    public func barrier(timeout: Duration? = nil) async throws {
        let tag = nextCollectiveTag("net.barrier")
        _ = try await exchange(
            others.map { OutgoingMessage(to: $0, tag: tag, bytes: []) },
            expecting: others.map { ExpectedMessage(from: $0, tag: tag) }, timeout: timeout)
    }

    private var others: [Int] { (0..<partyCount).filter { $0 != party } }

    private func checkRoot(_ root: Int, _ operation: String) throws {
        guard (0..<partyCount).contains(root) else {
            throw ConfideError(.invalidArgument, "\(operation): root party \(root) does not exist (the communicator has \(partyCount) parties)")
        }
    }
}
