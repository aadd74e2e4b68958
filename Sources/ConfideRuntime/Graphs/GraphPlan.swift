import ConfideCore
import ConfideGraph
import ConfideMPC

/// What a party runs for one graph: a compiled CipherCore graph as is, or an uncompiled graph with
/// the secure planner and its I/O spec.
public enum GraphPlan: Sendable {
    case compiled(CompiledGraph)
    case secure(SecureProgram)

    /// Plans a context: with an I/O spec through the secure planner, without one as a compiled graph.
    /// - Throws: `.invalidGraph` for an uncompiled graph without a spec; the planner's errors.
    public init(_ context: Context, spec: IOSpec?) throws {
        if let spec {
            self = .secure(try SecureProgram(context, spec: spec))
            return
        }
        let compiled = try CompiledGraph(context)
        guard compiled.isCompiled else {
            throw ConfideError(
                .invalidGraph,
                "the graph has no Send annotations; it is not a compiled graph (give the input and output parties to run it with the secure planner)")
        }
        self = .compiled(compiled)
    }

    /// The types each party's data must provide, in input order: the graph's input types, with a
    /// secret-shared input of the planner as a CipherCore 3-tuple of shares.
    public var inputTypes: [ValueType] {
        switch self {
        case let .compiled(graph): return graph.inputTypes
        case let .secure(program):
            return zip(program.inputTypes, program.spec.inputs).map { type, input in input == .secretShared ? .tuple([type, type, type]) : type }
        }
    }

    /// Runs all three parties in this process over a ``LocalNetwork``.
    public func runInProcess(_ inputs: [[Value]]) async throws -> (outputs: [Value?], traffic: [TrafficStatistics]) {
        switch self {
        case let .compiled(graph):
            let results = try await LocalSimulation.run(graph, inputs: inputs)
            return (results.map(\.value), results.map(\.traffic))
        case let .secure(program):
            let results = try await LocalSimulation.run(program, inputs: inputs)
            return (results.map(\.value), results.map(\.traffic))
        }
    }

    /// Runs one party over `communicator`; the traffic excludes the ABY3 key set-up, as in process.
    ///
    /// Collective: the three parties call this with the same plan over one session's communicators.
    /// - Returns: this party's output (nil for a party that receives none) and its traffic.
    /// - Throws: the communicator's errors (`.timeout`, `.peerFailure`) and the plan's input errors.
    public func runParty(
        _ party: Int, inputs: [Value], communicator: any Communicator, timeout: Duration? = nil
    ) async throws -> (output: Value?, traffic: TrafficStatistics) {
        switch self {
        case let .compiled(graph):
            let value = try await graph.run(party: party, inputs: inputs, communicator: communicator, timeout: timeout)
            return (value, communicator.statistics())
        case let .secure(program):
            let aby3 = try await ABY3Party.setUp(communicator, timeout: timeout)
            let before = communicator.statistics()
            let value = try await program.run(party: aby3, inputs: inputs)
            return (value, communicator.statistics().since(before))
        }
    }
}
