/// Placeholder replaced by the randomness work (keyed AES-CTR PRG).
public struct AESCTRGenerator: Sendable {
    public init() {}
    public mutating func nextUInt64() -> UInt64 { 0 }
}
