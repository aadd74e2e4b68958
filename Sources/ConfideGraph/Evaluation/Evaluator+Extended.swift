import ConfideCore

extension Evaluator {
    /// Evaluates the operations of the second group (custom ops, sorting, permutations, randomness).
    static func evaluateExtended(_ op: Operation, _ args: [Value], random: inout AESCTRGenerator) throws -> Value {
        throw ConfideError(.unsupportedOperation, "operation \(op.name) is not supported by the plaintext evaluator")
    }
}
