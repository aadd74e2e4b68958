import ConfideCore

extension Evaluator {
    /// Evaluates the operations of the second group with CipherCore's plaintext semantics:
    /// randomness (`Random`, `RandomPermutation`, `PRF`, `PermutationFromPRF`), permutations
    /// (`Gather`, `InversePermutation`, `ApplyPermutation`), `Sort`, `SegmentCumSum`, `Join`,
    /// `JoinWithColumnMasks`, `CuckooHash`, `CuckooToPermutation`, `DecomposeSwitchingMap` and the custom
    /// operations `Not`, `Or`, `Mux`, `BinaryAdd`, `Equal`, `NotEqual`, `GreaterThan`,
    /// `GreaterThanEqualTo`, `LessThan`, `LessThanEqualTo`, `Max`, `Min`, `SortByIntegerKey` and `Clip2K`;
    /// the fixed-point custom operations of ``CustomExpansion`` run as their expansions.
    ///
    /// - Parameters:
    ///   - op: the operation.
    ///   - args: the values of the node's dependencies, in order.
    ///   - random: the generator `Random`, `RandomPermutation`, `CuckooToPermutation` and
    ///     `DecomposeSwitchingMap` draw from.
    /// - Returns: the node's value.
    /// - Throws: `.unsupportedOperation` naming any other operation; `.wrongInputCount`,
    ///   `.typeMismatch`, `.shapeMismatch`, `.invalidArgument`, `.outOfRange` or `.invalidValue`
    ///   for malformed arguments (messages name the operation and types, never values).
    static func evaluateExtended(_ op: Operation, _ args: [Value], random: inout AESCTRGenerator) throws -> Value {
        let a = ExtendedArguments(op.name, args)
        switch op {
        case let .random(type): return try ExtendedRandomOps.random(type, a, &random)
        case let .randomPermutation(n): return try ExtendedRandomOps.randomPermutation(n, a, &random)
        case let .prf(iv, type): return try ExtendedRandomOps.prf(iv: iv, type, a)
        case let .permutationFromPRF(iv, n): return try ExtendedRandomOps.permutationFromPRF(iv: iv, n, a)
        case let .gather(axis): return try ExtendedPermutationOps.gather(axis: axis, a)
        case .inversePermutation: return try ExtendedPermutationOps.inversePermutation(a)
        case let .applyPermutation(inverse): return try ExtendedPermutationOps.applyPermutation(inverse: inverse, a)
        case let .sort(key): return try ExtendedSortOps.sort(key: key, a)
        case .segmentCumSum: return try ExtendedSegmentCumSum.evaluate(a)
        case let .join(masks, arguments): return try ExtendedJoin.evaluate(withColumnMasks: masks, arguments: arguments, a)
        case .cuckooHash: return try ExtendedCuckooOps.cuckooHash(a)
        case .cuckooToPermutation: return try ExtendedCuckooOps.cuckooToPermutation(a, &random)
        case let .decomposeSwitchingMap(n): return try ExtendedSwitchingMap.evaluate(n, a, &random)
        case let .custom(custom) where CustomExpansion.expands(custom.name):
            return try evaluateExpanded(custom, args, random: &random)
        case let .custom(custom): return try evaluateExtendedCustom(custom, a)
        default:
            throw ConfideError(.unsupportedOperation, "operation \(op.name) is not supported by the plaintext evaluator")
        }
    }

    private static func evaluateExtendedCustom(_ op: CustomOperation, _ a: ExtendedArguments) throws -> Value {
        if let comparison = ExtendedBinaryNumberOps.Comparison(rawValue: op.name) {
            return try ExtendedBinaryNumberOps.compare(comparison, op, a)
        }
        switch op.name {
        case "Not": return try ExtendedBitwiseOps.not(a)
        case "Or": return try ExtendedBitwiseOps.or(a)
        case "Mux": return try ExtendedBitwiseOps.mux(a)
        case "BinaryAdd": return try ExtendedBinaryNumberOps.binaryAdd(op, a)
        case "Max": return try ExtendedBinaryNumberOps.extremum(max: true, op, a)
        case "Min": return try ExtendedBinaryNumberOps.extremum(max: false, op, a)
        case "Clip2K": return try ExtendedBinaryNumberOps.clip2K(op, a)
        case "SortByIntegerKey": return try ExtendedSortOps.sortByIntegerKey(op, a)
        default:
            throw ConfideError(.unsupportedOperation, "operation \(op.name) is not supported by the plaintext evaluator")
        }
    }
}
