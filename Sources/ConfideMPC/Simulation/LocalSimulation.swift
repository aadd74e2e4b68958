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
    ///   - body: the program of one party (the same program on every party).
    /// - Throws: the first party's error.
    public static func run<T: Sendable>(
        timeout: Duration = .seconds(60), _ body: @escaping @Sendable (ABY3Party) async throws -> T
    ) async throws -> [PartyResult<T>] {
        let network = LocalNetwork(partyCount: 3, defaultTimeout: timeout)
        return try await withThrowingTaskGroup(of: (Int, PartyResult<T>).self) { group in
            for index in 0..<3 {
                let communicator = try network.communicator(for: index)
                group.addTask {
                    do {
                        let party = try await ABY3Party.setUp(communicator, timeout: timeout)
                        let before = communicator.statistics()
                        let value = try await body(party)
                        return (index, PartyResult(value: value, traffic: communicator.statistics().since(before)))
                    } catch {
                        await network.close(reason: "party \(index) failed")
                        throw error
                    }
                }
            }
            var results = [PartyResult<T>?](repeating: nil, count: 3)
            for try await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
    }
}
