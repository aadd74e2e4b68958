import ConfideCore
import ConfideGraph
import ConfideMPC
import ConfideRuntime
import Foundation

/// Reading graph files, with every error naming the file.
enum GraphFile {
    /// Reads and validates a context from a file.
    /// - Throws: `ConfideError` whose message starts with the path.
    static func load(_ path: String) throws -> Context {
        try Context(contentsOfFile: path)
    }

    /// The `graph_json` bytes `confide run` registers for a graph file: with `spec`, Confide's
    /// envelope around the graph; without, the file as is (a compiled graph or an envelope), checked
    /// to plan.
    /// - Throws: the file's and the planner's errors, prefixed with the path.
    static func registrationBytes(_ path: String, spec: IOSpec?) throws -> [UInt8] {
        if let spec { return try GraphEnvelope(context: try Context(contentsOfFile: path), spec: spec).bytes() }
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfideError(.io, "\(path): cannot read the file") }
        let bytes = [UInt8](data)
        _ = try inFile(path) { try GraphEnvelope(bytes: bytes).plan() }
        return bytes
    }

    /// Runs `body`, prefixing any `ConfideError` it throws with the file path.
    static func inFile<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ConfideError {
            throw error.message.hasPrefix(path) ? error : error.prefixed(path)
        }
    }

    /// Runs asynchronous `body`, prefixing any ``ConfideError`` with the file path (once).
    static func inFile<T>(_ path: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ConfideError {
            throw error.message.hasPrefix(path) ? error : error.prefixed(path)
        }
    }
}
