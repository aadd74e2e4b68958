import ArgumentParser
import ConfideCore
import ConfideGraph
import ConfideMPC

/// `confide demo`: the main job on its embedded default — CipherCore's command-line examples, run
/// securely by three ABY3 parties on this machine and checked against the plaintext evaluator.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run CipherCore's command-line examples securely with three parties on this machine.",
        discussion: """
            Each example (matrix multiplication, millionaires, minimum, sort) is built as an uncompiled graph, given \
            CipherCore's inputs and I/O parties, planned onto ABY3 secret shares and run by three parties over an \
            in-process network. The output parties' results are checked against the plaintext evaluator.
            """
    )

    /// CipherCore's I/O parties for its command-line examples.
    static let specs: [String: IOSpec] = [
        "matrix-multiplication": IOSpec(inputs: [.party(1), .party(2)], output: .parties([0])),
        "millionaires": IOSpec(inputs: [.party(0), .party(1)], output: .parties([0, 1])),
        "minimum": IOSpec(inputs: [.party(0)], output: .parties([1])),
        "sort": IOSpec(inputs: [.party(0)], output: .parties([1])),
    ]

    func run() async throws {
        do {
            for name in ExampleGraphs.names {
                let context = try ExampleGraphs.make(name)
                let inputs = try Value.typedValues(fromJSONText: ExampleGraphs.defaultInputs(name))
                let expected = try Evaluator().evaluate(context, inputs: inputs)
                let spec = Self.specs[name]!
                let program = try SecureProgram(context, spec: spec)
                let partyInputs: [[Value]] = (0..<3).map { party in
                    inputs.enumerated().map { i, value in spec.inputs[i] == .party(party) ? value : .zeros(value.type) }
                }
                let results = try await LocalSimulation.run(program, inputs: partyInputs)
                let receivers = results.indices.filter { results[$0].value != nil }
                guard !receivers.isEmpty, receivers.allSatisfy({ results[$0].value == expected }) else {
                    throw ConfideError(.evaluation, "\(name): the secure result differs from the plaintext evaluator's")
                }
                let rounds = results.map(\.traffic.rounds).max() ?? 0
                let bytes = results.map(\.traffic.bytesSent)
                print("\(name): inputs from parties \(spec.inputs.map(\.description).joined(separator: ", ")), output to \(spec.output)")
                print("  party \(receivers.map(String.init).joined(separator: ", ")) got \(expected.type) = \(ReadableJSON.format(expected.typedJSON()["value"] ?? .null))")
                print("  \(rounds) rounds, bytes sent by parties 0, 1, 2: \(bytes.map(String.init).joined(separator: ", ")); matches the plaintext evaluator")
            }
        } catch let error as ConfideError {
            throw CommandFailure(error)
        }
    }
}
