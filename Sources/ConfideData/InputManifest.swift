import ConfideCore
import Foundation
import Yams

/// A party's inputs described in YAML, one entry per graph input in order, with file paths
/// relative to the manifest's folder:
///
/// ```yaml
/// inputs:
///   - csv: patients.csv            # a CSV table (see CSVInput)
///     type: "(age: i32[1000], weight: i32[1000])"  # needed where no graph gives the type
///     columns: [age, weight]       # optional: header columns to take, in order
///     header: true                 # optional: default is to detect a header row
///     fractional_bits: 16          # optional: decimals become round(x * 2^16)
///     delimiter: ";"               # optional, default ","
///   - npy: weights.npy             # a NumPy array (its own type unless `type` is given)
///   - json: threshold.json         # typed JSON: one value, or an input.txt list (all of its values)
///   - zeros                        # a placeholder for an input another party owns
///   - zeros: u32[5]                # the same, with its type
/// ```
///
/// The top level may also be the list itself.
public struct InputManifest: Sendable {
    /// One entry: where its value comes from and its declared type, if any.
    public struct Entry: Sendable {
        public enum Source: Sendable {
            case csv(CSVInput)
            case npy(path: String, fractionalBits: Int?)
            case json(path: String)
            case zeros
        }

        public var source: Source
        public var type: ValueType?
        /// The entry's position in the manifest, from 1, for messages.
        public var number: Int
    }

    public var path: String
    public var entries: [Entry]

    /// Reads a manifest file.
    /// - Throws: `.io` when it cannot be read; `.invalidValue` naming the entry and the key for
    ///   malformed YAML, unknown keys, or an entry without exactly one source; `.invalidType` for
    ///   a type that does not parse.
    public init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfideError(.io, "\(path): cannot read the file (it does not exist or is not readable)")
        }
        guard data.count <= 1 << 24 else { throw ConfideError(.tooLarge, "\(path): an input manifest is at most 16 MiB") }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            let document: Any?
            do {
                document = try Yams.load(yaml: String(decoding: data, as: UTF8.self))
            } catch {
                throw ConfideError(.invalidValue, "not valid YAML")
            }
            let list: [Any]
            if let items = document as? [Any] {
                list = items
            } else if let top = document as? [String: Any], let items = top["inputs"] as? [Any], top.count == 1 {
                list = items
            } else {
                throw ConfideError(.invalidValue, "expected a list of inputs, or a mapping with one key 'inputs' holding the list")
            }
            entries = try list.enumerated().map { i, item in
                do {
                    return try Self.entry(item, number: i + 1, folder: folder)
                } catch let error as ConfideError {
                    throw error.prefixed("input \(i + 1)")
                }
            }
        } catch let error as ConfideError {
            throw error.prefixed(path)
        }
    }

    private static let sources = ["csv", "npy", "json", "zeros"]
    private static let options = ["type", "columns", "header", "fractional_bits", "delimiter"]

    private static func entry(_ item: Any, number: Int, folder: URL) throws -> Entry {
        if let word = item as? String {
            guard word == "zeros" else { throw ConfideError(.invalidValue, "'\(word.prefix(40))' is not an input (expected zeros, or a mapping with csv, npy or json)") }
            return Entry(source: .zeros, type: nil, number: number)
        }
        guard let map = item as? [String: Any] else { throw ConfideError(.invalidValue, "expected a mapping with csv, npy, json or zeros") }
        for key in map.keys where !sources.contains(key) && !options.contains(key) {
            throw ConfideError(.invalidValue, "unknown key '\(key.prefix(40))' (known: \((sources + options).joined(separator: ", ")))")
        }
        let given = sources.filter { map[$0] != nil }
        guard given.count == 1, let kind = given.first else {
            throw ConfideError(.invalidValue, "give exactly one of csv, npy, json or zeros (found \(given.isEmpty ? "none" : given.joined(separator: ", ")))")
        }
        func string(_ key: String) throws -> String? {
            guard let value = map[key] else { return nil }
            if let text = value as? String { return text }
            if let n = value as? Int, key != "csv", key != "npy", key != "json" { return String(n) }
            throw ConfideError(.invalidValue, "'\(key)' must be text")
        }
        func file(_ key: String) throws -> String {
            guard let name = try string(key), !name.isEmpty else { throw ConfideError(.invalidValue, "'\(key)' must name a file") }
            return name.hasPrefix("/") ? name : folder.appendingPathComponent(name).path
        }
        var type = try (kind == "zeros" ? nil : string("type")).map { try ValueType(parsing: $0) }
        if kind == "zeros", let text = map["zeros"] as? String { type = try ValueType(parsing: text) }
        if kind == "zeros", map["type"] != nil { throw ConfideError(.invalidValue, "write the type as zeros: TYPE") }
        let fractionalBits: Int?
        if let bits = map["fractional_bits"] {
            guard let n = bits as? Int else { throw ConfideError(.invalidValue, "'fractional_bits' must be an integer") }
            fractionalBits = n
        } else {
            fractionalBits = nil
        }
        if kind != "csv" {
            for key in ["columns", "header", "delimiter"] where map[key] != nil {
                throw ConfideError(.invalidValue, "'\(key)' applies to csv inputs only")
            }
        }
        if kind == "json" || kind == "zeros", fractionalBits != nil { throw ConfideError(.invalidValue, "'fractional_bits' applies to csv and npy inputs only") }
        switch kind {
        case "csv":
            var columns: [String]?
            if let value = map["columns"] {
                guard let names = value as? [Any], let texts = Optional(names.compactMap { $0 as? String }), texts.count == names.count else {
                    throw ConfideError(.invalidValue, "'columns' must be a list of header names")
                }
                columns = texts
            }
            var header: Bool?
            if let value = map["header"] {
                guard let flag = value as? Bool else { throw ConfideError(.invalidValue, "'header' must be true or false") }
                header = flag
            }
            let delimiter = try string("delimiter") ?? ","
            guard delimiter.count == 1, let character = delimiter.first, character != "\"", !character.isNewline else {
                throw ConfideError(.invalidValue, "'delimiter' must be one character other than a quote or a newline")
            }
            let input = CSVInput(path: try file("csv"), columns: columns, header: header, fractionalBits: fractionalBits, delimiter: character)
            return Entry(source: .csv(input), type: type, number: number)
        case "npy":
            return Entry(source: .npy(path: try file("npy"), fractionalBits: fractionalBits), type: type, number: number)
        case "json":
            return Entry(source: .json(path: try file("json")), type: type, number: number)
        default:
            return Entry(source: .zeros, type: type, number: number)
        }
    }
}
