import ConfideCore

/// Rules of CipherCore's custom operations (`custom_ops.rs`, `ops/*.rs`). CipherCore types a custom
/// node by instantiating the operation's graph for the argument types; these rules give the same
/// result type and reject the same argument types without building that graph.
///
/// Binary numbers are bit arrays whose last dimension holds the bits (least significant first).
extension TypeInference {
    /// The result type of a custom operation.
    static func customType(_ operation: CustomOperation, _ arguments: [ValueType]) throws -> ValueType {
        switch operation.name {
        case "Not":
            try expectCustomArguments(arguments, 1, operation)
            return try notType(arguments[0])
        case "Or":
            try expectCustomArguments(arguments, 2, operation)
            let first = try notType(arguments[0])
            let second = try notType(arguments[1])
            return try broadcastTensors([first, second])
        case "Equal", "NotEqual":
            let (prefix, _) = try bitOperands(arguments, operation.name)
            return .tensor(prefix, .bit)
        case "GreaterThan", "GreaterThanEqualTo", "LessThan", "LessThanEqualTo":
            return .tensor(try comparisonPrefix(arguments, operation), .bit)
        case "Max", "Min":
            try expectCustomArguments(arguments, 2, operation)
            let prefix = try comparisonPrefix(arguments, operation)
            let (_, bits) = try bitOperands(arguments, operation.name)
            return .array(prefix + [bits], .bit)
        case "Mux":
            try expectCustomArguments(arguments, 3, operation)
            return try muxType(arguments[0], arguments[1], arguments[2])
        case "BinaryAdd":
            let overflow = try customFlag(operation, "overflow_bit")
            let (prefix, bits) = try bitOperands(arguments, operation.name)
            try checkPowerOfTwoBits(bits, operation.name)
            let sum = ValueType.array(prefix + [bits], .bit)
            return overflow ? .tuple([sum, .array(prefix + [1], .bit)]) : sum
        case "BinaryAddTransposed":
            return try binaryAddTransposedType(arguments, overflow: try customFlag(operation, "overflow_bit"))
        case "Clip2K":
            try expectCustomArguments(arguments, 1, operation)
            let k = try customCount(operation, "k")
            guard case let .array(shape, .bit) = arguments[0] else {
                throw ConfideError(.typeMismatch, "Clip2K can only be applied to bit arrays, found \(arguments[0])")
            }
            let bits = UInt64(shape[shape.count - 1])
            guard k < bits - 1 else {
                throw ConfideError(.invalidArgument, "Clip2K(k: \(k)) needs k <= bits - 2 for \(bits)-bit numbers")
            }
            return arguments[0]
        case "SortByIntegerKey":
            try expectCustomArguments(arguments, 1, operation)
            return try sortByIntegerKeyType(arguments[0], key: try customText(operation, "key"))
        case "LongDivision":
            try expectCustomArguments(arguments, 2, operation)
            return try longDivisionType(arguments[0], arguments[1], signed: try customFlag(operation, "signed"))
        case "FixedMultiply":
            try expectCustomArguments(arguments, 2, operation)
            let fractionalBits = try fixedPrecisionBits(operation, "config")
            guard fractionalBits <= 126 else {
                throw ConfideError(.invalidArgument, "FixedMultiply: 2^\(fractionalBits) is too large a truncation scale for i64")
            }
            for (position, argument) in arguments.enumerated() {
                let (_, scalar) = try tensorParts(argument, "argument \(position)")
                guard scalar == .i64 else {
                    throw ConfideError(.typeMismatch, "FixedMultiply expects i64, found \(argument)")
                }
            }
            return try broadcastTensors(arguments)
        case "AucScore":
            try expectCustomArguments(arguments, 2, operation)
            return try aucScoreType(arguments, fractionalBits: try fixedPrecisionBits(operation, "fp"))
        case "NewtonInversion", "InverseSqrt", "GoldschmidtDivision", "TaylorExponent", "ApproxExponent",
            "ApproxSigmoid", "ApproxGelu", "ApproxGeluDerivative":
            return try approximationType(operation, arguments)
        default:
            throw ConfideError(.unsupportedOperation, "unknown custom operation '\(operation.name)'")
        }
    }

    // MARK: Parameters

    static func expectCustomArguments(_ arguments: [ValueType], _ count: Int, _ operation: CustomOperation) throws {
        guard arguments.count == count else {
            throw ConfideError(.invalidGraph, "\(operation.name) expects \(count) argument\(count == 1 ? "" : "s"), found \(arguments.count)")
        }
    }

    static func customFlag(_ operation: CustomOperation, _ name: String) throws -> Bool {
        guard let value = operation[name]?.boolValue else {
            throw ConfideError(.invalidArgument, "\(operation.name) needs a boolean parameter '\(name)'")
        }
        return value
    }

