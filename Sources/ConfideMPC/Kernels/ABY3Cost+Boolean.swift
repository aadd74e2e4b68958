import ConfideCore

/// Declared costs of the boolean, conversion and comparison kernels (n elements, k-bit ring,
/// w = its byte width, L = log₂k). Every value is what the in-process communicator counts.
extension ABY3Cost {
    /// `andBB` / `orBB` / `muxB` of n bits: 1 round, ⌈n/8⌉ bytes per party.
    public static func andBB(count: Int) -> KernelCost {
        .uniform(rounds: 1, bytesPerParty: bitBytes(count))
    }

    /// `andBBBatch` of ANDs of n_j bits: 1 round, Σ⌈n_j/8⌉ bytes per party (free when empty).
    public static func andBBBatch(counts: [Int]) -> KernelCost {
        counts.isEmpty ? .free : .uniform(rounds: 1, bytesPerParty: counts.reduce(0) { $0 + bitBytes($1) })
    }

    /// One party's input of n k-bit values into a sharing: 1 round, `owner` sends n·w bytes.
    static func booleanInput(count: Int, _ scalarType: ScalarType, owner: Int) -> KernelCost {
        var sent = [0, 0, 0]
        sent[owner] = bytes(count, scalarType)
        return KernelCost(rounds: 1, bytesSent: sent)
    }

    /// The Kogge–Stone adder: 1 + L rounds; G = a∧b, then L − 1 levels of two ANDs and a last
    /// level of one, each of n k-bit words: 2·L·n·w bytes per party.
    static func koggeStone(count: Int, _ scalarType: ScalarType) -> KernelCost {
        let levels = scalarType.bits.trailingZeroBitCount
        return .uniform(rounds: 1 + levels, bytesPerParty: 2 * levels * bytes(count, scalarType))
    }

    /// The carry tree on n numbers of `width` bits: log₂(width) rounds; the level that halves the
    /// width to h sends one AND of n·h bits per combined quantity (G and/or P; P is dropped at the
    /// last level when only G is wanted).
    static func carryTree(count: Int, width: Int, generate: Bool, keepPropagate: Bool) -> KernelCost {
        var cost = KernelCost.free
        var w = width
        while w > 1 {
            let half = count * w / 2
            let jobs = (generate ? 1 : 0) + ((!generate || w > 2 || keepPropagate) ? 1 : 0)
            cost = cost + .uniform(rounds: 1, bytesPerParty: jobs * bitBytes(half))
            w /= 2
        }
        return cost
    }

    /// `a2b` / `a2bWords`: 2 + L rounds; party 0 sends n·w bytes more than the 2·L·n·w of every party.
    public static func a2b(count: Int, _ scalarType: ScalarType) -> KernelCost {
        booleanInput(count: count, scalarType, owner: 0) + koggeStone(count: count, scalarType)
    }

    /// `b2a`: 3 + L rounds: party 1's input (n·w bytes), the adder, and the opening of a_0 to
    /// parties 0 and 2 (n·w bytes each from parties 1 and 0).
    public static func b2a(count: Int, _ scalarType: ScalarType) -> KernelCost {
        let open = KernelCost(rounds: 1, bytesSent: [bytes(count, scalarType), bytes(count, scalarType), 0])
        return booleanInput(count: count, scalarType, owner: 1) + koggeStone(count: count, scalarType) + open
    }

    /// `bitExtractA` / `msbA`: 2 + L rounds: party 0's input (n·w bytes), G = a∧b on n·k bits
    /// (⌈n·k/8⌉ bytes per party) and the carry tree (about n·k/4 bytes per party in total).
    public static func bitExtraction(count: Int, _ scalarType: ScalarType) -> KernelCost {
        let k = scalarType.bits
        return booleanInput(count: count, scalarType, owner: 0) + andBB(count: count * k)
            + carryTree(count: count, width: k, generate: true, keepPropagate: false)
    }

