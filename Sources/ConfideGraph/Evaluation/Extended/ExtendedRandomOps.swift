import ConfideCore

/// `Random`, `RandomPermutation`, `PRF` and `PermutationFromPRF`.
enum ExtendedRandomOps {
    /// `Random(T)`: a fresh uniformly random value of `T` drawn from `random`.
    static func random(_ type: ValueType, _ args: ExtendedArguments, _ random: inout AESCTRGenerator) throws -> Value {
        try args.expectCount(0)
        return try random.randomValue(of: type)
    }

    /// `RandomPermutation(n)`: a uniformly random permutation of 0..<n as `u64[n]`.
    static func randomPermutation(_ n: Int, _ args: ExtendedArguments, _ random: inout AESCTRGenerator) throws -> Value {
        try args.expectCount(0)
        guard n >= 1 else {
            throw ConfideError(.invalidArgument, "RandomPermutation: permutation length must be positive, found \(n)")
        }
        return .tensor(try random.randomPermutation(count: n))
    }

    /// `PRF(iv, T)`: CipherCore's PRF keyed by a `bit[128]` argument.
    static func prf(iv: UInt64, _ type: ValueType, _ args: ExtendedArguments) throws -> Value {
        try args.expectCount(1)
        return try CipherCorePRF.evaluate(key: key(args), iv: iv, type: type)
    }

    /// `PermutationFromPRF(iv, n)`: CipherCore's PRF permutation of 0..<n as `u64[n]`.
    static func permutationFromPRF(iv: UInt64, _ n: Int, _ args: ExtendedArguments) throws -> Value {
        try args.expectCount(1)
        let k = try key(args)
        guard n >= 1, n <= CipherCorePRF.maxPermutationCount else {
            throw ConfideError(.invalidArgument, "PermutationFromPRF: permutation length must be in 1...2^30, found \(n)")
        }
        return .tensor(try CipherCorePRF.permutation(key: k, iv: iv, count: n))
    }

    private static func key(_ args: ExtendedArguments) throws -> Tensor {
        let t = try args.tensor(0)
        guard t.scalarType == .bit, t.shape == [128] else {
            throw ConfideError(.typeMismatch, "\(args.op): the key must be bit[128], found \(t.type)")
        }
        return t
    }
}