    static func customCount(_ operation: CustomOperation, _ name: String) throws -> UInt64 {
        guard let value = operation[name]?.integer(as: UInt64.self) else {
            throw ConfideError(.invalidArgument, "\(operation.name) needs a non-negative integer parameter '\(name)'")
        }
        return value
    }

    static func customText(_ operation: CustomOperation, _ name: String) throws -> String {
        guard let value = operation[name]?.stringValue else {
            throw ConfideError(.invalidArgument, "\(operation.name) needs a string parameter '\(name)'")
        }
        return value
    }

    /// `fractional_bits` of a `FixedPrecisionConfig` parameter (`{"fractional_bits": n, "debug": b}`).
    static func fixedPrecisionBits(_ operation: CustomOperation, _ name: String) throws -> UInt64 {
        guard let config = operation[name], let bits = config["fractional_bits"]?.integer(as: UInt64.self),
            config["debug"]?.boolValue != nil
        else {
            throw ConfideError(.invalidArgument, "\(operation.name) needs a parameter '\(name)' of the form {\"fractional_bits\": n, \"debug\": false}")
        }
        return bits
    }

    // MARK: Bitwise rules

    /// Not adds a bit scalar: its argument must be a bit scalar or array.
    private static func notType(_ type: ValueType) throws -> ValueType {
        try broadcastTensors([type, .scalar(.bit)])
    }

    /// CipherCore's `validate_arguments_in_broadcast_bit_ops` followed by the broadcast of everything
    /// but the bits: two bit arrays with the same last dimension.
    static func bitOperands(_ arguments: [ValueType], _ name: String) throws -> (prefix: [Int], bits: Int) {
        guard arguments.count == 2 else {
            throw ConfideError(.invalidGraph, "\(name) expects 2 arguments, found \(arguments.count)")
        }
        guard case let .array(shape0, scalar0) = arguments[0], case let .array(shape1, scalar1) = arguments[1] else {
            throw ConfideError(.typeMismatch, "\(name) expects two bit arrays, found \(arguments[0]) and \(arguments[1])")
        }
        guard shape0[shape0.count - 1] == shape1[shape1.count - 1] else {
            throw ConfideError(.shapeMismatch, "\(name): the last dimensions (bits) of \(shape0) and \(shape1) differ")
        }
        guard scalar0 == .bit, scalar1 == .bit else {
            throw ConfideError(.typeMismatch, "\(name) expects bit arrays, found \(arguments[0]) and \(arguments[1])")
        }
        return (try Broadcast.shape(Array(shape0.dropLast()), Array(shape1.dropLast())), shape0[shape0.count - 1])
    }

    /// Comparisons: bit operands; signed comparisons need at least 2 bits.
    private static func comparisonPrefix(_ arguments: [ValueType], _ operation: CustomOperation) throws -> [Int] {
        let signed = try customFlag(operation, "signed_comparison")
        let (prefix, bits) = try bitOperands(arguments, operation.name)
        if signed, bits < 2 {
            throw ConfideError(.shapeMismatch, "\(operation.name): signed numbers need at least 2 bits, found \(bits)")
        }
        return prefix
    }

    private static func checkPowerOfTwoBits(_ bits: Int, _ name: String) throws {
        guard bits > 0, bits & (bits - 1) == 0 else {
            throw ConfideError(.shapeMismatch, "\(name) only supports numbers whose bit count is a power of 2, found \(bits) bits")
        }
    }

    /// Mux(flag, a, b): a bit flag, two choices of one scalar type, everything broadcast.
    private static func muxType(_ flag: ValueType, _ first: ValueType, _ second: ValueType) throws -> ValueType {
        let (flagShape, flagScalar) = try tensorParts(flag, "the Mux flag")
        guard flagScalar == .bit else { throw ConfideError(.typeMismatch, "the Mux flag must consist of bits, found \(flag)") }
        let (firstShape, firstScalar) = try tensorParts(first, "the first Mux choice")
        let (secondShape, secondScalar) = try tensorParts(second, "the second Mux choice")
        guard firstScalar == secondScalar else {
            throw ConfideError(.typeMismatch, "the Mux choices have different scalar types \(firstScalar) and \(secondScalar)")
        }
        let shape = try Broadcast.shape([secondShape, flagShape, firstShape])
        return .tensor(shape, firstScalar)
    }

