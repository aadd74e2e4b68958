import ConfideCore
import GRPCCore

/// Short, value-free descriptions of errors that cross the runtime's boundaries.
enum RuntimeErrors {
    /// A one-line description: a ``ConfideError``'s code and message, an `RPCError`'s code and
    /// message, or the error's type for anything else (whose text might carry data).
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as ConfideError: return "\(error.code.name): \(error.message)"
        case let error as RPCError: return "gRPC \(error.code): \(error.message)"
        case is CancellationError: return "cancelled"
        default: return "\(type(of: error))"
        }
    }

    /// The error as a ``ConfideError`` (other errors wrapped with `code` and `context`).
    static func confide(_ error: any Error, code: ConfideError.Code, _ context: String) -> ConfideError {
        if let error = error as? ConfideError { return error.prefixed(context) }
        return ConfideError(code, context, cause: describe(error))
    }
}
