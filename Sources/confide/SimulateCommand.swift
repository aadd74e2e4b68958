import ArgumentParser
import ConfideCore
import ConfideGraph
import ConfideMPC
import Foundation

/// `confide simulate`: runs a graph with all three parties in this process.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a CipherCore graph securely with three parties in this process.",
        discussion: """
            DIR holds party0/input.txt, party1/input.txt and party2/input.txt (CipherCore's example layout): each a JSON \
            array with one typed value per Input node, real where the party owns the input and any value of the right \
            type elsewhere; secret-shared inputs are 3-tuples of which party p holds components p and p+1.
            Without --input-parties the graph must be a compiled one (CipherCore's MPC compiler output): every party runs \
            it, and NOP nodes annotated Send(s, d) move values between parties over an in-process network, batched into \
            one message per peer per round. Non-output parties print meaningless values, as in CipherCore.
            With --input-parties and --output-parties the graph is an uncompiled one (version 2, e.g. from the ciphercore \
            Python package or Confide's Swift builder) and Confide's secure planner runs it on ABY3 secret shares. SPEC \
            uses CipherCore's compiler words: one entry per input, each a party 0, 1 or 2, `public` or `secret-shared` \
            (e.g. --input-parties 0,1 or public,secret-shared); the output goes to a list of parties (--output-parties 0,1), \
            to everyone (public), or stays shared (secret-shared: each party prints its 3-tuple of shares). Parties that \
            receive no output print null.
            Output: a line `party N: <typed JSON>` per party, or with --json one object \
            {"parties":[{"party":0,"output":...},...],"rounds":R,"bytes_sent":[b0,b1,b2],"seconds":S}.
            """
    )

    @Argument(help: "Graph file: a CipherCore context, JSON version 1 or 2 (compiled, or uncompiled with an I/O spec).")
    var graph: String

    @Option(name: .shortAndLong, help: "Directory with party0/input.txt, party1/input.txt, party2/input.txt.")
    var inputs: String

    @Option(help: "For an uncompiled graph: who provides each input (0|1|2|public|secret-shared, comma-separated).")
    var inputParties: String?

    @Option(help: "For an uncompiled graph: who receives the output (parties like 0,1, or public, or secret-shared).")
    var outputParties: String?

    @Flag(help: "Print one JSON object with every party's output, the rounds, the bytes each party sent and the time.")
    var json = false

    func run() async throws {
        do {
            let context = try GraphFile.load(graph)
            let partyInputs = try (0..<3).map { p in try InputFile.load(URL(fileURLWithPath: inputs).appendingPathComponent("party\(p)/input.txt").path) }
            let clock = ContinuousClock()
            let start = clock.now
            let outputs: [Value?]
            let traffic: [TrafficStatistics]
            switch (inputParties, outputParties) {
            case let (inputSpec?, outputSpec?):
                let spec = try IOSpec(inputParties: inputSpec, outputParties: outputSpec)
                let program = try GraphFile.inFile(graph) { try SecureProgram(context, spec: spec) }
                let results = try await GraphFile.inFile(graph) { try await LocalSimulation.run(program, inputs: partyInputs) }
                (outputs, traffic) = (results.map(\.value), results.map(\.traffic))
            case (nil, nil):
                let compiled = try GraphFile.inFile(graph) { try CompiledGraph(context) }
                guard compiled.isCompiled else {
                    throw ConfideError(
                        .invalidGraph,
                        "\(graph): the graph has no Send annotations; it is not a compiled graph (give --input-parties and --output-parties to run it with the secure planner)")
                }
                let results = try await GraphFile.inFile(graph) { try await LocalSimulation.run(compiled, inputs: partyInputs) }
                (outputs, traffic) = (results.map(\.value), results.map(\.traffic))
            default:
                throw ConfideError(.invalidArgument, "--input-parties and --output-parties go together")
            }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if json {
                let report = JSONValue.object([
                    ("parties", .array(outputs.enumerated().map { p, v in .object([("party", .int(p)), ("output", v?.typedJSON() ?? .null)]) })),
                    ("rounds", .int(traffic.map(\.rounds).max() ?? 0)),
                    ("bytes_sent", .array(traffic.map { .int($0.bytesSent) })),
                    ("seconds", .number(String(format: "%.6f", seconds))),
                ])
                print(report.serialized())
            } else {
                for (p, v) in outputs.enumerated() { print("party \(p): \(v?.typedJSON().serialized() ?? "null")") }
            }
        } catch let error as ConfideError {
            throw CommandFailure(error)
        }
    }
}
