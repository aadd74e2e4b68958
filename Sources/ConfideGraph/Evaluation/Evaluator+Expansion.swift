import ConfideCore

extension Evaluator {
    /// Evaluates a fixed-point custom operation (one of ``CustomExpansion/expandedOperations``)
    /// by running its expansion, so the value is CipherCore's bit for bit.
    ///
    /// - Throws: the operation's type-inference error; `.outOfRange` / `.invalidArgument` where
    ///   CipherCore would return meaningless numbers (see `ExpansionPreconditions`); otherwise the
    ///   error of the failing expansion node (for example the `Assert` of a debug `FixedMultiply`).
    static func evaluateExpanded(_ operation: CustomOperation, _ args: [Value], random: inout AESCTRGenerator) throws -> Value {
        let expansion = try CustomExpansion.expansion(of: operation, argumentTypes: args.map(\.type))
        try ExpansionPreconditions.check(operation, args)
        return try coreRun(graph: 0, expansion, args, &random, depth: 0)
    }
}