    /// `injectBit`: 2 rounds: party 0's input of c = b_0 ⊕ b_1 (n·w bytes) and one `mulAA`.
    public static func bitInjection(count: Int, _ scalarType: ScalarType) -> KernelCost {
        booleanInput(count: count, scalarType, owner: 0) + mulAA(count: count, scalarType)
    }

    /// `mulAB`: one round of two three-party OTs (parties 0, 1, 2 send 2, 1 and 3 times n·w
    /// bytes), then one resharing round (n·w bytes each): 2 rounds.
    public static func mulAB(count: Int, _ scalarType: ScalarType) -> KernelCost {
        let b = bytes(count, scalarType)
        return KernelCost(rounds: 1, bytesSent: [2 * b, b, 3 * b]) + mulAA(count: count, scalarType)
    }

    /// `ltA`, `leA`, `gtA`, `geA`: the MSBs of x, y and their difference in one bit extraction of
    /// 3n numbers, then one AND of n bits: 3 + L rounds.
    /// `eqA`, `neA`: party 0's input (n·w bytes), then an AND tree over the k bits: 1 + L rounds.
    public static func comparison(_ comparison: ABY3Comparison, count: Int, _ scalarType: ScalarType) -> KernelCost {
        switch comparison {
        case .equal, .notEqual:
            return booleanInput(count: count, scalarType, owner: 0)
                + carryTree(count: count, width: scalarType.bits, generate: false, keepPropagate: true)
        default:
            return bitExtraction(count: 3 * count, scalarType) + andBB(count: count)
        }
    }

    /// `muxA` / `selectA`: one `mulAB`.
    public static func muxA(count: Int, _ scalarType: ScalarType) -> KernelCost { mulAB(count: count, scalarType) }

    /// `minA` / `maxA`: a less-than comparison then one `selectA`: 5 + L rounds.
    public static func minMax(count: Int, _ scalarType: ScalarType) -> KernelCost {
        comparison(.lessThan, count: count, scalarType) + mulAB(count: count, scalarType)
    }

    /// `clip2KB` of n numbers of `width` bits: an AND tree over the top width − k bits padded to
    /// a power of two, then one round of two ANDs (n·k and n bits).
    public static func clip2K(count: Int, width: Int, k: Int) -> KernelCost {
        let m = width - k
        let padded = 1 << (Int.bitWidth - (m - 1).leadingZeroBitCount)
        return carryTree(count: count, width: padded, generate: false, keepPropagate: true) + andBBBatch(counts: [count * k, count])
    }

    /// `compareB` of n numbers of w bits (W = w rounded up to a power of two): for the order
    /// comparisons G = x∧¬y on n·W bits then the carry tree keeping P (1 + log₂W rounds); for
    /// equal / not equal the AND tree alone (log₂W rounds).
    public static func compareB(_ comparison: ABY3Comparison, count: Int, width: Int) -> KernelCost {
        let padded = width <= 1 ? 1 : 1 << (Int.bitWidth - (width - 1).leadingZeroBitCount)
        switch comparison {
        case .equal, .notEqual:
            return carryTree(count: count, width: padded, generate: false, keepPropagate: true)
        default:
            return andBB(count: count * padded) + carryTree(count: count, width: padded, generate: true, keepPropagate: true)
        }
    }

    /// `maxB` / `minB`: a `compareB` less-than, then one AND of n·w bits.
    public static func minMaxB(count: Int, width: Int) -> KernelCost {
        compareB(.lessThan, count: count, width: width) + andBB(count: count * width)
    }

    /// `binaryAddB` of n numbers of w bits: the Kogge–Stone adder on words of max(w, 8) bits.
    public static func binaryAddB(count: Int, width: Int) -> KernelCost {
        let container: ScalarType = width <= 8 ? .u8 : width == 16 ? .u16 : width == 32 ? .u32 : width == 64 ? .u64 : .u128
        return koggeStone(count: count, container)
    }
}
