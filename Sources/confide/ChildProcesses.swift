import ConfideCore
import ConfideRuntime
import Foundation

/// Child processes of this command (the demo's nodes), each logging to its own file, stopped with
/// SIGTERM (then SIGKILL after a grace period) when the command ends.
final class ChildProcesses: @unchecked Sendable {
    struct Child {
        let name: String
        let process: ChildProcess
        let log: String
    }

    private let lock = NSLock()
    private var children: [Child] = []
    private let executable = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0])

    /// Starts `confide ARGUMENTS` with standard error and output going to `log` (created afresh).
    /// - Throws: `.io` when the log cannot be written or the process cannot start.
    func start(_ name: String, _ arguments: [String], log: String) throws {
        guard FileManager.default.createFile(atPath: log, contents: nil) else { throw ConfideError(.io, "cannot write the log file \(log)") }
        let process = try ChildProcess(executable, arguments, stdout: .file(log), stderr: .file(log))
        do {
            try process.start()
        } catch {
            throw ConfideError(.io, "cannot start \(name)", cause: "\(error)")
        }
        lock.withLock { children.append(Child(name: name, process: process, log: log)) }
    }

    /// The children that have exited, with their status.
    func exited() async -> [(name: String, status: Int32, log: String)] {
        var result: [(name: String, status: Int32, log: String)] = []
        for child in lock.withLock({ children }) where !child.process.isRunning {
            result.append((child.name, await child.process.wait().status, child.log))
        }
        return result
    }

    /// The names of the children that are no longer running.
    var stopped: [String] {
        lock.withLock { children }.filter { !$0.process.isRunning }.map(\.name)
    }

    /// The last lines of a child's log.
    static func tail(_ log: String, lines: Int = 8) -> String {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).map { "    " + $0 }.joined(separator: "\n")
    }

    /// Stops every child: SIGTERM, then SIGKILL for those still running after `grace`.
    func stopAll(grace: Duration = .seconds(5)) async {
        let all = lock.withLock { children }
        for child in all { child.process.terminate() }
        for child in all { _ = await child.process.wait(timeout: grace) }
    }
}
