import ConfideCore
import ConfideGraph
import ConfideRuntime
import Foundation
import Testing

/// The progress line of `confide simulate` and `confide run`: shown on a terminal (util-linux
/// `script` gives the command one), never otherwise or with --json.
@Suite(.serialized) struct ProgressLineTests {
    /// A sort of `count` i32 keys and its input file.
    static func sortFiles(_ dir: URL, count: Int) throws -> (graph: String, input: String) {
        let graph = dir.appendingPathComponent("sort.json").path
        try ExampleGraphs.sort(count: count, scalarType: .i32).write(toFile: graph)
        let values = (0..<count).map { Int128($0 * 7919 % count) - Int128(count / 2) }
        let input = dir.appendingPathComponent("sort.txt").path
        try ("[" + Value.tensor(Tensor(.i32, shape: [count], wrapping: values)).typedJSON().serialized() + "]").write(toFile: input, atomically: true, encoding: .utf8)
        return (graph, input)
    }

    /// Runs confide with `arguments` on a pseudo-terminal; returns what the terminal showed.
    static func onTerminal(_ arguments: [String]) async throws -> ConfideProcess.Result {
        let command = ([ConfideProcess.executable("confide").path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        // util-linux's script(1) (Debian's essential bsdutils package).
        let outcome = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"], timeout: .seconds(300))
        return ConfideProcess.Result(status: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr)
    }

    @Test func simulateShowsRoundsOfThePlannedRoundsOnATerminalOnly() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (graph, input) = try Self.sortFiles(dir, count: 20_000)
        for p in 0..<3 {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("in/party\(p)"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: input, toPath: dir.appendingPathComponent("in/party\(p)/input.txt").path)
        }
        let arguments = ["simulate", graph, "--inputs", dir.appendingPathComponent("in").path, "--input-parties", "0", "--output-parties", "0"]
        let shown = try await Self.onTerminal(arguments + ["--progress-delay", "0"])
        #expect(shown.status == 0, "\(shown.stdout)\(shown.stderr)")
        let screen = shown.stdout + shown.stderr
        #expect(screen.contains("round ") && screen.contains(" of ") && screen.contains("%): sent "), "\(screen.suffix(2000))")
        // The line is cleared before the results are printed.
        #expect(screen.contains("party 0: {"))
        let piped = try await ConfideProcess.run(arguments + ["--progress-delay", "0"])
        #expect(piped.status == 0 && !piped.stderr.contains("round "), "\(piped.stderr)")
        let processes = try await Self.onTerminal(arguments + ["--progress-delay", "0", "--processes"])
        #expect(processes.status == 0, "\(processes.stdout)\(processes.stderr)")
        #expect((processes.stdout + processes.stderr).contains("%): sent "), "\((processes.stdout + processes.stderr).suffix(2000))")
        let json = try await Self.onTerminal(arguments + ["--progress-delay", "0", "--json"])
        #expect(json.status == 0 && !(json.stdout + json.stderr).contains("): sent "), "\(json.stdout.prefix(500))")
    }

    @Test func runShowsTheNodesCountOnATerminal() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (graph, input) = try Self.sortFiles(dir, count: 20_000)
        let cluster = try await RuntimeCommandTests.Cluster(inputs: (0..<3).map { _ in ["sort=" + input] }, roundTimeout: 30)
        defer { cluster.stop() }
        let shown = try await Self.onTerminal(
            ["run", graph, "--nodes", cluster.nodes] + cluster.orchestratorTLS
                + ["--input-parties", "0", "--output-parties", "1", "--data-key", "sort", "--session", "shown", "--progress-delay", "0"])
        #expect(shown.status == 0, "\(shown.stdout)\(shown.stderr)")
        let screen = shown.stdout + shown.stderr
        #expect(screen.contains("round ") && screen.contains("%): sent "), "\(screen.suffix(2000))")
        #expect(screen.contains("party 1 (party1): FINISHED"))
    }
}
