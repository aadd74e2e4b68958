import ConfideCore
import Foundation
import Logging

/// The swift-log handler of Confide's services: formats each event as one line (``LogFormat``)
/// and hands it to a sink. Control characters in messages and metadata are escaped, so a logged
/// id cannot forge a line.
public struct ConfideLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public let node: String
    public let format: LogFormat
    private let sink: @Sendable (String) -> Void

    public init(node: String, level: Logger.Level, format: LogFormat, sink: @escaping @Sendable (String) -> Void) {
        self.node = node
        self.logLevel = level
        self.format = format
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        let time = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        let keys = fields.keys.sorted()
        switch format {
        case .text:
            let shownTime = Date().formatted(.iso8601.time(includingFractionalSeconds: true))
            let suffix = keys.map { " \($0)=\(Self.escaped("\(fields[$0]!)"))" }.joined()
            sink("\(shownTime) \(event.level.rawValue) \(node): \(Self.escaped(event.message.description))\(suffix)")
        case .json:
            var object: [(String, JSONValue)] = [
                ("time", .string(time)), ("level", .string(event.level.rawValue)), ("node", .string(node)), ("message", .string(event.message.description)),
            ]
            for key in keys where !["time", "level", "node", "message"].contains(key) { object.append((key, .string("\(fields[key]!)"))) }
            sink(JSONValue.object(object).serialized())
        }
    }

    /// `text` with CR, LF and other control characters written as `\u{…}` escapes.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
