import ConfideCore

/// Runs the three parties of an ABY3 session as concurrent tasks in this process, over a
/// ``LocalNetwork``: the mode of tests, `confide simulate` and benchmarks.
public enum LocalSimulation {
    /// What one party returned and the traffic it counted.
    public struct PartyResult<T: Sendable>: Sendable {
        public let value: T
        public let traffic: TrafficStatistics
    }

    /// Sets up three parties and runs `body` on each; returns the results in party order.
    ///
    /// When one party throws, the network is closed so the others fail at once instead of
    /// waiting for timeouts, and the first error is rethrown.
    /// - Parameters:
    ///   - timeout: how long a round waits for peers.
    ///   - meter: counts party 0's rounds and bytes as they happen (progress lines), if given.
    ///   - body: the program of one party (the same program on every party).
    /// - Throws: the first party's error.
    public static func run<T: Sendable>(
        timeout: Duration = .seconds(60), meter: TrafficMeter? = nil, _ body: @escaping @Sendable (ABY3Party) async throws -> T
    ) async throws -> [PartyResult<T>] {
        let network = LocalNetwork(partyCount: 3, defaultTimeout: timeout)
        return try await runParties(network) { index, local in
            let communicator = metered(local, meter: index == 0 ? meter : nil)
            let party = try await ABY3Party.setUp(communicator, timeout: timeout)
            let before = communicator.statistics()
            let value = try await body(party)
            return PartyResult(value: value, traffic: communicator.statistics().since(before))
        }
    }

    /// `communicator`, reporting its rounds to `meter` when there is one.
    static func metered(_ communicator: any Communicator, meter: TrafficMeter?) -> any Communicator {
        guard let meter else { return communicator }
        return ObservedCommunicator(communicator) { outgoing, expected, replies in meter.record(outgoing, expected, replies) }
    }

    /// Runs one task per party; when a party fails, closes the network so the others stop at once,
    /// and rethrows the root cause: the first error that is not a consequence of the closing.
    static func runParties<T: Sendable>(
        _ network: LocalNetwork, _ body: @escaping @Sendable (Int, LocalCommunicator) async throws -> PartyResult<T>
    ) async throws -> [PartyResult<T>] {
        let communicators = try (0..<network.partyCount).map { try network.communicator(for: $0) }
        let outcomes = await withTaskGroup(of: (Int, Result<PartyResult<T>, any Error>).self) { group in
            for (index, communicator) in communicators.enumerated() {
                group.addTask {
                    do {
                        return (index, .success(try await body(index, communicator)))
                    } catch {
                        await network.close(reason: "party \(index) failed")
                        return (index, .failure(error))
                    }
                }
            }
            var outcomes = [Result<PartyResult<T>, any Error>?](repeating: nil, count: network.partyCount)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes.map { $0! }
        }
        var errors: [any Error] = []
        for outcome in outcomes { if case let .failure(error) = outcome { errors.append(error) } }
        if let first = errors.first {
            throw errors.first(where: { ($0 as? ConfideError)?.code != .peerFailure }) ?? first
        }
        return try outcomes.map { try $0.get() }
    }
}
