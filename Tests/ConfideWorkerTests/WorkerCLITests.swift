import ConfideCore
import ConfideRuntime
import Foundation
import Testing

/// `confide worker` and `confide work-order submit` as processes.
@Suite struct WorkerCLITests {
    static func executable() -> URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("confide")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("confide")
    }

    /// Starts a worker on a free port and returns it with its URL (read from its first output line).
    static func startWorker(dataDir: URL) async throws -> (ChildProcess, String) {
        let process = try ChildProcess(executable(), ["worker", "--port", "0", "--data-dir", dataDir.path], stderr: .discard)
        try process.start()
        guard await process.waitForOutput(containing: "\n", timeout: .seconds(120)) else {
            process.kill()
            throw ConfideError(.io, "worker did not report its address: \(process.capturedOutput)")
        }
        let text = process.capturedOutput.split(separator: "\n").first.map(String.init) ?? ""
        guard let range = text.range(of: "http://") else {
            process.kill()
            throw ConfideError(.io, "worker did not report its address: \(text)")
        }
        return (process, String(text[range.lowerBound...]))
    }

    static func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let outcome = try await ChildProcess.run(executable(), arguments, timeout: .seconds(300))
        return (outcome.status, outcome.stdout, outcome.stderr + (outcome.timedOut ? "\n[test] killed after 300 s" : ""))
    }

    @Test func submitAgainstAWorkerProcessAndRestart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("confide-worker-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pin = dir.appendingPathComponent("worker.pem").path

        var (worker, url) = try await Self.startWorker(dataDir: dir.appendingPathComponent("data"))
        let hello = try await Self.run(["work-order", "submit", "--worker", url, "--workload", "hello", "--in", "Krsna", "--verifying-key", pin])
        #expect(hello.status == 0, "\(hello.stderr)")
        #expect(hello.stdout == "Hello Krsna\n")
        #expect(FileManager.default.fileExists(atPath: pin))
        await worker.stop()

        // Restarted on the same data directory: the pinned verifying key still matches.
        (worker, url) = try await Self.startWorker(dataDir: dir.appendingPathComponent("data"))
        defer { worker.kill() }
        let fib = try await Self.run(["work-order", "submit", "--worker", url, "--workload", "fib", "--in", "9", "--verifying-key", pin, "--json"])
        #expect(fib.status == 0, "\(fib.stderr)")
        let json = try JSONParser().parse(fib.stdout)
        #expect(json["outData"] == .array([.string("Fibonacci number at position 9 = 34")]))
        #expect(json["workerSignature"]?.stringValue == "verified")
        #expect(json["attestation"]?.stringValue == "none")

        let bad = try await Self.run(["work-order", "submit", "--worker", url, "--workload", "nope", "--in", "x"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("work-order-9"))
        #expect(!bad.stderr.contains("x\n"))
    }
}
