import ConfideRuntime
import Foundation

/// Runs the built `confide` executable (it sits next to the test bundle in the build products folder).
struct ConfideProcess {
    /// How long one command may run before the test kills it and fails (a hang becomes a failure that names it).
    static let deadline: Duration = .seconds(600)

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The examples shipped beside the repository (`../shared/ciphercore-examples`).
    static let examples: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/ciphercore-examples")

    /// A product of this package, found next to the test bundle.
    static func executable(_ name: String) -> URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent(name)
    }

    /// Runs a product to its end without blocking the test process's threads; kills it after ``deadline``.
    static func run(_ arguments: [String], program: String = "confide") async throws -> Result {
        let outcome = try await ChildProcess.run(executable(program), arguments, timeout: deadline)
        let killed = outcome.timedOut ? "\n[test] \(program) \(arguments.prefix(2).joined(separator: " ")) killed after \(deadline)" : ""
        return Result(status: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr + killed)
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("confide-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension String {
    /// Whether `word` occurs on its own (no letter or digit right before or after it): a secret input
    /// such as "3000" in a log, without matching the same digits inside a duration or a random id.
    func containsWord(_ word: String) -> Bool {
        var searchStart = startIndex
        while let found = range(of: word, range: searchStart..<endIndex) {
            let before = found.lowerBound > startIndex ? self[index(before: found.lowerBound)] : " "
            let after = found.upperBound < endIndex ? self[found.upperBound] : " "
            if !before.isLetter && !before.isNumber && !after.isLetter && !after.isNumber { return true }
            searchStart = index(after: found.lowerBound)
        }
        return false
    }
}
