/// A deterministic stream of pseudo-random bytes from which CipherCore values are drawn in type order.
///
/// Conformers: ``AESCTRGenerator`` (for `Random`) and CipherCore's PRF stream (for `PRF` and
/// `PermutationFromPRF`).
protocol CipherCoreByteSource {
    /// Overwrites `buffer` with the next `buffer.count` stream bytes.
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer)
    /// The next `byteCount` (1...8) stream bytes as a little-endian number.
    mutating func nextLittleEndian(byteCount: Int) -> UInt64
}

extension AESCTRGenerator: CipherCoreByteSource {}
