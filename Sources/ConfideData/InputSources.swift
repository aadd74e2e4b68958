import ConfideCore
import Foundation

/// Reads a party's inputs from the files people have: typed JSON (`.json`, `.txt`: CipherCore's
/// `input.txt`, or one typed value), input manifests (`.yaml`, `.yml`; see ``InputManifest``),
/// CSV tables (`.csv`) and NumPy arrays (`.npy`). Each file gives the next input or inputs, in order.
public enum InputSources {
    /// The values of `paths`, in order.
    /// - Parameters:
    ///   - types: the graph's input types, when known. CSV inputs and type-less placeholders take
    ///     their type from it, and every value is checked against it. Without it, CSV and zeros
    ///     entries need a declared `type`.
    ///   - labels: how messages name each input (default `input I`), e.g. `input 0 (node 6)`.
    ///   - maxBytes: the largest file accepted (default ``InputFile/maxBytes``).
    /// - Throws: each file's errors, naming the file; `.wrongInputCount` when the files give another
    ///   number of values than `types` has; `.typeMismatch` naming the input, the file and both types.
    public static func load(_ paths: [String], types: [ValueType]?, labels: [String]? = nil, maxBytes: Int = InputFile.maxBytes) throws -> [Value] {
        var values: [Value] = []
        func label() -> String { labels.flatMap { values.count < $0.count ? $0[values.count] : nil } ?? "input \(values.count)" }
        func nextType(_ file: String) throws -> ValueType? {
            guard let types else { return nil }
            guard values.count < types.count else {
                throw ConfideError(.wrongInputCount, "\(file): the graph has \(types.count) input\(types.count == 1 ? "" : "s"), and the files give more")
            }
            return types[values.count]
        }
        func append(_ value: Value, from file: String, declared: ValueType? = nil) throws {
            if let declared { try value.check(declared, what: "\(file): \(label())") }
            if let expected = try nextType(file) { try value.check(expected, what: "\(file): \(label())") }
            values.append(value)
        }
        for path in paths {
            switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "yaml", "yml":
                let manifest = try InputManifest(path: path)
                for entry in manifest.entries {
                    let place = "\(manifest.path): input \(entry.number)"
                    switch entry.source {
                    case let .json(file):
                        for value in try InputFile.load(file, maxBytes: maxBytes) { try append(value, from: file, declared: entry.type) }
                    case .zeros:
                        guard let type = try entry.type ?? nextType(place) else {
                            throw ConfideError(.invalidValue, "\(place): zeros needs its type here (zeros: TYPE)")
                        }
                        if let expected = try nextType(place), expected != type {
                            throw ConfideError(.typeMismatch, "\(place): expected type \(expected), found \(type)")
                        }
                        try append(.zeros(type), from: place)
                    case let .csv(input):
                        let expected = try nextType(input.path)
                        guard let type = entry.type ?? expected else {
                            throw ConfideError(.invalidValue, "\(place): a CSV input needs its type here (type: ..., e.g. i32[1000])")
                        }
                        if let expected, expected != type {
                            throw ConfideError(.typeMismatch, "\(place): the graph's \(label()) has type \(expected), the manifest says \(type)")
                        }
                        try append(try input.read(as: type, maxBytes: maxBytes), from: input.path)
                    case let .npy(file, bits):
                        let type = try entry.type ?? nextType(file)
                        try append(try NPYFile.read(file, as: type, fractionalBits: bits, maxBytes: maxBytes), from: file)
                    }
                }
            case "csv":
                guard let type = try nextType(path) else {
                    throw ConfideError(.invalidValue, "\(path): a CSV file needs the input's type; describe it in an input manifest (.yaml) with type: ...")
                }
                try append(try CSVInput(path: path).read(as: type, maxBytes: maxBytes), from: path)
            case "npy":
                try append(try NPYFile.read(path, as: try nextType(path), maxBytes: maxBytes), from: path)
            default:
                for value in try InputFile.load(path, maxBytes: maxBytes) { try append(value, from: path) }
            }
        }
        if let types, values.count != types.count {
            throw ConfideError(.wrongInputCount, "the graph has \(types.count) input\(types.count == 1 ? "" : "s"), the files \(paths.joined(separator: ", ")) give \(values.count)")
        }
        return values
    }
}
