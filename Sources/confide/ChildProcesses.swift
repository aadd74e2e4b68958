import ConfideCore
import Foundation

/// Child processes of this command (the demo's nodes), each logging to its own file, stopped with
/// SIGTERM (then SIGKILL after a grace period) when the command ends.
final class ChildProcesses: @unchecked Sendable {
    struct Child {
        let name: String
        let process: Process
        let log: String
    }

    private let lock = NSLock()
    private var children: [Child] = []
    private let executable = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0])

    /// Starts `confide ARGUMENTS` with standard error and output going to `log`.
    /// - Throws: `.io` when the process cannot start.
    func start(_ name: String, _ arguments: [String], log: String) throws {
        guard FileManager.default.createFile(atPath: log, contents: nil), let handle = FileHandle(forWritingAtPath: log) else { throw ConfideError(.io, "cannot write the log file \(log)") }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        do {
            try process.run()
        } catch {
            throw ConfideError(.io, "cannot start \(name)", cause: "\(error)")
        }
        lock.withLock { children.append(Child(name: name, process: process, log: log)) }
    }

    /// The children that have exited, with their status.
    func exited() -> [(name: String, status: Int32, log: String)] {
        lock.withLock { children.filter { !$0.process.isRunning }.map { ($0.name, $0.process.terminationStatus, $0.log) } }
    }

    /// The last lines of a child's log.
    static func tail(_ log: String, lines: Int = 8) -> String {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).map { "    " + $0 }.joined(separator: "\n")
    }

    /// Stops every child: SIGTERM, then SIGKILL for those still running after `grace`.
    func stopAll(grace: TimeInterval = 5) {
        let all = lock.withLock { children }
        for child in all where child.process.isRunning { child.process.terminate() }
        let deadline = Date().addingTimeInterval(grace)
        for child in all {
            while child.process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if child.process.isRunning { kill(child.process.processIdentifier, SIGKILL) }
            child.process.waitUntilExit()
        }
    }
}
