import ConfideCore
import ConfideData
import Foundation

/// Where a result service keeps what arrives: one typed-JSON file per key in an output folder,
/// `KEY.json` = `{"key":…,"type":…,"value":<typed value>}` or `{"key":…,"error":…}`. Files are
/// 0600 in a 0700 folder, and a stored result is never replaced. With `tables`, a value is also
/// written as `KEY.csv` or `KEY.npy` beside its JSON record, when it fits that format.
public struct ResultStore: Sendable {
    public let folder: String
    /// Extra formats each value is written in (`.csv`, `.npy`); the JSON record is always written.
    public let tables: [OutputFile.Format]
    /// With `.csv` tables: numbers are written as decimals x / 2^f (fixed point).
    public let fractionalBits: Int?

    /// - Throws: `.io` when the folder cannot be created.
    public init(folder: String, tables: [OutputFile.Format] = [], fractionalBits: Int? = nil) throws {
        self.folder = folder
        self.tables = tables.filter { $0 != .json }
        self.fractionalBits = fractionalBits
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
    /// A table file is written first, so a JSON record that names a value means its tables are
    /// complete; a value that does not fit a table format is stored as JSON only, and the reason
    /// is returned in `skipped`.
    /// - Returns: the JSON record written, and why any table was not written.
    /// - Throws: the key's errors; `.invalidArgument` when a result is already stored under `key`
    ///   (session ids are never reused, so neither are keys); `.io` when the file cannot be written.
    @discardableResult
    public func store(key: String, value: Value?, error: String?) throws -> (path: String, skipped: [String]) {
        let path = try path(for: key)
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ConfideError(.invalidArgument, "a result for '\(key.prefix(64))' is already stored in \(path): results are never overwritten")
        }
        var skipped: [String] = []
        if let value {
            for format in tables {
                let table = String(path.dropLast(5)) + "." + format.rawValue
                do {
                    try OutputFile.write(value, to: table, fractionalBits: fractionalBits, replacing: false)
                } catch let error as ConfideError where error.code == .invalidType {
                    skipped.append(error.message)
                }
            }
        }
        var members: [(String, JSONValue)] = [("key", .string(key))]
        if let value {
            members.append(("type", try value.type.json(version: 2)))
            members.append(("value", value.typedJSON()))
        }
        if let error, !error.isEmpty { members.append(("error", .string(error))) }
        try PrivateFile.writeNew(Array((JSONValue.object(members).prettyPrinted() + "\n").utf8), to: path)
        return (path, skipped)
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
