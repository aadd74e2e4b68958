import ConfideCore
import ConfideGraph
import ConfideNet
import ConfideRuntime
import Foundation
import Testing

/// `confide node`, `confide data-node` and `confide run` as separate processes on loopback.
@Suite(.serialized) struct RuntimeCommandTests {
    /// Three data nodes and three compute nodes as child processes, configured with flags only.
    final class Cluster: @unchecked Sendable {
        let dir: URL
        let ports: [Int]
        var processes: [Int: ChildProcess] = [:]
        let roundTimeout: Int

        /// - Parameter inputs: per party, `KEY=FILE` entries for its data node.
        init(inputs: [[String]], roundTimeout: Int = 5) async throws {
            dir = try ConfideProcess.temporaryDirectory()
            self.roundTimeout = roundTimeout
            let credentials = try await ConfideProcess.run(["credentials", "--out", dir.appendingPathComponent("creds").path])
            #expect(credentials.status == 0, "\(credentials.stderr)")
            // Free ports taken just before the nodes start, so another test has little time to bind them.
            ports = try await NetAddress.freeLoopbackPorts(9)
            for p in 0..<3 {
                try start(key: 10 + p, ["data-node", "--party", "\(p)", "--listen", "127.0.0.1", "--data-port", "\(dataPort(p))", "--results-port", "\(resultsPort(p))",
                    "--output", dir.appendingPathComponent("out\(p)").path] + inputs[p].flatMap { ["--input", $0] } + tls(p, data: true))
            }
            for p in 0..<3 { try startNode(p) }
        }

        func dataPort(_ p: Int) -> Int { ports[3 * p] }
        func resultsPort(_ p: Int) -> Int { ports[3 * p + 1] }
        func computePort(_ p: Int) -> Int { ports[3 * p + 2] }
        var nodes: String { (0..<3).map { "127.0.0.1:\(computePort($0))" }.joined(separator: ",") }

        func tls(_ p: Int, data: Bool = false) -> [String] {
            let creds = dir.appendingPathComponent("creds").path
            return ["--ca", "\(creds)/ca.pem", "--cert", "\(creds)/party\(p)/\(data ? "data_cert" : "cert").pem", "--key", "\(creds)/party\(p)/\(data ? "data_key" : "key").pem"]
        }

        var orchestratorTLS: [String] {
            let creds = dir.appendingPathComponent("creds").path
            return ["--ca", "\(creds)/ca.pem", "--cert", "\(creds)/orchestrator_cert.pem", "--key", "\(creds)/orchestrator_key.pem"]
        }

        func startNode(_ p: Int) throws {
            try start(key: p, ["node", "--party", "\(p)", "--listen", "127.0.0.1", "--port", "\(computePort(p))", "--data", "127.0.0.1:\(dataPort(p))",
                "--results", "127.0.0.1:\(resultsPort(p))", "--round-timeout", "\(roundTimeout)"] + tls(p))
        }

        func start(key: Int, _ arguments: [String]) throws {
            let log = dir.appendingPathComponent("log-\(key).txt").path
            let process = try ChildProcess(ConfideProcess.executable("confide"), arguments, stdout: .file(log), stderr: .file(log))
            try process.start()
            processes[key] = process
        }

        func log(_ key: Int) -> String {
            (try? String(contentsOfFile: dir.appendingPathComponent("log-\(key).txt").path, encoding: .utf8)) ?? ""
        }

        func kill(_ key: Int) async {
            guard let process = processes[key] else { return }
            process.kill()
            _ = await process.wait()
        }

        /// Stops every node (SIGTERM, SIGKILL after 5 s) and removes the folder, in the background.
        func stop() {
            let (all, dir) = (Array(processes.values), dir)
            Task {
                for process in all { process.terminate() }
                for process in all { _ = await process.wait(timeout: .seconds(5)) }
                try? FileManager.default.removeItem(at: dir)
            }
        }

        func run(_ graph: String, _ extra: [String] = []) async throws -> ConfideProcess.Result {
            try await ConfideProcess.run(["run", graph, "--nodes", nodes] + orchestratorTLS + extra)
        }
    }

    static let millionaires = (0..<3).map { ["test=" + ConfideProcess.examples.appendingPathComponent("two_millionaires/party\($0)/input.txt").path] }

