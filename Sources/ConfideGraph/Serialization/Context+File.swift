import ConfideCore
import Foundation

extension Context {
    /// Reads a serialized context (graph JSON, version 1 or 2) from a file.
    ///
    /// The file's size is checked before it is read: files larger than
    /// ``maxSerializedBytes`` (64 MiB) fail at once, and at most that many bytes are ever read.
    /// - Parameter path: the file path.
    /// - Throws: `.io` when the file cannot be opened or read or is not a regular file, `.tooLarge`
    ///   above 64 MiB, and the errors of ``init(serialized:)``; every message starts with `path`.
    public init(contentsOfFile path: String) throws {
        do {
            let bytes = try ContextFileReader.read(path, limit: Context.maxSerializedBytes)
            let parser = JSONParser(maxBytes: Context.maxSerializedBytes)
            try self.init(versionedJSON: try parser.parse(bytes: bytes))
        } catch let error as ConfideError {
            throw error.prefixed(path)
        }
    }

    /// Writes the serialized context to a file (replacing it).
    /// - Parameters:
    ///   - path: the file path.
    ///   - version: format version 1 or 2 (default 2).
    /// - Throws: the errors of ``serialized(version:)``; `.io` when the file cannot be written.
    ///   Every message starts with `path`.
    public func write(toFile path: String, version: Int = 2) throws {
        do {
            let text = try serialized(version: version)
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw ConfideError(.io, "cannot write the file", cause: String(describing: error))
            }
        } catch let error as ConfideError {
            throw error.prefixed(path)
        }
    }
}

/// Bounded reading of graph files.
private enum ContextFileReader {
    /// The file's bytes, after checking with `stat` that it is a regular file of at most `limit` bytes.
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw ConfideError(.io, "cannot open the file (it does not exist or is not readable)")
        }
        if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
            throw ConfideError(.io, "not a regular file")
        }
        if let size = (attributes[.size] as? NSNumber)?.uint64Value, size > UInt64(limit) {
            throw ConfideError(.tooLarge, "the file has \(size) bytes, more than the limit of \(limit) bytes (64 MiB)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConfideError(.io, "cannot open the file for reading")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw ConfideError(.io, "cannot read the file", cause: String(describing: error))
        }
        guard data.count <= limit else {
            throw ConfideError(.tooLarge, "the file has more than the limit of \(limit) bytes (64 MiB)")
        }
        return [UInt8](data)
    }
}
