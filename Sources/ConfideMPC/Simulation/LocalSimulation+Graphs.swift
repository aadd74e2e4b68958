import ConfideCore

extension LocalSimulation {
    /// Runs a compiled graph with its three parties as concurrent tasks over a ``LocalNetwork``.
    /// - Parameters:
    ///   - graph: the planned graph.
    ///   - inputs: each party's inputs (`inputs[p]`), as ``CompiledGraph/run(party:inputs:communicator:random:timeout:)`` takes them.
    ///   - timeout: how long a round waits for peers.
    ///   - meter: counts party 0's rounds and bytes as they happen, if given.
    /// - Returns: each party's output value and traffic, in party order.
    /// - Throws: `.wrongInputCount` unless there are three input lists; the first party's error
    ///   (the network is closed when a party fails, so the others stop at once).
    public static func run(
        _ graph: CompiledGraph, inputs: [[Value]], timeout: Duration = .seconds(60), meter: TrafficMeter? = nil
    ) async throws -> [PartyResult<Value>] {
        guard inputs.count == 3 else { throw ConfideError(.wrongInputCount, "a compiled graph needs the inputs of 3 parties, found \(inputs.count)") }
        let network = LocalNetwork(partyCount: 3, defaultTimeout: timeout)
        return try await runParties(network) { party, local in
            let communicator = metered(local, meter: party == 0 ? meter : nil)
            let value = try await graph.run(party: party, inputs: inputs[party], communicator: communicator)
            return PartyResult(value: value, traffic: communicator.statistics())
        }
    }
}

extension LocalSimulation {
    /// Runs an uncompiled graph with the secure planner, three parties in this process.
    /// - Parameters:
    ///   - program: the planned graph and I/O spec.
    ///   - inputs: each party's inputs (`inputs[p]`), as ``SecureProgram/run(party:inputs:)`` takes them.
    ///   - timeout: how long a round waits for peers.
    /// - Returns: each party's output (nil where the party receives none) and traffic, in party order.
    /// - Throws: `.wrongInputCount` unless there are three input lists; the first party's error.
    public static func run(_ program: SecureProgram, inputs: [[Value]], timeout: Duration = .seconds(60)) async throws -> [PartyResult<Value?>] {
        guard inputs.count == 3 else { throw ConfideError(.wrongInputCount, "a secure run needs the inputs of 3 parties, found \(inputs.count)") }
        return try await run(timeout: timeout) { party in try await program.run(party: party, inputs: inputs[party.index]) }
    }
}
