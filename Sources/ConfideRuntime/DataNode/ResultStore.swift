import ConfideCore
import Foundation

/// Where a result service keeps what arrives: one typed-JSON file per key in an output folder,
/// `KEY.json` = `{"key":…,"type":…,"value":<typed value>}` or `{"key":…,"error":…}`. Files are
/// 0600 in a 0700 folder, and a stored result is never replaced.
public struct ResultStore: Sendable {
    public let folder: String

    /// - Throws: `.io` when the folder cannot be created.
    public init(folder: String) throws {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
        } catch {
            throw ConfideError(.io, "cannot create the output folder \(folder)")
        }
    }

    /// The file of a key.
    /// - Throws: `.invalidArgument` for a key that is not a safe file name (letters, digits, `.`, `_`, `-`; not starting with `.`; at most 200 characters).
    public func path(for key: String) throws -> String {
        let allowed = key.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0) }
        guard !key.isEmpty, key.count <= 200, !key.hasPrefix("."), allowed else {
            throw ConfideError(.invalidArgument, "result key '\(key.prefix(64))' is not a safe file name (letters, digits, '.', '_', '-')")
        }
        return URL(fileURLWithPath: folder).appendingPathComponent(key + ".json").path
    }

    /// Stores a value or an error under `key`: the whole file appears at once (0600), or nothing.
    /// - Returns: the file written.
    /// - Throws: the key's errors; `.invalidArgument` when a result is already stored under `key`
    ///   (session ids are never reused, so neither are keys); `.io` when the file cannot be written.
    @discardableResult
    public func store(key: String, value: Value?, error: String?) throws -> String {
        let path = try path(for: key)
        var members: [(String, JSONValue)] = [("key", .string(key))]
        if let value {
            members.append(("type", try value.type.json(version: 2)))
            members.append(("value", value.typedJSON()))
        }
        if let error, !error.isEmpty { members.append(("error", .string(error))) }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ConfideError(.invalidArgument, "a result for '\(key.prefix(64))' is already stored in \(path): results are never overwritten")
        }
        try PrivateFile.writeNew(Array((JSONValue.object(members).prettyPrinted() + "\n").utf8), to: path)
        return path
    }

    /// Reads back what ``store(key:value:error:)`` wrote.
    /// - Throws: `.io` when the file is missing; the typed JSON's errors.
    public func load(key: String) throws -> (value: Value?, error: String?) {
        let path = try path(for: key)
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfideError(.io, "no result file \(path)") }
        let json = try JSONParser().parse(bytes: [UInt8](data))
        let value = try json["value"].map { try Value(typedJSON: $0) }
        return (value, json["error"]?.stringValue)
    }
}
