import ArgumentParser
import ConfideCore
import ConfideData
import ConfideRuntime
import ConfideMPC
import ConfideNet
import Foundation

/// `confide simulate-party`: one party of `confide simulate --processes` (started by it, not by users).
struct SimulatePartyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate-party",
        abstract: "Run one party of `confide simulate --processes` (started by simulate).",
        shouldDisplay: false
    )

    @Argument(help: "Graph file.")
    var graph: String

    @Option(help: "Directory with party0/input.txt, party1/input.txt, party2/input.txt.")
    var inputs: String

    @Option(help: "This party's rank.")
    var party: Int

    @Option(help: "The three parties' addresses, comma-separated (tcp://HOST:PORT or file:///path).")
    var addresses: String

    @Option(help: "Directory with ca.pem and party{p}/cert.pem, party{p}/key.pem.")
    var credentials: String

    @Option var inputParties: String?
    @Option var outputParties: String?
    @Option var outputDir: String?
    @Option var outputFormat = "json"
    @Option var outputFractionalBits: Int?
    /// Where this party writes `ROUNDS SENT RECEIVED` every quarter second (the parent's progress line).
    @Option(help: .hidden) var progressFile: String?

    func run() async throws {
        do {
            let plan = try SimulationPlan.make(graph: graph, inputParties: inputParties, outputParties: outputParties)
            let clock = ContinuousClock()
            let readStart = clock.now
            let partyInputs = try PartyInputs.load(folder: inputs, party: party, types: plan.inputTypes, labels: plan.inputLabels)
            let read = clock.now - readStart
            let parsed = try addresses.split(separator: ",").map { try NetAddress(String($0)) }
            let identity = try NetIdentity.load(directory: credentials, party: party)
            let communicator = try await SocketCommunicator.direct(party: party, addresses: parsed, security: .mutualTLS(identity))
            let meter = TrafficMeter()
            let observed = ObservedCommunicator(communicator) { outgoing, expected, replies in meter.record(outgoing, expected, replies) }
            let reporter = Task {
                guard let progressFile else { return }
                while !Task.isCancelled {
                    let reading = meter.reading
                    try? "\(reading.rounds) \(reading.bytesSent) \(reading.bytesReceived)\n".write(toFile: progressFile, atomically: true, encoding: .utf8)
                    try? await Task.sleep(for: .milliseconds(250))
                }
            }
            defer { reporter.cancel() }
            let result: (output: Value?, traffic: TrafficStatistics, phases: SessionPhases)
            do {
                result = try await GraphFile.inFile(graph) { try await plan.runParty(party, inputs: partyInputs, communicator: observed) }
            } catch {
                await communicator.close()
                throw error
            }
            await communicator.close()
            var write = Duration.zero
            var shown = result.output?.typedJSON() ?? .null
            if let outputDir {
                guard let format = OutputFile.Format(rawValue: outputFormat) else {
                    throw ConfideError(.invalidArgument, "--output-format must be json, csv or npy, found '\(outputFormat.prefix(40))'")
                }
                let writeStart = clock.now
                var outputs = [Value?](repeating: nil, count: 3)
                outputs[party] = result.output
                try PartyInputs.writeOutputs(outputs, folder: outputDir, format: format, fractionalBits: outputFractionalBits)
                write = clock.now - writeStart
                shown = .null
            }
            let line = JSONValue.object([
                ("party", .int(party)), ("output", shown), ("rounds", .int(result.traffic.rounds)),
                ("bytes_sent", .int(result.traffic.bytesSent)),
                ("phases", SimulationTiming.json(read: read, result.phases, write: write)),
                ("peak_rss_bytes", .int(ProcessMemory.peakResidentBytes)),
            ])
            print(line.serialized())
        } catch let error as ConfideError {
            throw error.message.contains("party \(party)") ? error : error.prefixed("party \(party)")
        }
    }
}
