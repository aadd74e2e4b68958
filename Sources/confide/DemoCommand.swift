import ArgumentParser
import ConfideCore
import ConfideData
import ConfideGraph
import ConfideMPC
import ConfideNet
import ConfideRuntime
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `confide demo`: the main job on its embedded default — a whole deployment on this machine.
/// Credentials are made in a temporary folder, three data nodes and three compute nodes start as
/// child processes on loopback with mutual TLS, and the orchestrator runs CipherCore's two
/// millionaires graph (compiled) and the median of its secret-shared example (uncompiled, planned).
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a whole Confide deployment on this machine: 3 data nodes, 3 compute nodes, 2 examples.",
        discussion: """
            Makes a CA and certificates in a temporary folder, starts `confide data-node` and `confide node` for each \
            party as child processes on loopback ports (mutual TLS everywhere), then acts as the orchestrator: runs \
            CipherCore's compiled two-millionaires graph and the median of CipherCore's secret-shared example, prints \
            each party's result, and stops everything. --keep leaves the folder (configuration, logs, results).
            """
    )

    @Flag(name: .long, help: "Keep the temporary folder (deployment file, credentials, logs, results).")
    var keep = false

    @Option(name: .customLong("log-format"), help: "The nodes' log lines (in the folder's logs/): text (default) or json.")
    var logFormat: LogFormat = .text

    func run() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("confide-demo-\(UUID().uuidString.prefix(8))").path
        let children = ChildProcesses()
        do {
            try await runDemo(work: work, children: children)
            await children.stopAll()
            if keep { print("kept \(work)") } else { try? FileManager.default.removeItem(atPath: work) }
        } catch let error as ConfideError {
            await children.stopAll()
            for child in await children.exited() where child.status != 0 && child.status != 15 {
                FileHandle.standardError.write(Data("\(child.name) exited with status \(child.status):\n\(ChildProcesses.tail(child.log))\n".utf8))
            }
            FileHandle.standardError.write(Data("the demo's folder (logs, results) is kept at \(work)\n".utf8))
            throw error
        }
    }

    private func runDemo(work: String, children: ChildProcesses) async throws {
        let start = ContinuousClock.now
        let resources = try DemoCommand.resources()
        try FileManager.default.createDirectory(atPath: work + "/logs", withIntermediateDirectories: true)
        try NetCredentials.writeDeployment(to: work + "/credentials", parties: 3, hosts: ["localhost", "127.0.0.1", "::1"], days: 1, force: false)
        let ports = try await NetAddress.freeLoopbackPorts(12)
        let file = work + "/deployment.yaml"
        try DemoCommand.deploymentYAML(ports: ports, resources: resources).write(toFile: file, atomically: true, encoding: .utf8)
        let deployment = try DeploymentConfig(file: file)
        print("deployment in \(work): a CA and certificates for 3 parties (partyN, partyN-data) and the orchestrator")
        let millionairesGraph = try DemoCommand.bytes(resources + "/two_millionaires/graph.json")
        let medianGraph = try GraphEnvelope(context: try ExampleGraphs.make("median"), spec: try IOSpec(inputParties: "secret-shared", outputParties: "0")).bytes()
        let approvals = [
            try GraphApproval.make(bytes: millionairesGraph, name: "two_millionaires/graph.json", outputParties: [0, 1], dataKeys: ["millionaires"]),
            try GraphApproval.make(bytes: medianGraph, name: "median", outputParties: nil, dataKeys: ["median"]),
        ]
        try FileManager.default.createDirectory(atPath: work + "/policies", withIntermediateDirectories: true)
        for p in 0..<3 { try ApprovalPolicy(file: work + "/policies/party\(p).yaml", approvals: approvals).write() }
        print("each party approved two graphs (policies/partyP.yaml, as confide approve writes them):")
        for approval in approvals { print("  \(approval.name): \(approval.reveals)") }

        for p in 0..<3 {
            try children.start("data node \(p)", ["data-node", "--config", file, "--party", "party\(p)", "--log-format", logFormat.rawValue], log: work + "/logs/party\(p)-data.log")
        }
        for p in 0..<3 {
            try children.start("compute node \(p)", ["node", "--config", file, "--party", "party\(p)", "--log-format", logFormat.rawValue], log: work + "/logs/party\(p).log")
        }
        print("started 3 data nodes and 3 compute nodes (ports \(ports.prefix(9).map(String.init).joined(separator: ", ")); metrics on \(ports.suffix(3).map(String.init).joined(separator: ", ")))")
        let orchestrator = try Orchestrator(nodes: deployment.parties.map(\.compute.address), tls: deployment.orchestratorTLS)
        defer { orchestrator.close() }
        try await orchestrator.connect(within: .seconds(30)) { _, _ in
            if let dead = children.stopped.first { FileHandle.standardError.write(Data("\(dead) exited early\n".utf8)) }
        }

        print("\ntwo millionaires (CipherCore's compiled graph, 9276 nodes): party 0 has 3000, party 1 has 2000 — is party 0 richer?")
        let millionaires = try await orchestrator.run(
            graphJSON: millionairesGraph, graphID: "two-millionaires", sessionID: "two-millionaires",
            dataKeys: ["millionaires", "millionaires", "millionaires"], deadline: .seconds(120))
        try DemoCommand.check(millionaires)
        for p in 0..<3 {
            let result = try ResultStore(folder: deployment.parties[p].output).load(key: "two-millionaires")
            let bit = result.value?.tensor?.residue(at: 0)
            switch p {
            case 2: print("  party 2: \(bit.map(String.init) ?? "none") — not entitled to the output: a random bit")
            default: print("  party \(p): \(bit.map(String.init) ?? "none") (x > y is \(bit == 1 ? "true: party 0 is richer" : "false: party 0 is not richer"))")
            }
        }
        guard try ResultStore(folder: deployment.parties[0].output).load(key: "two-millionaires").value?.tensor?.residue(at: 0) == 1 else {
            throw ConfideError(.evaluation, "two millionaires: party 0 should learn that 3000 > 2000")
        }

        print("\nmedian of 1024 secret-shared values (CipherCore's median inputs, a permutation of 0...1023), revealed to party 0")
        let median = try await orchestrator.run(
            graphJSON: medianGraph, graphID: "median", sessionID: "median", dataKeys: ["median", "median", "median"], deadline: .seconds(120))
        try DemoCommand.check(median)
        let value = try ResultStore(folder: deployment.parties[0].output).load(key: "median").value
        print("  party 0: \(value.map { ReadableJSON.format($0.typedJSON()["value"] ?? .null) } ?? "none")")
        print("  parties 1 and 2: no output (only party 0 is an output party; they held shares only)")
        guard value?.tensor?.residue(at: 0) == 511 else { throw ConfideError(.evaluation, "median: expected 511") }

        print("\nthe same median revealed to party 1 instead: no party approved it")
        let unapproved = try GraphEnvelope(context: try ExampleGraphs.make("median"), spec: try IOSpec(inputParties: "secret-shared", outputParties: "1")).bytes()
        do {
            try await orchestrator.register(graphID: "median-to-party1", graphJSON: unapproved)
            throw ConfideError(.evaluation, "an unapproved graph was registered")
        } catch let error as ConfideError where error.code == .invalidGraph {
            print("  refused: \(error.message.prefix(220))")
        }

        print("\nparty 0's compute node counts what it ran (curl http://127.0.0.1:\(ports[9])/metrics):")
        let metrics = try await DemoCommand.scrape(port: ports[9])
        for line in metrics.split(separator: "\n") where !line.hasPrefix("#") && DemoCommand.shownMetrics.contains(where: { line.hasPrefix($0) }) {
            print("  \(line)")
        }

        print("\nresults stored by each party's result service in \(work)/results/partyP/SESSION.json")
        print("done in \(ContinuousClock.now - start); stopping the nodes")
    }

    /// The metric lines the demo prints.
    static let shownMetrics = ["confide_sessions_total", "confide_session_seconds_count", "confide_rounds_total", "confide_bytes_sent_total"]

    /// The Prometheus text a node serves on `port`.
    static func scrape(port: Int) async throws -> String {
        do {
            let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw ConfideError(.io, "cannot read the metrics on port \(port)", cause: "\(type(of: error))")
        }
    }

    static func check(_ outcome: Orchestrator.Outcome) throws {
        guard outcome.succeeded else {
            let reasons = outcome.messages.enumerated().filter { !$0.element.isEmpty }.map { "party \($0.offset): \($0.element)" }
            throw ConfideError(.evaluation, "session \(outcome.sessionID) failed: \(reasons.joined(separator: "; "))")
        }
    }

    /// The folder of the embedded example data.
    static func resources() throws -> String {
        guard let url = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            throw ConfideError(.io, "the demo's example data is missing next to the executable")
        }
        return url.path
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfideError(.io, "cannot read \(path)") }
        return [UInt8](data)
    }

    /// The demo's deployment file: parties on loopback ports, credentials and inputs in the folder.
    static func deploymentYAML(ports: [Int], resources: String) -> String {
        var text = """
            # confide demo: three parties on this machine
            credentials: credentials
            timeouts: {round: 30, service: 30, connect: 30, session: 120}
            parties:

            """
        for p in 0..<3 {
            text += """
                  - name: party\(p)
                    compute: {address: "127.0.0.1:\(ports[3 * p + 2])", metrics_port: \(ports[9 + p])}
                    data: {address: "127.0.0.1:\(ports[3 * p])"}
                    results: {address: "127.0.0.1:\(ports[3 * p + 1])"}
                    inputs: ["millionaires=\(resources)/two_millionaires/party\(p).txt", "median=\(resources)/median/party\(p).txt"]
                    output: results/party\(p)
                    approved_graphs: policies/party\(p).yaml

                """
        }
        return text
    }
}
