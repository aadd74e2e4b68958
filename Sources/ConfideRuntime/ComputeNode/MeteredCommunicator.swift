import ConfideMPC

/// A session's ``Communicator`` that counts every completed round in the node's metrics as it
/// happens (rounds and bytes per peer), so `/metrics` moves while a long session runs.
struct MeteredCommunicator: Communicator {
    let base: any Communicator
    let metrics: ComputeNodeMetrics

    var party: Int { base.party }
    var partyCount: Int { base.partyCount }

    func exchange(_ outgoing: [OutgoingMessage], expecting: [ExpectedMessage], timeout: Duration?) async throws -> [[UInt8]] {
        let replies = try await base.exchange(outgoing, expecting: expecting, timeout: timeout)
        metrics.round(outgoing, expecting, replies)
        return replies
    }

    func statistics() -> TrafficStatistics { base.statistics() }
}
