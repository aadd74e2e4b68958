import Foundation
import Synchronization

/// A node's log: one line per event on standard error, `TIME LEVEL NODE: message`.
///
/// Messages name sessions, keys, types and peers, never values, shares or keys: callers pass
/// only such descriptions.
public struct NodeLog: Sendable {
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case debug, info, warning, error

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        var name: String {
            switch self {
            case .debug: return "debug"
            case .info: return "info"
            case .warning: return "warning"
            case .error: return "error"
            }
        }
    }

    public let node: String
    public let minimum: Level
    private let sink: @Sendable (String) -> Void

    /// A log writing to standard error.
    public init(node: String, minimum: Level = .info) {
        self.init(node: node, minimum: minimum) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// A log writing each line to `sink` (tests collect lines this way).
    public init(node: String, minimum: Level = .info, sink: @escaping @Sendable (String) -> Void) {
        self.node = node
        self.minimum = minimum
        self.sink = sink
    }

    public func log(_ level: Level, _ message: @autoclosure () -> String) {
        guard level >= minimum else { return }
        let time = Date().formatted(.iso8601.time(includingFractionalSeconds: true))
        sink("\(time) \(level.name) \(node): \(message())")
    }

    public func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }
    public func info(_ message: @autoclosure () -> String) { log(.info, message()) }
    public func warning(_ message: @autoclosure () -> String) { log(.warning, message()) }
    public func error(_ message: @autoclosure () -> String) { log(.error, message()) }
}
