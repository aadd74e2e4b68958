import ArgumentParser
import ConfideCore
import ConfideGraph
import ConfideMPC
import Foundation

/// `confide simulate`: runs a graph with all three parties in this process.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a compiled CipherCore graph securely with three parties in this process.",
        discussion: """
            DIR holds party0/input.txt, party1/input.txt and party2/input.txt (CipherCore's example layout): each a JSON \
            array with one typed value per Input node, real where the party owns the input and any value of the right \
            type elsewhere; secret-shared inputs are 3-tuples of which party p holds components p and p+1.
            Every party runs the graph; NOP nodes annotated Send(s, d) move values between parties over an in-process \
            network, batched into one message per peer per round.
            Output: a line `party N: <typed JSON>` per party (non-output parties print meaningless values), or with \
            --json one object {"parties":[{"party":0,"output":...},...],"rounds":R,"bytes_sent":[b0,b1,b2],"seconds":S}.
            """
    )

    @Argument(help: "Graph file: a CipherCore compiled context, JSON version 1 or 2.")
    var graph: String

    @Option(name: .shortAndLong, help: "Directory with party0/input.txt, party1/input.txt, party2/input.txt.")
    var inputs: String

    @Flag(help: "Print one JSON object with every party's output, the rounds, the bytes each party sent and the time.")
    var json = false

    func run() async throws {
        do {
            let context = try GraphFile.load(graph)
            let compiled = try GraphFile.inFile(graph) { try CompiledGraph(context) }
            guard compiled.isCompiled else {
                throw ConfideError(
                    .invalidGraph, "\(graph): the graph has no Send annotations; it is not a compiled graph (uncompiled graphs need an I/O spec)")
            }
            let partyInputs = try (0..<3).map { p in try InputFile.load(URL(fileURLWithPath: inputs).appendingPathComponent("party\(p)/input.txt").path) }
            let clock = ContinuousClock()
            let start = clock.now
            let results = try await GraphFile.inFile(graph) { try await LocalSimulation.run(compiled, inputs: partyInputs) }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if json {
                let report = JSONValue.object([
                    ("parties", .array(results.enumerated().map { p, r in .object([("party", .int(p)), ("output", r.value.typedJSON())]) })),
                    ("rounds", .int(results.map(\.traffic.rounds).max() ?? 0)),
                    ("bytes_sent", .array(results.map { .int($0.traffic.bytesSent) })),
                    ("seconds", .number(String(format: "%.6f", seconds))),
                ])
                print(report.serialized())
            } else {
                for (p, r) in results.enumerated() { print("party \(p): \(r.value.typedJSON().serialized())") }
            }
        } catch let error as ConfideError {
            throw CommandFailure(error)
        }
    }
}
