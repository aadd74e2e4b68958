import ConfideCore
import Foundation

/// Reading typed-value input files (CipherCore's `input.txt`).
public enum InputFile {
    /// Largest input file accepted (bytes).
    public static let maxBytes = 64 << 20

    /// Reads the typed values of a file.
    /// - Throws: `.io` when the file cannot be read, `.tooLarge` over ``maxBytes``; every error names the path.
    public static func load(_ path: String) throws -> [Value] {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = (attributes?[.size] as? NSNumber)?.intValue else {
            throw ConfideError(.io, "\(path): cannot read the file")
        }
        guard size <= maxBytes else {
            throw ConfideError(.tooLarge, "\(path): \(size) bytes is over the limit of \(maxBytes) bytes for an input file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfideError(.io, "\(path): cannot read the file")
        }
        do {
            return try Value.typedValues(fromJSONText: String(decoding: data, as: UTF8.self))
        } catch let error as ConfideError {
            throw error.prefixed(path)
        }
    }
}
