import ArgumentParser
import ConfideCore
import ConfideGraph
import ConfideMPC
import ConfideRuntime
import Foundation
import Synchronization

/// `confide run`: the orchestrator — registers a graph on the three compute nodes, runs a session
/// and reports where each party's result went.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a graph on three compute nodes (the orchestrator).",
        discussion: """
            Connects to the three compute nodes (retrying with back-off while they start), registers the graph, creates a \
            session whose parties fetch their inputs from their data nodes under --data-key, shows progress, finishes \
            the session and prints where each party's result went. A compiled CipherCore graph is sent as is; an \
            uncompiled graph needs --input-parties and --output-parties (the words of `confide simulate`).
            Examples:
              confide run graph.json --config deployment.yaml
              confide run graph.json --nodes localhost:4203,localhost:4213,localhost:4223 --ca creds/ca.pem \\
                --cert creds/orchestrator_cert.pem --key creds/orchestrator_key.pem
            """
    )

    @Argument(help: "The graph JSON file (CipherCore context, version 1 or 2).")
    var graph: String

    @OptionGroup var runtime: RuntimeOptions

    @Option(name: .long, help: "The three compute nodes, HOST:PORT in party order (default: from --config).")
    var nodes: String?

    @Option(name: .customLong("input-parties"), help: "For an uncompiled graph: who provides each input (0,1,2, public, secret-shared).")
    var inputParties: String?

    @Option(name: .customLong("output-parties"), help: "For an uncompiled graph: who receives the output (parties, public or secret-shared).")
    var outputParties: String?

    @Option(name: .customLong("data-key"), help: "The data key each party's data node serves the inputs under (one, or three comma-separated).")
    var dataKey: String?

    @Option(name: .long, help: "The session id (default: a new UUID).")
    var session: String?

    @Option(name: .long, help: "Seconds to wait for the session to end.")
    var timeout: Int?

    @Option(name: .customLong("connect-timeout"), help: "Seconds to keep retrying while the compute nodes do not answer.")
    var connectTimeout: Int?

    @Option(name: .customLong("progress-delay"), help: .hidden)
    var progressDelay: Double = 2

    func run() async throws {
        let deployment = try runtime.deployment()
        let tls = try runtime.tls(deployment.orchestratorTLS)
        let endpoints = try nodes.map { text in
            try text.split(separator: ",").map { try RuntimeEndpoint(parsing: String($0), what: "--nodes") }
        } ?? deployment.parties.map(\.compute.address)
        guard endpoints.count == 3 else { throw ConfideError(.invalidArgument, "--nodes needs 3 HOST:PORT entries, found \(endpoints.count)") }
        let keys = (dataKey ?? deployment.dataKey).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard keys.count == 1 || keys.count == 3 else { throw ConfideError(.invalidArgument, "--data-key takes one key or three, found \(keys.count)") }
        let graphJSON = try graphBytes()
        let sessionID = session ?? UUID().uuidString.lowercased()
        let orchestrator = try Orchestrator(nodes: endpoints, tls: tls)
        defer { orchestrator.close() }
        try await orchestrator.connect(within: connectTimeout.map { .seconds($0) } ?? deployment.connectTimeout) { party, reason in
            FileHandle.standardError.write(Data("waiting for party \(party) at \(endpoints[party]) (\(reason))\n".utf8))
        }
        let start = ContinuousClock.now
        let shown = LastLine()
        // On a terminal: party 0's node's count of rounds and bytes (Confide's GraphAdmin.SessionProgress).
        let progress = ProgressLine.onTerminal(unless: false)
        let follower = progress.follow(after: .milliseconds(Int(max(0, progressDelay) * 1000))) {
            await orchestrator.progress(sessionID, party: 0).map { response in
                var reading = TrafficMeter.Reading()
                reading.rounds = Int(clamping: response.rounds)
                reading.bytesSent = Int(clamping: response.bytesSent)
                reading.bytesReceived = Int(clamping: response.bytesReceived)
                return (reading, response.plannedRounds > 0 ? Int(clamping: response.plannedRounds) : nil)
            }
        }
        defer {
            follower.cancel()
            progress.clear()
        }
        let outcome = try await orchestrator.run(
            graphJSON: graphJSON, graphID: UUID().uuidString.lowercased(), sessionID: sessionID, dataKeys: keys.count == 1 ? keys + keys + keys : keys,
            partyAddresses: runtime.config == nil ? nil : deployment.parties.map(\.compute.address),
            deadline: timeout.map { .seconds($0) } ?? deployment.sessionTimeout, deleteGraph: true
        ) { statuses in
            let line = statuses.enumerated().map { "party \($0.offset): \(RunCommand.word($0.element))" }.joined(separator: ", ")
            if shown.replace(line) { progress.print("session \(sessionID): \(line)") }
        }
        follower.cancel()
        progress.clear()
        print("session \(sessionID) ended after \(ContinuousClock.now - start)")
        for party in 0..<3 {
            let status = RunCommand.word(outcome.statuses[party])
            let target = runtime.config == nil ? "its result service" : "the result service at \(deployment.parties[party].results.address)"
            if outcome.statuses[party] == .finished {
                print("party \(party) (\(deployment.parties[party].name)): \(status); result in \(target) under key '\(sessionID)'")
            } else {
                print("party \(party) (\(deployment.parties[party].name)): \(status): \(outcome.messages[party])")
            }
        }
        guard outcome.succeeded else { throw ConfideError(.evaluation, "session \(sessionID) failed") }
    }

    /// The bytes to register: the file as is for a compiled graph, Confide's envelope otherwise.
    private func graphBytes() throws -> [UInt8] {
        switch (inputParties, outputParties) {
        case let (inputs?, outputs?): return try GraphFile.registrationBytes(graph, spec: try IOSpec(inputParties: inputs, outputParties: outputs))
        case (nil, nil): return try GraphFile.registrationBytes(graph, spec: nil)
        default: throw ConfideError(.invalidArgument, "--input-parties and --output-parties go together")
        }
    }

    static func word(_ status: Orchestrator.Status) -> String {
        status.rawValue
    }
}

/// The last progress line shown, so that a line is printed only when it changes.
final class LastLine: Sendable {
    private let line = Mutex("")

    /// Stores `text`; true when it differs from the previous line.
    func replace(_ text: String) -> Bool {
        line.withLock { current in
            defer { current = text }
            return current != text
        }
    }
}
