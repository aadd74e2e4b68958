/// A ``Communicator`` that reports every completed round to `observe` (metrics, a
/// ``TrafficMeter``) and otherwise behaves as `base`.
public struct ObservedCommunicator: Communicator {
    public let base: any Communicator
    public let observe: @Sendable ([OutgoingMessage], [ExpectedMessage], [[UInt8]]) -> Void

    public init(_ base: any Communicator, observe: @escaping @Sendable ([OutgoingMessage], [ExpectedMessage], [[UInt8]]) -> Void) {
        self.base = base
        self.observe = observe
    }

    public var party: Int { base.party }
    public var partyCount: Int { base.partyCount }

    public func exchange(_ outgoing: [OutgoingMessage], expecting: [ExpectedMessage], timeout: Duration?) async throws -> [[UInt8]] {
        let replies = try await base.exchange(outgoing, expecting: expecting, timeout: timeout)
        observe(outgoing, expecting, replies)
        return replies
    }

    public func statistics() -> TrafficStatistics { base.statistics() }
}
