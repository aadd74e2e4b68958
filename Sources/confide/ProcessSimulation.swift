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
    }

    /// Starts `confide simulate-party` three times and collects their reports.
    /// - Throws: the first failing party's error message (as `.evaluation` naming the party); `.io`
    ///   when the processes cannot be started.
    static func run(
        graph: String, inputs: String, inputParties: String?, outputParties: String?, transport: String
    ) async throws -> [PartyReport] {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("confide-simulate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let credentials = work.appendingPathComponent("credentials").path
        try NetCredentials.writeDeployment(to: credentials, parties: 3, hosts: ["localhost", "127.0.0.1", "::1"], days: 1, force: false)
        let addresses: [String]
        switch transport {
        case "file": addresses = (0..<3).map { "file://" + work.appendingPathComponent("party\($0).sock").path }
        case "tcp": addresses = try await NetAddress.freeLoopbackPorts(3).map { "tcp://127.0.0.1:\($0)" }
        default: throw ConfideError(.invalidArgument, "--transport must be tcp or file, found '\(transport)'")
        }
        let executable = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0])
        var processes: [ChildProcess] = []
        for party in 0..<3 {
            var arguments = ["simulate-party", graph, "--inputs", inputs, "--party", String(party), "--addresses", addresses.joined(separator: ","),
                "--credentials", credentials]
            if let inputParties, let outputParties { arguments += ["--input-parties", inputParties, "--output-parties", outputParties] }
            do {
                let process = try ChildProcess(executable, arguments)
                try process.start()
                processes.append(process)
            } catch {
                for started in processes { started.kill() }
                throw ConfideError(.io, "cannot start party \(party) as a process", cause: "\(error)")
            }
        }
        var reports: [PartyReport?] = [nil, nil, nil]
        var failures: [String] = []
        for (party, process) in processes.enumerated() {
            let outcome = await process.wait()
            let (stdout, stderr) = (outcome.stdout, outcome.stderr)
            guard outcome.status == 0 else {
                let message = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
                failures.append(message.isEmpty ? "party \(party) exited with status \(outcome.status)" : message)
                continue
            }
            let json = try JSONParser().parse(stdout)
            let output: Value? = try json["output"].flatMap { $0 == .null ? nil : try Value(typedJSON: $0) }
            reports[party] = PartyReport(
                output: output, rounds: json["rounds"]?.integer(as: Int.self) ?? 0, bytesSent: json["bytes_sent"]?.integer(as: Int.self) ?? 0)
        }
        if !failures.isEmpty {
            // The root cause first: a party's own error rather than the peer failures it caused.
            var cause = failures.first { !$0.contains("peer-failure") } ?? failures[0]
            if cause.hasPrefix("Error: ") { cause.removeFirst("Error: ".count) }
            let parts = cause.split(separator: ":", maxSplits: 1)
            if parts.count == 2, !parts[0].contains(" ") {
                throw ConfideError(ConfideError.Code(String(parts[0])), parts[1].trimmingCharacters(in: .whitespaces))
            }
            throw ConfideError(.evaluation, cause)
        }
        return reports.map { $0! }
    }
}
