import ConfideCore
import Foundation

/// Reading and writing NumPy `.npy` files as values.
public enum NPYFile {
    /// Reads one array as a value; see ``NPYArray/value(as:fractionalBits:)``.
    /// - Throws: `.io`, `.tooLarge`, and the array's errors, each naming the path.
    public static func read(_ path: String, as type: ValueType?, fractionalBits: Int? = nil, maxBytes: Int = InputFile.maxBytes) throws -> Value {
        let size = try InputFile.size(of: path)
        guard size <= maxBytes else {
            throw ConfideError(.tooLarge, "\(path): \(size) bytes is over the limit of \(maxBytes) bytes for an input file")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfideError(.io, "\(path): cannot read the file") }
        do {
            return try NPYArray(bytes: [UInt8](data)).value(as: type, fractionalBits: fractionalBits)
        } catch let error as ConfideError {
            throw error.prefixed(path)
        }
    }
}
