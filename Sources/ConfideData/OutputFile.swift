import ConfideCore
import Foundation

/// Writing a result to a file whose extension picks the format: `.csv` (``CSVOutput``), `.npy`
/// (``NPYArray``), anything else typed JSON. The file is written whole or not at all (a temporary
/// file renamed into place) and readable by its owner only (0600).
public enum OutputFile {
    public enum Format: String, Sendable, CaseIterable {
        case json, csv, npy

        /// The format of a path, by its extension.
        public init(path: String) {
            self = Format(rawValue: URL(fileURLWithPath: path).pathExtension.lowercased()) ?? .json
        }
    }

    /// The bytes of `value` in `format`.
    /// - Throws: `.invalidType` when the value does not fit the format (a table, or one NumPy array).
    public static func bytes(_ value: Value, format: Format, fractionalBits: Int? = nil) throws -> [UInt8] {
        switch format {
        case .json: return Array((ReadableJSON.format(value.typedJSON()) + "\n").utf8)
        case .csv: return try CSVOutput.bytes(value, fractionalBits: fractionalBits)
        case .npy: return try NPYArray(value).bytes
        }
    }

    /// Writes `value` to `path`, replacing an existing file only when `replacing` is true.
    /// - Throws: the format's errors prefixed with the path (nothing is written then); `.io`;
    ///   `.invalidArgument` when the file exists and `replacing` is false.
    public static func write(_ value: Value, to path: String, fractionalBits: Int? = nil, replacing: Bool) throws {
        let bytes: [UInt8]
        do {
            bytes = try self.bytes(value, format: Format(path: path), fractionalBits: fractionalBits)
        } catch let error as ConfideError {
            throw error.prefixed(path)
        }
        if replacing {
            try PrivateFile.replace(bytes, at: path)
        } else {
            try PrivateFile.writeNew(bytes, to: path)
        }
    }
}
