import ConfideCore
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
    static func startWorker(dataDir: URL) throws -> (Process, String) {
        let process = Process()
        process.executableURL = executable()
        process.arguments = ["worker", "--port", "0", "--data-dir", dataDir.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = [UInt8]()
        while true {
            let chunk = out.fileHandleForReading.readData(ofLength: 1)
            guard let byte = chunk.first else { break }
            if byte == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://") else {
            process.terminate()
            throw ConfideError(.io, "worker did not report its address: \(text)")
        }
        return (process, String(text[range.lowerBound...]))
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable()
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func submitAgainstAWorkerProcessAndRestart() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("confide-worker-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pin = dir.appendingPathComponent("worker.pem").path

        var (worker, url) = try Self.startWorker(dataDir: dir.appendingPathComponent("data"))
        let hello = try Self.run(["work-order", "submit", "--worker", url, "--workload", "hello", "--in", "Krsna", "--verifying-key", pin])
        #expect(hello.status == 0, "\(hello.stderr)")
        #expect(hello.stdout == "Hello Krsna\n")
        #expect(FileManager.default.fileExists(atPath: pin))
        worker.terminate()
        worker.waitUntilExit()

        // Restarted on the same data directory: the pinned verifying key still matches.
        (worker, url) = try Self.startWorker(dataDir: dir.appendingPathComponent("data"))
        defer { worker.terminate(); worker.waitUntilExit() }
        let fib = try Self.run(["work-order", "submit", "--worker", url, "--workload", "fib", "--in", "9", "--verifying-key", pin, "--json"])
        #expect(fib.status == 0, "\(fib.stderr)")
        let json = try JSONParser().parse(fib.stdout)
        #expect(json["outData"] == .array([.string("Fibonacci number at position 9 = 34")]))
        #expect(json["workerSignature"]?.stringValue == "verified")
        #expect(json["attestation"]?.stringValue == "none")

        let bad = try Self.run(["work-order", "submit", "--worker", url, "--workload", "nope", "--in", "x"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("work-order-9"))
        #expect(!bad.stderr.contains("x\n"))
    }
}
