import ConfideCore
import ConfideNet
import ConfideRuntime
import Foundation

/// `confide simulate --processes`: the three parties as separate OS processes connected by the
/// socket communicator with mutual TLS (certificates made for the run and deleted after it).
enum ProcessSimulation {
    struct PartyReport {
        let output: Value?
        let rounds: Int
        let bytesSent: Int
        /// Seconds per phase: read, share, compute, reveal, write.
        let phases: [String: Double]
        let peakResidentBytes: Int
    }

    /// What a party prints when it cannot bind its address (`SocketCommunicator.listen`'s error).
    private static let listenFailure = "cannot listen at"

    /// Starts `confide simulate-party` three times and collects their reports.
    /// - Throws: the first failing party's error message (as `.evaluation` naming the party); `.io`
    ///   when the processes cannot be started.
    /// - Parameter output: each party writes its own output to `DIR/partyP/output.FORMAT` (and
    ///   reports none) instead of sending it back through its standard output.
    /// - Parameter progressFile: where party 0 writes its rounds and bytes as it goes, if given.
    static func run(
        graph: String, inputs: String, inputParties: String?, outputParties: String?, transport: String,
        output: (folder: String, format: String, fractionalBits: Int?)? = nil, progressFile: String? = nil
    ) async throws -> [PartyReport] {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("confide-simulate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let credentials = work.appendingPathComponent("credentials").path
        try NetCredentials.writeDeployment(to: credentials, parties: 3, hosts: ["localhost", "127.0.0.1", "::1"], days: 1, force: false)
        // Free TCP ports are chosen here and bound by the parties a moment later; if another program took
        // one in between, the run is repeated on fresh ports (twice at most).
        guard transport == "tcp" || transport == "file" else {
            throw ConfideError(.invalidArgument, "--transport must be tcp or file, found '\(transport)'")
        }
        var attempt = 0
        var reports: [PartyReport?] = []
        var failures: [String] = []
        repeat {
            attempt += 1
            let addresses =
                transport == "file"
                ? (0..<3).map { "file://" + work.appendingPathComponent("party\($0).sock").path }
                : try await NetAddress.freeLoopbackPorts(3).map { "tcp://127.0.0.1:\($0)" }
            var common = ["--addresses", addresses.joined(separator: ","), "--credentials", credentials]
            if let inputParties, let outputParties { common += ["--input-parties", inputParties, "--output-parties", outputParties] }
            if let output {
                common += ["--output-dir", output.folder, "--output-format", output.format]
                if let bits = output.fractionalBits { common += ["--output-fractional-bits", String(bits)] }
            }
            (reports, failures) = try await launch(graph: graph, inputs: inputs, common: common, progressFile: progressFile)
        } while transport == "tcp" && attempt < 3 && failures.contains { $0.contains(listenFailure) }
        if !failures.isEmpty {
            // The root cause first: a party's own error rather than the peer failures it caused.
            var cause = failures.first { $0.contains(listenFailure) } ?? failures.first { !$0.contains("peer-failure") } ?? failures[0]
            if cause.hasPrefix("Error: ") { cause.removeFirst("Error: ".count) }
            let parts = cause.split(separator: ":", maxSplits: 1)
            if parts.count == 2, !parts[0].contains(" ") {
                throw ConfideError(ConfideError.Code(String(parts[0])), parts[1].trimmingCharacters(in: .whitespaces))
            }
            throw ConfideError(.evaluation, cause)
        }
        return reports.map { $0! }
    }

    /// Runs the three parties once with `common` arguments; each party's report, or its error output.
    private static func launch(graph: String, inputs: String, common: [String], progressFile: String?) async throws -> ([PartyReport?], [String]) {
        let executable = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0])
        var processes: [ChildProcess] = []
        for party in 0..<3 {
            do {
                let progress = party == 0 ? progressFile.map { ["--progress-file", $0] } ?? [] : []
                let process = try ChildProcess(executable, ["simulate-party", graph, "--inputs", inputs, "--party", String(party)] + common + progress)
                try process.start()
                processes.append(process)
            } catch {
                for started in processes { started.kill() }
                throw ConfideError(.io, "cannot start party \(party) as a process", cause: "\(error)")
            }
        }
        // A party that cannot listen ends the attempt at once (its peers would wait for it until their set-up deadline).
        let outcomes = await withTaskGroup(of: (Int, ChildProcess.Outcome).self) { group in
            for (party, process) in processes.enumerated() { group.addTask { (party, await process.wait()) } }
            var outcomes = [ChildProcess.Outcome?](repeating: nil, count: processes.count)
            for await (party, outcome) in group {
                outcomes[party] = outcome
                if outcome.status != 0 && outcome.stderr.contains(listenFailure) { processes.forEach { $0.kill() } }
            }
            return outcomes.map { $0! }
        }
        var reports: [PartyReport?] = [nil, nil, nil]
        var failures: [String] = []
        for (party, outcome) in outcomes.enumerated() {
            let (stdout, stderr) = (outcome.stdout, outcome.stderr)
            guard outcome.status == 0 else {
                let message = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
                failures.append(message.isEmpty ? "party \(party) exited with status \(outcome.status)" : message)
                continue
            }
            let json = try JSONParser().parse(stdout)
            let output: Value? = try json["output"].flatMap { $0 == .null ? nil : try Value(typedJSON: $0) }
            var phases: [String: Double] = [:]
            for name in SimulationTiming.phaseNames {
                phases[name] = json["phases"]?[name]?.numberText.flatMap(Double.init) ?? 0
            }
            reports[party] = PartyReport(
                output: output, rounds: json["rounds"]?.integer(as: Int.self) ?? 0, bytesSent: json["bytes_sent"]?.integer(as: Int.self) ?? 0,
                phases: phases, peakResidentBytes: json["peak_rss_bytes"]?.integer(as: Int.self) ?? 0)
        }
        return (reports, failures)
    }
}