    /// BinaryAddTransposed: bits in the first dimension.
    private static func binaryAddTransposedType(_ arguments: [ValueType], overflow: Bool) throws -> ValueType {
        guard arguments.count == 2 else {
            throw ConfideError(.invalidGraph, "BinaryAddTransposed expects 2 arguments, found \(arguments.count)")
        }
        guard case let .array(shape0, scalar0) = arguments[0], case let .array(shape1, scalar1) = arguments[1] else {
            throw ConfideError(.typeMismatch, "BinaryAddTransposed expects two bit arrays, found \(arguments[0]) and \(arguments[1])")
        }
        guard shape0[0] == shape1[0] else {
            throw ConfideError(.shapeMismatch, "BinaryAddTransposed: the first dimensions (bits) of \(shape0) and \(shape1) differ")
        }
        guard scalar0 == .bit, scalar1 == .bit else {
            throw ConfideError(.typeMismatch, "BinaryAddTransposed expects bit arrays, found \(arguments[0]) and \(arguments[1])")
        }
        let shape = try Broadcast.shape(shape0, shape1)
        try checkPowerOfTwoBits(shape[0], "BinaryAddTransposed")
        guard overflow else { return .array(shape, .bit) }
        var carry = shape
        carry[0] = 1
        return .tuple([.array(shape, .bit), .array(carry, .bit)])
    }

    /// SortByIntegerKey: a table whose key column is a one-dimensional array of any scalar type.
    private static func sortByIntegerKeyType(_ input: ValueType, key: String) throws -> ValueType {
        guard case let .namedTuple(fields) = input else {
            throw ConfideError(.typeMismatch, "SortByIntegerKey accepts only a named tuple, found \(input)")
        }
        var converted: [ValueType.NamedType] = []
        for field in fields {
            guard field.name == key else {
                converted.append(field)
                continue
            }
            let (shape, scalar) = try tensorParts(field.type, "the key column '\(key)'")
            let bits = scalar == .bit ? shape + [1] : shape + [scalar.bits]
            converted.append(.init(field.name, .array(bits, .bit)))
        }
        _ = try sortType(.namedTuple(converted), key: key)
        return input
    }

    /// LongDivision(signed): bit-array dividend and divisor → (quotient, remainder).
    private static func longDivisionType(_ dividend: ValueType, _ divisor: ValueType, signed: Bool) throws -> ValueType {
        let (dividendShape, dividendScalar) = try tensorParts(dividend, "the LongDivision dividend")
        let (divisorShape, divisorScalar) = try tensorParts(divisor, "the LongDivision divisor")
        guard dividendScalar == .bit else { throw ConfideError(.typeMismatch, "the LongDivision dividend must be bits, found \(dividend)") }
        guard divisorScalar == .bit else { throw ConfideError(.typeMismatch, "the LongDivision divisor must be bits, found \(divisor)") }
        guard !divisorShape.isEmpty else { throw ConfideError(.typeMismatch, "the LongDivision divisor must be an array, found \(divisor)") }
        guard !dividendShape.isEmpty else { throw ConfideError(.typeMismatch, "the LongDivision dividend must be an array, found \(dividend)") }
        let prefix = try Broadcast.shape(Array(dividendShape.dropLast()), Array(divisorShape.dropLast()))
        guard !prefix.isEmpty else {
            throw ConfideError(.shapeMismatch, "LongDivision needs at least one operand of rank 2 or more, found shapes \(dividendShape) and \(divisorShape)")
        }
        let dividendBits = dividendShape[dividendShape.count - 1]
        let divisorBits = divisorShape[divisorShape.count - 1]
        guard divisorBits >= 2 else {
            throw ConfideError(.shapeMismatch, "the LongDivision divisor needs at least 2 bits, found \(divisorBits)")
        }
        try checkPowerOfTwoBits(divisorBits, "LongDivision")
        if signed {
            guard dividendBits >= 2 else {
                throw ConfideError(.shapeMismatch, "a signed LongDivision dividend needs at least 2 bits, found \(dividendBits)")
            }
            try checkPowerOfTwoBits(dividendBits, "LongDivision")
        }
        return .tuple([.array(prefix + [dividendBits], .bit), .array(prefix + [divisorBits], .bit)])
    }

    /// AucScore(fp): two equal 1-D i64 arrays (labels, predictions) of fewer than 2^20 rows → i64.
    private static func aucScoreType(_ arguments: [ValueType], fractionalBits: UInt64) throws -> ValueType {
        let truth = arguments[0]
        let (shape, scalar) = try arrayParts(truth, "y_true")
        guard shape.count == 1 else { throw ConfideError(.shapeMismatch, "y_true must be one-dimensional, found \(truth)") }
        guard shape[0] < 1 << 20 else { throw ConfideError(.shapeMismatch, "y_true must have fewer than 2^20 elements, found \(shape[0])") }
        guard scalar == .i64 else { throw ConfideError(.typeMismatch, "y_true must consist of i64, found \(truth)") }
        guard arguments[1] == truth else {
            throw ConfideError(.typeMismatch, "y_pred must have the type of y_true (\(truth)), found \(arguments[1])")
        }
        guard fractionalBits <= 71 else {
            throw ConfideError(.invalidArgument, "AucScore supports at most 71 fractional bits, found \(fractionalBits)")
        }
        return .scalar(.i64)
    }
}
