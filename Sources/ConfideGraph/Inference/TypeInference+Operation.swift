import ConfideCore

extension TypeInference {
    /// Infers the type of one node from its operation and the types of its dependencies.
    ///
    /// This is the per-node rule ``inferTypes(_:)`` applies; a planner can call it directly.
    /// - Parameters:
    ///   - operation: the node's operation.
    ///   - arguments: the types of the node's dependencies, in order.
    ///   - callees: for `Call` and `Iterate`, the signature of the one graph the node runs;
    ///     empty for every other operation.
    /// - Returns: the node's type (valid in the sense of ``validate(_:)``).
    /// - Throws: ``ConfideError`` describing the first violated rule (without naming the node):
    ///   `.invalidGraph` for a wrong number of arguments or callees, `.typeMismatch` /
    ///   `.shapeMismatch` for unsuitable argument types, `.invalidArgument` / `.outOfRange` for
    ///   unsuitable operation parameters, `.invalidType` / `.tooLarge` for invalid or oversized
    ///   types, `.unsupportedOperation` for an unknown custom operation.
    public static func inferType(of operation: Operation, arguments: [ValueType], callees: [GraphSignature] = []) throws -> ValueType {
        for (position, argument) in arguments.enumerated() {
            do {
                try validate(argument)
            } catch let error as ConfideError {
                throw error.prefixed("argument \(position)")
            }
        }
        return try inferType(of: operation, validArguments: arguments, callees: callees)
    }

    /// ``inferType(of:arguments:callees:)`` for arguments already known to be valid (the types of
    /// earlier nodes), so that a graph's types are not re-validated at every use.
    static func inferType(of operation: Operation, validArguments arguments: [ValueType], callees: [GraphSignature]) throws -> ValueType {
        if let expected = expectedArgumentCount(operation), arguments.count != expected {
            throw ConfideError(.invalidGraph, "expects \(expected) argument\(expected == 1 ? "" : "s"), found \(arguments.count)")
        }
        let expectedCallees: Int
        switch operation {
        case .call, .iterate: expectedCallees = 1
        default: expectedCallees = 0
        }
        guard callees.count == expectedCallees else {
            throw ConfideError(.invalidGraph, "expects \(expectedCallees) graph dependenc\(expectedCallees == 1 ? "y" : "ies"), found \(callees.count)")
        }
        let result = try inferUnchecked(operation, arguments, callees)
        try validate(result)
        return result
    }

    /// CipherCore's fixed dependency count of an operation, or nil when it varies.
    static func expectedArgumentCount(_ operation: Operation) -> Int? {
        switch operation {
        case .input, .zeros, .ones, .random, .constant, .randomPermutation:
            return 0
        case .truncate, .sum, .cumSum, .permuteAxes, .inversePermutation, .cuckooToPermutation, .sort, .get,
            .getSlice, .reshape, .nop, .prf, .permutationFromPRF, .a2b, .b2a, .tupleGet, .namedTupleGet,
            .repeat, .arrayToVector, .vectorToArray, .decomposeSwitchingMap, .print, .shard:
            return 1
        case .add, .subtract, .multiply, .mixedMultiply, .dot, .matmul, .vectorGet, .gather, .iterate,
            .cuckooHash, .applyPermutation, .join, .gemm, .assert:
            return 2
        case .segmentCumSum:
            return 3
        case .stack, .concatenate, .createTuple, .createNamedTuple, .createVector, .zip, .call, .custom:
            return nil
        }
    }

