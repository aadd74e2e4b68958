import ConfideCore
import Foundation

/// Reading typed-value input files (CipherCore's `input.txt`).
public enum InputFile {
    /// The default largest input file accepted, in bytes: 1 GiB, which fits typed-value files of
    /// 10^7 elements (a u64 array of 10^7 elements is about 200 MB of text). A larger file is
    /// refused with `.tooLarge` before it is read; pass `maxBytes` to ``load(_:maxBytes:)`` for
    /// another cap.
    public static let maxBytes = 1 << 30

    /// Reads the typed values of a file: CipherCore's `input.txt` list of typed values, or one typed value.
    /// - Parameter maxBytes: the largest file accepted, in bytes (default ``maxBytes``, 1 GiB).
    /// - Throws: `.io` when the file cannot be read, `.tooLarge` over `maxBytes`; every error names the path.
    public static func load(_ path: String, maxBytes: Int = InputFile.maxBytes) throws -> [Value] {
        let size = try size(of: path)
        guard size <= maxBytes else {
            throw ConfideError(.tooLarge, "\(path): \(size) bytes is over the limit of \(maxBytes) bytes for an input file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfideError(.io, "\(path): cannot read the file")
        }
        do {
            let json = try JSONParser(maxBytes: maxBytes).parse(bytes: [UInt8](data))
            if json.arrayValue == nil, json["kind"] != nil { return [try Value(typedJSON: json)] }
            return try Value.typedValues(fromJSON: json)
        } catch let error as ConfideError {
            throw error.prefixed(path)
        }
    }

    /// The size of a file in bytes.
    /// - Throws: `.io` naming the path when it is missing or unreadable.
    public static func size(of path: String) throws -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = (attributes?[.size] as? NSNumber)?.intValue, FileManager.default.isReadableFile(atPath: path) else {
            throw ConfideError(.io, "\(path): cannot read the file (it does not exist or is not readable)")
        }
        return size
    }
}
