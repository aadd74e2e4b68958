import ConfideCore

/// Rules of CipherCore's fixed-point approximation custom operations. Each keeps the shape of its
/// argument(s); the parameter limits are those under which CipherCore builds the operation's graph
/// without an error or an integer overflow of its own (several constants are 32-bit literals there).
extension TypeInference {
    static func approximationType(_ operation: CustomOperation, _ arguments: [ValueType]) throws -> ValueType {
        let name = operation.name
        switch name {
        case "NewtonInversion", "InverseSqrt":
            _ = try customCount(operation, "iterations")
            let cap = try customCount(operation, "denominator_cap_2k")
            guard arguments.count == 1 || arguments.count == 2 else {
                throw ConfideError(.invalidGraph, "\(name) expects 1 or 2 arguments, found \(arguments.count)")
            }
            let (_, scalar) = try tensorParts(arguments[0], "the \(name) divisor")
            guard scalar == .u64 || scalar == .i64 else {
                throw ConfideError(.typeMismatch, "the \(name) divisor must consist of u64 or i64, found \(arguments[0])")
            }
            if arguments.count == 2, arguments[1] != arguments[0] {
                throw ConfideError(.typeMismatch, "the initial approximation must have the divisor's type \(arguments[0]), found \(arguments[1])")
            }
            if name == "NewtonInversion" {
                guard (1...30).contains(cap) else {
                    throw ConfideError(.invalidArgument, "NewtonInversion needs denominator_cap_2k in 1...30, found \(cap)")
                }
            } else {
                guard (2...31).contains(cap) else {
                    throw ConfideError(.invalidArgument, "InverseSqrt needs denominator_cap_2k in 2...31, found \(cap)")
                }
            }
            return arguments[0]
        case "GoldschmidtDivision":
            let iterations = try customCount(operation, "iterations")
            let cap = try customCount(operation, "denominator_cap_2k")
            return try goldschmidtType(arguments, iterations: iterations, cap: cap)
        case "TaylorExponent":
            _ = try customCount(operation, "taylor_terms")
            let points = try customCount(operation, "fixed_precision_points")
            try expectCustomArguments(arguments, 1, operation)
            try checkInt64Argument(arguments[0], name)
            guard points <= 15 else {
                throw ConfideError(.invalidArgument, "TaylorExponent needs fixed_precision_points <= 15, found \(points)")
            }
            return arguments[0]
        default:
            let precision = try customCount(operation, "precision")
            let buckets: UInt64 = name == "ApproxExponent" ? 6 : try customCount(operation, "approximation_log_buckets")
            try expectCustomArguments(arguments, 1, operation)
            try checkInt64Argument(arguments[0], name)
            guard (1...30).contains(precision) else {
                throw ConfideError(.invalidArgument, "\(name) needs precision in 1...30, found \(precision)")
            }
            guard (1...30).contains(buckets) else {
                throw ConfideError(.invalidArgument, "\(name) needs approximation_log_buckets in 1...30, found \(buckets)")
            }
            let width: UInt64
            switch name {
            case "ApproxExponent": width = 32
            case "ApproxSigmoid": width = 16
            default: width = 8
            }
            if buckets > precision, width >> (buckets - precision) == 0 {
                throw ConfideError(.invalidArgument, "\(name): \(buckets) log buckets are too many for precision \(precision) (the bucket width truncates to zero)")
            }
            return arguments[0]
        }
    }

    private static func checkInt64Argument(_ type: ValueType, _ name: String) throws {
        let (_, scalar) = try tensorParts(type, "the \(name) argument")
        guard scalar == .i64 else {
            throw ConfideError(.typeMismatch, "the \(name) argument must consist of i64, found \(type)")
        }
    }

    /// GoldschmidtDivision(dividend, divisor[, initial approximation]) → broadcast shape.
    private static func goldschmidtType(_ arguments: [ValueType], iterations: UInt64, cap: UInt64) throws -> ValueType {
        guard arguments.count == 2 || arguments.count == 3 else {
            throw ConfideError(.invalidGraph, "GoldschmidtDivision expects 2 or 3 arguments, found \(arguments.count)")
        }
        let (dividendShape, dividendScalar) = try tensorParts(arguments[0], "the GoldschmidtDivision dividend")
        let (divisorShape, divisorScalar) = try tensorParts(arguments[1], "the GoldschmidtDivision divisor")
        guard dividendScalar == divisorScalar else {
            throw ConfideError(.typeMismatch, "the dividend (\(dividendScalar)) and divisor (\(divisorScalar)) scalar types must be the same")
        }
        guard dividendScalar.bits >= 64 else {
            throw ConfideError(.typeMismatch, "GoldschmidtDivision supports only i64, u64, i128 and u128, found \(dividendScalar)")
        }
        if arguments.count == 3, arguments[2] != arguments[1] {
            throw ConfideError(.typeMismatch, "the initial approximation must have the divisor's type \(arguments[1]), found \(arguments[2])")
        }
        let limit = UInt64(min(dividendScalar.bits, 126))
        guard (1...limit).contains(cap) else {
            throw ConfideError(.invalidArgument, "GoldschmidtDivision on \(dividendScalar) needs denominator_cap_2k in 1...\(limit), found \(cap)")
        }
        guard iterations >= 1 else {
            throw ConfideError(.invalidArgument, "GoldschmidtDivision needs at least one iteration")
        }
        return .tensor(try Broadcast.shape(dividendShape, divisorShape), dividendScalar)
    }
}
