import Testing

extension CommunicatorContract {
    /// One check of the contract, so that a transport's suite runs them all as one parameterized
    /// test (each reported by its name).
    public enum Check: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case ranks, payloadsArriveIntactInExpectedOrder, tagsAreKeptApart, invalidPeersAreRefused, statisticsMatchTraffic
        case silentPeerTimesOut, closedPeerFailsWaiter, deadPeerFailsWaiter, closeFailsExchanges

        public var testDescription: String { rawValue }
    }

    /// Runs `check` on a fresh trio from `make`.
    public static func run(_ check: Check, _ make: Factory, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        switch check {
        case .ranks: try await checkRanks(make, sourceLocation: sourceLocation)
        case .payloadsArriveIntactInExpectedOrder: try await checkPayloadsArriveIntactInExpectedOrder(make, sourceLocation: sourceLocation)
        case .tagsAreKeptApart: try await checkTagsAreKeptApart(make, sourceLocation: sourceLocation)
        case .invalidPeersAreRefused: try await checkInvalidPeersAreRefused(make, sourceLocation: sourceLocation)
        case .statisticsMatchTraffic: try await checkStatisticsMatchTraffic(make, sourceLocation: sourceLocation)
        case .silentPeerTimesOut: try await checkSilentPeerTimesOut(make, sourceLocation: sourceLocation)
        case .closedPeerFailsWaiter: try await checkPeerEnd(.close, make, sourceLocation: sourceLocation)
        case .deadPeerFailsWaiter: try await checkPeerEnd(.death, make, sourceLocation: sourceLocation)
        case .closeFailsExchanges: try await checkCloseFailsExchanges(make, sourceLocation: sourceLocation)
        }
    }
}
