import ConfideCore
import ConfideData
import Foundation

/// A data node's inputs: typed values under keys, loaded and type-checked when the node starts.
public struct DataStore: Sendable {
    /// The key CipherCore's examples use.
    public static let defaultKey = "test"

    public private(set) var values: [[UInt8]: [Value]] = [:]

    public init() {}

    /// Adds the values of one file under `key`: CipherCore's `input.txt` (typed JSON), an input
    /// manifest (`.yaml`: CSV, NumPy and JSON inputs with their types; see ``InputManifest``) or
    /// one NumPy array (`.npy`). A CSV table needs its type, so it is named by a manifest.
    /// - Throws: the file's errors (naming the path, the line and column or the value);
    ///   `.invalidArgument` for a key given twice.
    public mutating func load(key: String, file: String) throws {
        let bytes = Array(key.utf8)
        guard values[bytes] == nil else { throw ConfideError(.invalidArgument, "data key '\(key)' is given twice") }
        values[bytes] = try InputSources.load([file], types: nil)
    }

    /// The extensions of the files ``loadFolder(_:)`` serves.
    public static let folderExtensions = ["json", "txt", "yaml", "yml", "npy"]

    /// Adds every `NAME.json`, `NAME.txt`, `NAME.yaml`, `NAME.yml` and `NAME.npy` file of a folder
    /// under the key `NAME` (CSV tables are read through the manifests that name them).
    /// - Throws: `.io` when the folder cannot be listed; each file's errors.
    public mutating func loadFolder(_ folder: String) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw ConfideError(.io, "cannot list the data folder \(folder)")
        }
        for name in names where Self.folderExtensions.contains(URL(fileURLWithPath: name).pathExtension.lowercased()) {
            let key = String(name[..<name.lastIndex(of: ".")!])
            try load(key: key, file: URL(fileURLWithPath: folder).appendingPathComponent(name).path)
        }
    }

    /// Parses `KEY=FILE`, or `FILE` for the key ``defaultKey``.
    public static func keyAndFile(_ text: String) -> (key: String, file: String) {
        if let equals = text.firstIndex(of: "="), equals != text.startIndex {
            return (String(text[..<equals]), String(text[text.index(after: equals)...]))
        }
        return (defaultKey, text)
    }

    /// Describes the store without values: `key (n values: types)`.
    public var summary: String {
        values.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { key in
            let types = values[key]!.map { "\($0.type)" }.joined(separator: ", ")
            return "'\(RuntimeText.key(key))' (\(values[key]!.count) value\(values[key]!.count == 1 ? "" : "s"): \(types))"
        }.joined(separator: "; ")
    }
}
