import ConfideCore

/// The communication a kernel takes: rounds on the critical path and bytes each party sends.
public struct KernelCost: Sendable, Equatable, CustomStringConvertible {
    public var rounds: Int
    /// Bytes sent by party 0, 1 and 2.
    public var bytesSent: [Int]

    public init(rounds: Int, bytesSent: [Int]) {
        self.rounds = rounds
        self.bytesSent = bytesSent
    }

    /// No communication.
    public static let free = KernelCost(rounds: 0, bytesSent: [0, 0, 0])

    /// Every party sends `bytes` in each of `rounds` rounds.
    public static func uniform(rounds: Int, bytesPerParty bytes: Int) -> KernelCost {
        KernelCost(rounds: rounds, bytesSent: [bytes, bytes, bytes])
    }

    /// Sequential composition: rounds and bytes add up.
    public static func + (a: KernelCost, b: KernelCost) -> KernelCost {
        KernelCost(rounds: a.rounds + b.rounds, bytesSent: zip(a.bytesSent, b.bytesSent).map { $0 + $1 })
    }

    public var description: String { "\(rounds) rounds, bytes sent \(bytesSent)" }
}

/// The declared cost of each ABY3 kernel, as a function of element count and ring; the kernels'
/// `// comm:` notes and the cost tests match these.
public enum ABY3Cost {
    /// Bytes of `count` elements of `scalarType` on the wire.
    public static func bytes(_ count: Int, _ scalarType: ScalarType) -> Int { count * scalarType.byteWidth }

    /// Bytes of `count` packed bits on the wire.
    public static func bitBytes(_ count: Int) -> Int { (count + 7) / 8 }

    /// `shareA` by `owner`: the owner sends n·w bytes.
    public static func shareA(count: Int, _ scalarType: ScalarType, owner: Int) -> KernelCost {
        var sent = [0, 0, 0]
        sent[owner] = bytes(count, scalarType)
        return KernelCost(rounds: 1, bytesSent: sent)
    }

    /// `shareB` by `owner`: the owner sends ⌈n/8⌉ bytes.
    public static func shareB(count: Int, owner: Int) -> KernelCost {
        var sent = [0, 0, 0]
        sent[owner] = bitBytes(count)
        return KernelCost(rounds: 1, bytesSent: sent)
    }

    /// `revealA` to `receivers`: the successor of each receiver sends n·w bytes.
    public static func revealA(count: Int, _ scalarType: ScalarType, to receivers: Set<Int>) -> KernelCost {
        var sent = [0, 0, 0]
        for q in receivers { sent[(q + 1) % 3] = bytes(count, scalarType) }
        return KernelCost(rounds: 1, bytesSent: sent)
    }

    /// `revealB` to `receivers`: the successor of each receiver sends ⌈n/8⌉ bytes.
    public static func revealB(count: Int, to receivers: Set<Int>) -> KernelCost {
        var sent = [0, 0, 0]
        for q in receivers { sent[(q + 1) % 3] = bitBytes(count) }
        return KernelCost(rounds: 1, bytesSent: sent)
    }

    /// `mulAA`: one resharing round of the n products.
    public static func mulAA(count: Int, _ scalarType: ScalarType) -> KernelCost {
        .uniform(rounds: 1, bytesPerParty: bytes(count, scalarType))
    }

    /// `matmulAA` of (…, m × k) by (…, k × n): one resharing round of the outputs, independent of k.
    public static func matmulAA(outputCount: Int, _ scalarType: ScalarType) -> KernelCost {
        .uniform(rounds: 1, bytesPerParty: bytes(outputCount, scalarType))
    }
}
