/// Error codes of EEA TC 1.1 (work order and worker registry results) and of JSON-RPC 2.0 itself.
public enum WorkOrderStatus: Int, Sendable {
    case success = 0
    /// The work order failed (including: it exceeded `responseTimeoutMSecs`, the worker restarted before it finished).
    case failed = 1
    case invalidParameter = 2
    case accessDenied = 3
    case invalidSignature = 4
    /// The result is not ready yet; ask again with `WorkOrderGetResult`.
    case pending = 5
    case scheduled = 6
    case processing = 7
    case busy = 8
    case invalidWorkload = 9
    case unknownError = 10

    // JSON-RPC 2.0 §5.1
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
}
