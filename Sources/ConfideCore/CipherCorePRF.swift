/// CipherCore's pseudo-random function (random.rs `Prf`), bit-exact.
///
/// The key is the 16-byte encoding of a `bit[128]` value (element 8j+k is bit k of byte j). For
/// input `iv` the output stream is AES-128-ECB of the 16-byte little-endian blocks
/// `(iv << 64) + i`, i = 0, 1, …; values are drawn from it in type order as described in
/// ``CipherCoreRandomLayout``. Parties holding the same key obtain the same values.
public enum CipherCorePRF {
    /// The largest permutation ``permutation(key:iv:count:)`` accepts (CipherCore's limit, 2^30).
    public static let maxPermutationCount = 1 << 30

    /// The 16 key bytes of a `bit[128]` key tensor.
    /// - Throws: `.typeMismatch` when the tensor is not `bit[128]`.
    public static func keyBytes(_ key: Tensor) throws -> [UInt8] {
        guard key.scalarType == .bit, key.shape == [128] else {
            throw ConfideError(.typeMismatch, "PRF key must be bit[128], found \(key.type)")
        }
        return key.littleEndianBytes()
    }

    /// The value of type `type` that CipherCore's `PRF(iv, type)` produces for `key`.
    /// - Parameters:
    ///   - key: a `bit[128]` tensor.
    ///   - iv: the PRF input.
    ///   - type: the output type.
    /// - Throws: `.typeMismatch` for a key that is not `bit[128]`; `.invalidType` / `.tooLarge` for a malformed type.
    public static func evaluate(key: Tensor, iv: UInt64, type: ValueType) throws -> Value {
        var stream = try CipherCorePRFStream(key: keyBytes(key), iv: iv)
        return try CipherCoreRandomLayout.value(of: type, from: &stream)
    }

    /// The `u64[count]` permutation of 0..<count that CipherCore's `PermutationFromPRF(iv, count)` produces for `key`.
    /// - Throws: `.typeMismatch` for a key that is not `bit[128]`; `.invalidArgument` when `count`
    ///   is not in 1...2^30.
    public static func permutation(key: Tensor, iv: UInt64, count: Int) throws -> Tensor {
        let bytes = try keyBytes(key)
        guard count >= 1, count <= maxPermutationCount else {
            throw ConfideError(.invalidArgument, "permutation length must be in 1...\(maxPermutationCount), found \(count)")
        }
        var stream = try CipherCorePRFStream(key: bytes, iv: iv)
        let perm = CipherCoreRandomLayout.prfPermutation(count: count, from: &stream)
        return Tensor(unchecked: .u64, shape: [count], storage: .narrow(perm))
    }
}
