import Foundation

/// One work order as stored: its state and, once finished, its signed result or its error.
public struct StoredWorkOrder: Sendable, Equatable {
    public enum State: String, Sendable {
        case pending, completed, failed
    }

    public var id: String
    public var workerId: String
    public var workloadId: String
    public var requesterId: String
    public var state: State
    public var receivedAt: Date
    public var deadline: Date
    /// The submitted params as JSON text (ciphertext only: the session key is never stored).
    public var request: String
    /// The signed `result` object as JSON text (completed orders only).
    public var result: String?
    public var errorCode: Int?
    public var errorMessage: String?
}
