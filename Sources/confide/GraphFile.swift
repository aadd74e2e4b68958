import ConfideCore
import ConfideGraph

/// Reading graph files, with every error naming the file.
enum GraphFile {
    /// Reads and validates a context from a file.
    /// - Throws: `ConfideError` whose message starts with the path.
    static func load(_ path: String) throws -> Context {
        try Context(contentsOfFile: path)
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