    /// The rule of each operation; argument and callee counts are already checked.
    private static func inferUnchecked(_ operation: Operation, _ arguments: [ValueType], _ callees: [GraphSignature]) throws -> ValueType {
        switch operation {
        case let .input(type), let .zeros(type), let .ones(type), let .random(type):
            return type
        case let .constant(type, encoded):
            try validate(type)
            _ = try Value(decoding: encoded, as: type)
            return type
        case .add, .subtract, .multiply:
            return try broadcastTensors(arguments)
        case .mixedMultiply:
            return try mixedMultiplyType(arguments[0], arguments[1])
        case .dot:
            return try dotType(arguments[0], arguments[1])
        case .matmul:
            return try matmulType(arguments[0], arguments[1])
        case let .gemm(transposeA, transposeB):
            return try gemmType(arguments[0], arguments[1], transposeA: transposeA, transposeB: transposeB)
        case let .truncate(scale):
            return try truncateType(arguments[0], scale: scale)
        case let .sum(axes):
            return try sumType(arguments[0], axes: axes)
        case let .cumSum(axis):
            let (shape, _) = try arrayParts(arguments[0], "CumSum input")
            guard axis >= 0, axis < shape.count else {
                throw ConfideError(.invalidArgument, "axis \(axis) is invalid for an array of rank \(shape.count)")
            }
            return arguments[0]
        case let .permuteAxes(permutation):
            return try permuteAxesType(arguments[0], permutation)
        case let .get(index):
            return try getType(arguments[0], index)
        case let .getSlice(slice):
            let (shape, scalar) = try arrayParts(arguments[0], "GetSlice input")
            return .tensor(try SliceResolution(slice, shape: shape).resultShape, scalar)
        case let .reshape(type):
            try reshapeCheck(arguments[0], to: type)
            return type
        case .nop, .print:
            return arguments[0]
        case let .prf(_, type):
            try checkPRFKey(arguments[0])
            return type
        case let .permutationFromPRF(_, n):
            try checkPRFKey(arguments[0])
            guard n >= 1 else { throw ConfideError(.invalidArgument, "permutation length must be positive, found \(n)") }
            guard n <= 1 << 30 else { throw ConfideError(.invalidArgument, "permutation length must be at most 2^30, found \(n)") }
            return .array([n], .u64)
        case let .stack(outerShape):
            return try stackType(arguments, outerShape: outerShape)
        case let .concatenate(axis):
            return try concatenateType(arguments, axis: axis)
        case .a2b:
            return try a2bType(arguments[0])
        case let .b2a(scalar):
            return try b2aType(arguments[0], scalar)
        case .createTuple:
            return .tuple(arguments)
        case let .createNamedTuple(names):
            guard names.count == arguments.count else {
                throw ConfideError(.invalidGraph, "\(names.count) field names for \(arguments.count) arguments")
            }
            guard Set(names).count == names.count else {
                throw ConfideError(.invalidArgument, "duplicate field names in \(names)")
            }
            return .namedTuple(zip(names, arguments).map { ValueType.NamedType($0, $1) })
        case let .createVector(element):
            for (position, argument) in arguments.enumerated() where argument != element {
                throw ConfideError(.typeMismatch, "argument \(position) has type \(argument), expected the element type \(element)")
            }
            return .vector(arguments.count, element)
        case let .tupleGet(index):
            return try tupleGetType(arguments[0], index)
        case let .namedTupleGet(name):
            guard case let .namedTuple(fields) = arguments[0] else {
                throw ConfideError(.typeMismatch, "expected a named tuple, found \(arguments[0])")
            }
            guard let field = fields.first(where: { $0.name == name }) else {
                throw ConfideError(.invalidArgument, "the named tuple \(arguments[0]) has no field '\(name)'")
            }
            return field.type
        case .vectorGet:
            guard arguments[1] == .scalar(.u64) || arguments[1] == .scalar(.u32) else {
                throw ConfideError(.typeMismatch, "the vector index must be a u64 or u32 scalar, found \(arguments[1])")
            }
            guard case let .vector(_, element) = arguments[0] else {
                throw ConfideError(.typeMismatch, "expected a vector, found \(arguments[0])")
            }
            return element
        case .zip:
            return try zipType(arguments)
        case let .repeat(count):
            guard count >= 0 else { throw ConfideError(.invalidArgument, "repeat count \(count) is negative") }
            return .vector(count, arguments[0])
        case .call:
            return try callType(arguments, callees[0])
        case .iterate:
            return try iterateType(arguments, callees[0])
        case .arrayToVector:
            let (shape, scalar) = try arrayParts(arguments[0], "ArrayToVector input")
            return .vector(shape[0], .tensor(Array(shape.dropFirst()), scalar))
        case .vectorToArray:
            return try vectorToArrayType(arguments[0])
        case let .randomPermutation(n):
            guard n >= 1 else { throw ConfideError(.invalidArgument, "permutation length must be positive, found \(n)") }
            return .array([n], .u64)
        case let .gather(axis):
            return try gatherType(arguments[0], arguments[1], axis: axis)
        case .cuckooHash:
            return try cuckooHashType(arguments[0], arguments[1])
        case .inversePermutation:
            let (shape, scalar) = try arrayParts(arguments[0], "InversePermutation input")
            try checkIndexScalar(scalar, arguments[0], "InversePermutation input")
            guard shape.count == 1 else {
                throw ConfideError(.shapeMismatch, "the permutation must be one-dimensional, found shape \(shape)")
            }
            return arguments[0]
        case .cuckooToPermutation:
            let (_, scalar) = try arrayParts(arguments[0], "CuckooToPermutation input")
            guard scalar == .u64 else { throw ConfideError(.typeMismatch, "expected a u64 array, found \(arguments[0])") }
            return arguments[0]
        case let .decomposeSwitchingMap(n):
            let (shape, scalar) = try arrayParts(arguments[0], "DecomposeSwitchingMap input")
            guard scalar == .u64 else { throw ConfideError(.typeMismatch, "expected a u64 array, found \(arguments[0])") }
            guard shape[0] <= n else {
                throw ConfideError(.shapeMismatch, "the switching map of shape \(shape) is longer than \(n)")
            }
            return .tuple([arguments[0], .tuple([.array(shape, .u64), .array(shape, .bit)]), arguments[0]])
        case .segmentCumSum:
            return try segmentCumSumType(arguments[0], arguments[1], arguments[2])
        case let .shard(withColumnMasks, config):
            return try shardType(arguments[0], config: config, withColumnMasks: withColumnMasks)
        case let .join(withColumnMasks, joinArguments):
            return try joinType(arguments[0], arguments[1], arguments: joinArguments, withColumnMasks: withColumnMasks)
        case .applyPermutation:
            return try applyPermutationType(arguments[0], arguments[1])
        case let .sort(key):
            return try sortType(arguments[0], key: key)
        case let .custom(custom):
            return try customType(custom, arguments)
        case .assert:
            guard arguments[0] == .scalar(.bit) else {
                throw ConfideError(.typeMismatch, "the assertion condition must be a bit scalar, found \(arguments[0])")
            }
            return arguments[1]
        }
    }
}
