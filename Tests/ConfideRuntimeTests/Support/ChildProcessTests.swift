import ConfideCore
import Foundation
import Testing

@testable import ConfideRuntime

@Suite struct ChildProcessTests {
    static let shell = URL(fileURLWithPath: "/bin/sh")

    /// Both streams are drained at once: a child that writes 1 MiB to standard error before any standard
    /// output neither blocks nor loses a byte.
    @Test func collectsLargeOutputOnBothStreams() async throws {
        let outcome = try await ChildProcess.run(
            Self.shell, ["-c", "head -c 1048576 /dev/zero | tr '\\0' e >&2; printf out; exit 3"], timeout: .seconds(60))
        #expect(outcome.status == 3)
        #expect(!outcome.timedOut)
        #expect(outcome.stdout == "out")
        #expect(outcome.stderr.utf8.count == 1 << 20)
        #expect(outcome.stderr.utf8.allSatisfy { $0 == UInt8(ascii: "e") })
    }

    /// A child that outlives its deadline is killed and reported as such (the deadline does not depend on the
    /// cooperative pool, which CPU-bound tests running beside this one may occupy).
    @Test func killsAtTheDeadline() async throws {
        let outcome = try await ChildProcess.run(Self.shell, ["-c", "exec sleep 120"], timeout: .milliseconds(300))
        #expect(outcome.timedOut)
        #expect(outcome.status == SIGKILL)
    }

    /// Waiting for a line of output: found, or false once the output ends without it.
    @Test func waitsForOutput() async throws {
        let child = try ChildProcess(Self.shell, ["-c", "echo ready >&2; exec sleep 60"])
        try child.start()
        #expect(await child.waitForOutput(containing: "ready", timeout: .seconds(60)))
        #expect(child.isRunning)
        child.kill()
        let outcome = await child.wait(timeout: .seconds(60))
        #expect(outcome.status == SIGKILL && !outcome.timedOut)
        #expect(await child.waitForOutput(containing: "never printed", timeout: .seconds(60)) == false)
        #expect(!child.isRunning)
    }

    /// Many children waited for at once do not hold the cooperative pool: async work keeps running meanwhile.
    @Test func waitsDoNotBlockTheCooperativePool() async throws {
        let children = try (0..<16).map { _ in try ChildProcess(Self.shell, ["-c", "exec sleep 60"], stderr: .discard) }
        for child in children { try child.start() }
        let waits = Task { () -> [Int32] in
            var statuses: [Int32] = []
            for child in children { statuses.append(await child.wait().status) }
            return statuses
        }
        // These tasks need pool threads while sixteen waits are pending.
        let sum = await withTaskGroup(of: Int.self) { group in
            for i in 0..<64 { group.addTask { i } }
            return await group.reduce(0, +)
        }
        #expect(sum == 2016)
        for child in children { child.kill() }
        #expect(await waits.value == [Int32](repeating: SIGKILL, count: 16))
    }

    @Test func aMissingExecutableIsAnIOError() async throws {
        await #expect(throws: ConfideError.self) {
            _ = try await ChildProcess.run(URL(fileURLWithPath: "/nonexistent/confide-test"), [])
        }
    }

    @Test func outputToAFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("confide-child-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let child = try ChildProcess(Self.shell, ["-c", "echo one; echo two >&2"], stdout: .file(path), stderr: .file(path))
        try child.start()
        let outcome = await child.wait(timeout: .seconds(60))
        #expect(outcome.status == 0 && outcome.stdout.isEmpty)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("one") && text.contains("two"))
    }
}