    @Test func twoMillionairesWithFlagsOnly() async throws {
        let cluster = try await Cluster(inputs: Self.millionaires)
        defer { cluster.stop() }
        let graph = ConfideProcess.examples.appendingPathComponent("two_millionaires/graph.json").path
        let result = try await cluster.run(graph, ["--session", "cli-1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("party 0 (party0): FINISHED; result in its result service under key 'cli-1'"))
        for p in 0..<2 {
            let stored = try String(contentsOf: cluster.dir.appendingPathComponent("out\(p)/cli-1.json"), encoding: .utf8)
            #expect(stored.contains(#""value": 1"#) || stored.contains(#""value":1"#), "\(stored)")
        }
        // The data node logs that the result arrived, never the value.
        #expect(cluster.log(10).contains("result for 'cli-1' arrived (bit)"))
        #expect(!cluster.log(10).containsWord("3000"))
    }

    @Test func aKilledComputeNodeFailsTheSessionAndTheOthersServeANewOne() async throws {
        // A sort of 20000 values runs long enough to kill a node mid-session.
        let inputs = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: inputs) }
        let count = 20_000
        let graph = inputs.appendingPathComponent("sort.json").path
        try ExampleGraphs.sort(count: count, scalarType: .i32).write(toFile: graph)
        let values = (0..<count).map { _ in Int32.random(in: .min ... .max) }
        let input = Value.tensor(Tensor(.i32, shape: [count], wrapping: values.map { Int128($0) }))
        let sortInput = inputs.appendingPathComponent("sort.txt").path
        try ("[" + input.typedJSON().serialized() + "]").write(toFile: sortInput, atomically: true, encoding: .utf8)
        let cluster = try await Cluster(inputs: Self.millionaires.map { $0 + ["sort=" + sortInput] }, roundTimeout: 4)
        defer { cluster.stop() }
        let runner = Task { try await cluster.run(graph, ["--input-parties", "0", "--output-parties", "1", "--data-key", "sort", "--session", "doomed"]) }
        // Wait until party 2 is running the session, then kill it.
        var running = false
        for _ in 0..<400 where !running {
            try await Task.sleep(for: .milliseconds(50))
            running = cluster.log(2).contains("session 'doomed' running")
        }
        #expect(running, "\(cluster.log(2))")
        try await Task.sleep(for: .milliseconds(300))
        await cluster.kill(2)
        let killedAt = ContinuousClock.now
        let result = try await runner.value
        #expect(result.status != 0)
        #expect(result.stdout.contains("party 0 (party0): FAILED"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("party 1 (party1): FAILED"), "\(result.stdout)\(result.stderr)")
        #expect(ContinuousClock.now - killedAt < .seconds(30))
        // Party 0 fails at once (its link to party 2 breaks); party 1 fails too, or is stopped by the orchestrator first.
        #expect(cluster.log(0).contains("session 'doomed' failed"))
        #expect(cluster.log(1).contains("session 'doomed' failed") || cluster.log(1).contains("finished session 'doomed' (running)"), "\(cluster.log(1))")
        #expect((cluster.log(0) + cluster.log(1)).contains("party 2"), "\(cluster.log(0))\(cluster.log(1))")

        try cluster.startNode(2)
        let millionaires = ConfideProcess.examples.appendingPathComponent("two_millionaires/graph.json").path
        var again = try await cluster.run(millionaires, ["--session", "after"])
        if again.status != 0 { again = try await cluster.run(millionaires, ["--session", "after-retry"]) }
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
    }

    @Test func aClientWithoutAValidCertificateIsRejected() async throws {
        let cluster = try await Cluster(inputs: Self.millionaires)
        defer { cluster.stop() }
        let other = cluster.dir.appendingPathComponent("other").path
        #expect(try await ConfideProcess.run(["credentials", "--out", other]).status == 0)
        let graph = ConfideProcess.examples.appendingPathComponent("two_millionaires/graph.json").path
        let creds = cluster.dir.appendingPathComponent("creds").path
        // A certificate from another CA: the nodes refuse the handshake.
        let stranger = try await ConfideProcess.run(
            ["run", graph, "--nodes", cluster.nodes, "--ca", "\(creds)/ca.pem", "--cert", "\(other)/orchestrator_cert.pem", "--key", "\(other)/orchestrator_key.pem",
                "--connect-timeout", "3"])
        #expect(stranger.status != 0)
        #expect(stranger.stderr.contains("did not answer") || stranger.stderr.contains("failed"), "\(stranger.stderr)")
        // The right certificate still works afterwards.
        let ok = try await cluster.run(graph)
        #expect(ok.status == 0, "\(ok.stderr)")
    }
}
