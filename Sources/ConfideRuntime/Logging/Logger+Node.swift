import Foundation
import Logging

extension Logger {
    /// A service's logger (swift-log): one line per event on standard error, or to `sink` (tests
    /// collect lines this way), as `TIME LEVEL NODE: message` or as a JSON object
    /// (``LogFormat``). No process-wide `LoggingSystem` is bootstrapped: every service gets its own.
    ///
    /// Messages name sessions, keys, types and peers, never values, shares or keys: callers pass
    /// only such descriptions.
    public static func node(
        _ name: String, level: Logger.Level = .info, format: LogFormat = .text, sink: (@Sendable (String) -> Void)? = nil
    ) -> Logger {
        let write = sink ?? { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        return Logger(label: name) { label in ConfideLogHandler(node: label, level: level, format: format, sink: write) }
    }
}
