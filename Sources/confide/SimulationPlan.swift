import ConfideCore
import ConfideGraph
import ConfideMPC

/// What `confide simulate` runs: a compiled graph as is, or an uncompiled one with the secure planner.
enum SimulationPlan: Sendable {
    case compiled(CompiledGraph)
    case secure(SecureProgram)

    /// Loads and checks a graph and its I/O spec.
    /// - Throws: the graph's errors prefixed with its path; `.invalidArgument` when only one of the
    ///   specs is given; `.invalidGraph` for an uncompiled graph without a spec.
    static func make(graph path: String, inputParties: String?, outputParties: String?) throws -> SimulationPlan {
        let context = try GraphFile.load(path)
        switch (inputParties, outputParties) {
        case let (inputSpec?, outputSpec?):
            let spec = try IOSpec(inputParties: inputSpec, outputParties: outputSpec)
            return .secure(try GraphFile.inFile(path) { try SecureProgram(context, spec: spec) })
        case (nil, nil):
            let compiled = try GraphFile.inFile(path) { try CompiledGraph(context) }
            guard compiled.isCompiled else {
                throw ConfideError(
                    .invalidGraph,
                    "\(path): the graph has no Send annotations; it is not a compiled graph (give --input-parties and --output-parties to run it with the secure planner)"
                )
            }
            return .compiled(compiled)
        default:
            throw ConfideError(.invalidArgument, "--input-parties and --output-parties go together")
        }
    }

    /// Runs all three parties in this process.
    func runInProcess(_ inputs: [[Value]]) async throws -> (outputs: [Value?], traffic: [TrafficStatistics]) {
        switch self {
        case let .compiled(graph):
            let results = try await LocalSimulation.run(graph, inputs: inputs)
            return (results.map(\.value), results.map(\.traffic))
        case let .secure(program):
            let results = try await LocalSimulation.run(program, inputs: inputs)
            return (results.map(\.value), results.map(\.traffic))
        }
    }

    /// Runs one party over `communicator`; the traffic excludes the ABY3 key set-up, as in-process.
    func runParty(_ party: Int, inputs: [Value], communicator: any Communicator) async throws -> (output: Value?, traffic: TrafficStatistics) {
        switch self {
        case let .compiled(graph):
            let value = try await graph.run(party: party, inputs: inputs, communicator: communicator)
            return (value, communicator.statistics())
        case let .secure(program):
            let aby3 = try await ABY3Party.setUp(communicator)
            let before = communicator.statistics()
            let value = try await program.run(party: aby3, inputs: inputs)
            return (value, communicator.statistics().since(before))
        }
    }
}
