import ConfideCore

/// The plaintext reference evaluator (being written).
public struct Evaluator: Sendable {
    public init() {}
}
