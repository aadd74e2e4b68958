import ConfideCore

extension ABY3Cost {
    /// `truncA` of n elements by d bits: 1 round in which parties 0 and 1 each send n·w bytes
    /// (party 2 sends nothing); free for d = 0.
    public static func truncA(count: Int, _ scalarType: ScalarType, bits: Int) -> KernelCost {
        guard bits > 0 else { return .free }
        let b = bytes(count, scalarType)
        return KernelCost(rounds: 1, bytesSent: [b, b, 0])
    }

    /// `truncA` of n elements by a public divisor q: as by bits (1 round, parties 0 and 1 each send
    /// n·w bytes); free for q = 1.
    public static func truncA(count: Int, _ scalarType: ScalarType, divisor: UInt128) -> KernelCost {
        truncA(count: count, scalarType, bits: divisor > 1 ? 1 : 0)
    }

    /// `mulTruncAA` of n elements: 1 round, every party sends n·w bytes (as `mulAA`).
    public static func mulTruncAA(count: Int, _ scalarType: ScalarType) -> KernelCost {
        .uniform(rounds: 1, bytesPerParty: bytes(count, scalarType))
    }

    /// `matmulTruncAA` with `outputCount` outputs: 1 round, every party sends outputCount·w bytes,
    /// independent of the inner dimension.
    public static func matmulTruncAA(outputCount: Int, _ scalarType: ScalarType) -> KernelCost {
        .uniform(rounds: 1, bytesPerParty: bytes(outputCount, scalarType))
    }
}
