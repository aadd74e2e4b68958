import ArgumentParser
import ConfideCore
import ConfideData
import ConfideGraph
import ConfideMPC
import ConfideRuntime
import Foundation

/// `confide simulate`: runs a graph with all three parties in this process.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a CipherCore graph securely with three parties in this process.",
        discussion: """
            DIR holds party0/input.txt, party1/input.txt and party2/input.txt (CipherCore's example layout): each a JSON \
            array with one typed value per Input node, real where the party owns the input and any value of the right \
            type elsewhere; secret-shared inputs are 3-tuples of which party p holds components p and p+1. Instead of \
            input.txt, a party folder may hold inputs.yaml, a manifest with one entry per input: csv: FILE (typed by \
            the graph's input; options columns, header, fractional_bits, delimiter), npy: FILE, json: FILE, or zeros \
            for an input the party does not own.
            Without --input-parties the graph must be a compiled one (CipherCore's MPC compiler output): every party runs \
            it, and NOP nodes annotated Send(s, d) move values between parties over an in-process network, batched into \
            one message per peer per round. Non-output parties print meaningless values, as in CipherCore.
            With --input-parties and --output-parties the graph is an uncompiled one (version 2, e.g. from the ciphercore \
            Python package or Confide's Swift builder) and Confide's secure planner runs it on ABY3 secret shares. SPEC \
            uses CipherCore's compiler words: one entry per input, each a party 0, 1 or 2, `public` or `secret-shared` \
            (e.g. --input-parties 0,1 or public,secret-shared); the output goes to a list of parties (--output-parties 0,1), \
            to everyone (public), or stays shared (secret-shared: each party prints its 3-tuple of shares). Parties that \
            receive no output print null.
            With --processes the parties run as three OS processes connected by the socket communicator with mutual TLS \
            (Unix sockets, or loopback TCP with --transport tcp; certificates are made for the run and deleted after it).
            Output: a line `party N: <typed JSON>` per party, or with --json one object \
            {"parties":[{"party":0,"output":...},...],"rounds":R,"bytes_sent":[b0,b1,b2],"seconds":S,"phases":{...}, \
            "peak_rss_bytes":[...]}: phases are the seconds spent reading inputs, sharing them, computing, revealing and \
            writing outputs (the slowest party's); peak_rss_bytes has one entry per process (one in process, three with \
            --processes). With --output-dir, \
            each party that receives an output writes it to DIR/partyP/output.json (or .csv, .npy: --output-format) instead.
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

    @Flag(help: "Run the three parties as separate OS processes connected by sockets with mutual TLS.")
    var processes = false

    @Option(help: "With --processes: tcp (loopback ports) or file (Unix sockets).")
    var transport = "file"

    @Option(help: "Write each party's output to DIR/partyP/output.FORMAT instead of printing it.")
    var outputDir: String?

    @Option(help: "With --output-dir: json, csv or npy.")
    var outputFormat = "json"

    @Option(help: "With --output-format csv: write numbers as fixed-point decimals x / 2^F.")
    var outputFractionalBits: Int?

    @Option(name: .customLong("progress-delay"), help: .hidden)
    var progressDelay: Double = 2

    func run() async throws {
        let plan = try SimulationPlan.make(graph: graph, inputParties: inputParties, outputParties: outputParties)
        guard let format = OutputFile.Format(rawValue: outputFormat) else {
            throw ConfideError(.invalidArgument, "--output-format must be json, csv or npy, found '\(outputFormat.prefix(40))'")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let outputs: [Value?]
        let rounds: Int
        let bytesSent: [Int]
        var phases: [String: Double] = [:]
        let peakResident: [Int]
        if processes {
            // The parties' errors already name the graph file and the party.
            // On a terminal, party 0's process reports its rounds and bytes through a small file.
            let progress = ProgressLine.onTerminal(unless: json)
            let progressFile = progress.enabled ? FileManager.default.temporaryDirectory.appendingPathComponent("confide-progress-\(UUID().uuidString)").path : nil
            let planned = plan.plannedRounds
            let follower = progress.follow(after: .milliseconds(Int(max(0, progressDelay) * 1000))) {
                guard let progressFile, let text = try? String(contentsOfFile: progressFile, encoding: .utf8) else { return nil }
                let numbers = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
                guard numbers.count == 3 else { return nil }
                var reading = TrafficMeter.Reading()
                (reading.rounds, reading.bytesSent, reading.bytesReceived) = (numbers[0], numbers[1], numbers[2])
                return (reading, planned)
            }
            defer {
                follower.cancel()
                progress.clear()
                if let progressFile { try? FileManager.default.removeItem(atPath: progressFile) }
            }
            let reports = try await ProcessSimulation.run(
                graph: graph, inputs: inputs, inputParties: inputParties, outputParties: outputParties, transport: transport,
                output: outputDir.map { ($0, format.rawValue, outputFractionalBits) }, progressFile: progressFile)
            (outputs, rounds, bytesSent) = (reports.map(\.output), reports.map(\.rounds).max() ?? 0, reports.map(\.bytesSent))
            for name in SimulationTiming.phaseNames { phases[name] = reports.map { $0.phases[name] ?? 0 }.max() ?? 0 }
            peakResident = reports.map(\.peakResidentBytes)
        } else {
            let readStart = clock.now
            let partyInputs = try (0..<3).map { p in try PartyInputs.load(folder: inputs, party: p, types: plan.inputTypes, labels: plan.inputLabels) }
            let read = clock.now - readStart
            // On a terminal, party 0's rounds and bytes as they happen (in process; the --processes parties log their own).
            let meter = TrafficMeter()
            let planned = plan.plannedRounds
            let progress = ProgressLine.onTerminal(unless: json)
            let follower = progress.follow(after: .milliseconds(Int(max(0, progressDelay) * 1000))) { (meter.reading, planned) }
            defer {
                follower.cancel()
                progress.clear()
            }
            let results = try await GraphFile.inFile(graph) { try await plan.runInProcess(partyInputs, meter: meter) }
            (outputs, rounds, bytesSent) = (results.outputs, results.traffic.map(\.rounds).max() ?? 0, results.traffic.map(\.bytesSent))
            phases = SimulationTiming.slowest(read: read, results.phases)
            peakResident = [ProcessMemory.peakResidentBytes]
        }
        let elapsed = clock.now - start
        let seconds = elapsed.seconds
        if let outputDir, !processes {
            let writeStart = clock.now
            try PartyInputs.writeOutputs(outputs, folder: outputDir, format: format, fractionalBits: outputFractionalBits)
            phases["write"] = SimulationTiming.seconds(clock.now - writeStart)
        }
        if json {
            let report = JSONValue.object([
                ("parties", .array(outputs.enumerated().map { p, v in .object([("party", .int(p)), ("output", outputDir == nil ? v?.typedJSON() ?? .null : .null)]) })),
                ("rounds", .int(rounds)),
                ("bytes_sent", .array(bytesSent.map { .int($0) })),
                ("seconds", .number(String(format: "%.6f", seconds))),
                ("phases", .object(SimulationTiming.phaseNames.map { ($0, .number(String(format: "%.6f", phases[$0] ?? 0))) })),
                ("peak_rss_bytes", .array(peakResident.map { .int($0) })),
            ])
            print(report.serialized())
        } else {
            for (p, v) in outputs.enumerated() where outputDir == nil { print("party \(p): \(v?.typedJSON().serialized() ?? "null")") }
        }
    }
}
