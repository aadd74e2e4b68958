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

    /// How messages name each input: `input I (node N)`, in input order.
    public var inputLabels: [String] {
        let (context, main): (Context, Int)
        switch self {
        case let .compiled(graph): (context, main) = (graph.context, graph.mainIndex)
        case let .secure(program): (context, main) = (program.context, program.mainIndex)
        }
        return context.inputLabels(graph: main)
    }

    /// Runs all three parties in this process over a ``LocalNetwork``.
    /// - Returns: each party's output, traffic and phases, in party order.
    /// - Parameter meter: counts party 0's rounds and bytes as they happen (progress lines), if given.
    public func runInProcess(_ inputs: [[Value]], meter: TrafficMeter? = nil) async throws -> (outputs: [Value?], traffic: [TrafficStatistics], phases: [SessionPhases]) {
        switch self {
        case let .compiled(graph):
            let clock = ContinuousClock()
            let start = clock.now
            let results = try await LocalSimulation.run(graph, inputs: inputs, meter: meter)
            let phases = SessionPhases(compute: clock.now - start)
            return (results.map(\.value), results.map(\.traffic), [phases, phases, phases])
        case let .secure(program):
            guard inputs.count == 3 else { throw ConfideError(.wrongInputCount, "a secure run needs the inputs of 3 parties, found \(inputs.count)") }
            let results = try await LocalSimulation.run(meter: meter) { party in
                var phases = SessionPhases()
                let value = try await program.run(party: party, inputs: inputs[party.index], phases: &phases)
                return (value, phases)
            }
            return (results.map(\.value.0), results.map(\.traffic), results.map(\.value.1))
        }
    }

    /// The rounds one party's session takes: a compiled graph's rounds, or the secure planner's
    /// upper bound (``SecureProgram/estimatedCost(injectionBits:)``, plus the key set-up); nil
    /// when the estimate fails.
    public var plannedRounds: Int? {
        switch self {
        case let .compiled(graph): return graph.rounds
        case let .secure(program): return (try? program.estimatedCost().rounds).map { $0 + ABY3Party.setUpRounds }
        }
    }

    /// Runs one party over `communicator`; the traffic excludes the ABY3 key set-up, as in process.
    ///
    /// Collective: the three parties call this with the same plan over one session's communicators.
    /// - Returns: this party's output (nil for a party that receives none), its traffic and where
    ///   its time went (the key set-up counts as sharing).
    /// - Throws: the communicator's errors (`.timeout`, `.peerFailure`) and the plan's input errors.
    public func runParty(
        _ party: Int, inputs: [Value], communicator: any Communicator, timeout: Duration? = nil
    ) async throws -> (output: Value?, traffic: TrafficStatistics, phases: SessionPhases) {
        let clock = ContinuousClock()
        let start = clock.now
        switch self {
        case let .compiled(graph):
            let value = try await graph.run(party: party, inputs: inputs, communicator: communicator, timeout: timeout)
            return (value, communicator.statistics(), SessionPhases(compute: clock.now - start))
        case let .secure(program):
            let aby3 = try await ABY3Party.setUp(communicator, timeout: timeout)
            let setUp = clock.now - start
            let before = communicator.statistics()
            var phases = SessionPhases()
            let value = try await program.run(party: aby3, inputs: inputs, phases: &phases)
            phases.share += setUp
            return (value, communicator.statistics().since(before), phases)
        }
    }
}
