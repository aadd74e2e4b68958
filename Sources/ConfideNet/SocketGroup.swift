import ConfideCore
import ConfideComm
import Synchronization

/// A communicator over a subset of another socket communicator's parties, with ranks renumbered `0..<members.count`
/// in the order of their ranks in the parent. Made by ``NetCollectiveCommunicator/split(_:timeout:)`` or
/// ``NetCollectiveCommunicator/shrink(timeout:)``; it shares the parent's links (its tags carry the group's
/// identity, so messages of different groups never mix) and counts its own traffic.
public final class SocketGroup: NetCollectiveCommunicator {
    public let party: Int
    public var partyCount: Int { members.count }
    /// The parent ranks of the members, by new rank.
    public let members: [Int]
    let parent: any NetCollectiveCommunicator
    let prefix: String
    private let traffic = Mutex(TrafficStatistics())
    private let collectiveSequence = Mutex<UInt64>(0)
    private let freed = Mutex(false)
    private let revoked = Mutex(false)

    init(parent: any NetCollectiveCommunicator, members: [Int], prefix: String) {
        self.parent = parent
        self.members = members
        self.prefix = prefix
        self.party = members.firstIndex(of: parent.party)!
    }

    public func exchange(_ outgoing: [OutgoingMessage], expecting: [ExpectedMessage], timeout: Duration?) async throws -> [[UInt8]] {
        let received = try await transfer(outgoing, expecting: expecting, timeout: timeout)
        traffic.withLock { $0.record(outgoing, expecting, received) }
        return received
    }

    public func transfer(_ outgoing: [OutgoingMessage], expecting: [ExpectedMessage], timeout: Duration?) async throws -> [[UInt8]] {
        if freed.withLock({ $0 }) { throw ConfideError(.notRunning, "group \(prefix) of party \(party) is freed") }
        if revoked.withLock({ $0 }) { throw ConfideError(.revoked, "group \(prefix) of party \(party) was revoked") }
        for m in outgoing where !(0..<members.count).contains(m.peer) || m.peer == party {
            throw ConfideError(.invalidArgument, "party \(party) of group \(prefix) cannot send tag \(m.tag) to party \(m.peer)")
        }
        for m in expecting where !(0..<members.count).contains(m.peer) || m.peer == party {
            throw ConfideError(.invalidArgument, "party \(party) of group \(prefix) cannot receive tag \(m.tag) from party \(m.peer)")
        }
        return try await parent.transfer(
            outgoing.map { OutgoingMessage(to: members[$0.peer], tag: wrap($0.tag), bytes: $0.bytes) },
            expecting: expecting.map { ExpectedMessage(from: members[$0.peer], tag: wrap($0.tag)) }, timeout: timeout)
    }

    public func statistics() -> TrafficStatistics { traffic.withLock { $0 } }

    public func nextCollectiveTag(_ kind: String) -> MessageTag {
        collectiveSequence.withLock { sequence in
            sequence += 1
            return MessageTag(kind: kind, sequence: sequence)
        }
    }

    public func failedPeers() -> Set<Int> {
        let failed = parent.failedPeers()
        return Set(members.indices.filter { failed.contains(members[$0]) })
    }

    /// Revokes the group (MPI's `MPI_Comm_revoke` for this group only): every member's pending and
    /// later calls on the group fail with `.revoked`; the parent communicator and other groups keep
    /// working. Sends a revoke notice to every member over the parent's links (no reply awaited).
    public func revoke() async {
        revoked.withLock { $0 = true }
        revokeGroupLocally("")
        let others = members.indices.filter { $0 != party }
        // comm: one notice per member, none awaited
        _ = try? await parent.transfer(
            others.map { OutgoingMessage(to: members[$0], tag: MessageTag(kind: prefix + NetMailbox.revokeNotice, sequence: 0), bytes: []) },
            expecting: [], timeout: nil)
    }

    public func revokeGroupLocally(_ inner: String) {
        parent.revokeGroupLocally(inner.isEmpty ? prefix : "\(prefix)|\(inner)")
    }

    /// Frees the group: later calls fail with `.notRunning`; the parent's links stay open.
    public func free() {
        freed.withLock { $0 = true }
    }

    private func wrap(_ tag: MessageTag) -> MessageTag {
        MessageTag(kind: "\(prefix)|\(tag.kind)", sequence: tag.sequence)
    }
}

extension NetCollectiveCommunicator {
    /// Splits the parties into groups: every party calls it (one all-to-all round); parties passing the same `name`
    /// form one new group, ranked in their current rank order; a party passing nil joins no group.
    /// - Returns: this party's group, or nil for a nil name.
    /// - Throws: `.invalidArgument` for a name longer than 255 bytes; transport errors.
    public func split(_ name: String?, timeout: Duration? = nil) async throws -> SocketGroup? {
        if let name, name.utf8.count > 255 { throw ConfideError(.invalidArgument, "split: group name longer than 255 bytes") }
        let tag = nextCollectiveTag("net.split")
        let mine: [UInt8] = name.map { [1] + Array($0.utf8) } ?? [0]
        let others = (0..<partyCount).filter { $0 != party }
        var names = try await exchange(
            others.map { OutgoingMessage(to: $0, tag: tag, bytes: mine) },
            expecting: others.map { ExpectedMessage(from: $0, tag: tag) }, timeout: timeout)
        names.insert(mine, at: party)
        guard let name else { return nil }
        let members = names.indices.filter { names[$0] == mine }
        return SocketGroup(parent: self, members: members, prefix: "split#\(tag.sequence):\(name)")
    }

    /// After failures: the surviving parties agree on a new group of the parties still alive. Every survivor calls
    /// it; each sends the set of peers it still has links to, to every such peer, and waits for theirs (up to
    /// `timeout`). The new group is this party and the peers that answered, minus any party that a responder
    /// reported dead. Like Cicada's, it cannot guarantee that every survivor ends in the same group when failures
    /// happen during the call.
    public func shrink(timeout: Duration? = nil) async throws -> SocketGroup {
        let tag = nextCollectiveTag("net.shrink")
        let failed = failedPeers()
        let alive = (0..<partyCount).filter { $0 != party && !failed.contains($0) }
        let mask = netRankMask(Set(alive + [party]), count: partyCount)
        var members = Set([party])
        var excluded = Set<Int>()
        for peer in alive {
            _ = try? await transfer([OutgoingMessage(to: peer, tag: tag, bytes: mask)], expecting: [], timeout: timeout)
        }
        for peer in alive {
            guard let answer = try? await transfer([], expecting: [ExpectedMessage(from: peer, tag: tag)], timeout: timeout).first,
                answer.count == mask.count
            else { continue }
            members.insert(peer)
            for rank in 0..<partyCount where answer[rank / 8] & (1 << (rank % 8)) == 0 { excluded.insert(rank) }
        }
        let group = members.subtracting(excluded.subtracting([party])).sorted()
        return SocketGroup(parent: self, members: group, prefix: "shrink#\(tag.sequence)")
    }
}

func netRankMask(_ ranks: Set<Int>, count: Int) -> [UInt8] {
    var mask = [UInt8](repeating: 0, count: (count + 7) / 8)
    for rank in ranks { mask[rank / 8] |= 1 << (rank % 8) }
    return mask
}
