import ConfideCore

/// Declared costs of the shuffle, shared-permutation and sorting kernels (eprint 2019/695).
extension ABY3Cost {
    /// The ring of shared permutations and sort destinations for `count` rows: u32 while every
    /// index and count up to `count` fits, else u64.
    public static func permutationRing(count: Int) -> ScalarType {
        count < (1 << 32) ? .u32 : .u64
    }

    /// Wire bytes of shared columns given as (element count, scalar type).
    public static func columnBytes(_ columns: [(count: Int, scalarType: ScalarType)]) -> Int {
        columns.reduce(0) { $0 + bytes($1.count, $1.scalarType) }
    }

    /// `shuffleA` / `unshuffleA` of columns of B wire bytes in all: 3 rounds; party 0 sends 2B
    /// bytes (it leaves one pair and is in the last one), parties 1 and 2 send B bytes.
    public static func shuffleA(columnBytes b: Int) -> KernelCost {
        KernelCost(rounds: 3, bytesSent: [2 * b, b, b])
    }

    /// A secret random permutation of n elements (the planner's RandomPermutation): one
    /// ``shuffleA(columnBytes:)`` of the public identity, a u64 column.
    public static func randomPermutation(count n: Int) -> KernelCost {
        shuffleA(columnBytes: bytes(n, .u64))
    }

    /// Opening a shared permutation of n rows in `ring` to all parties: 1 round, n·w bytes per party.
    static func revealPermutation(count n: Int, _ ring: ScalarType) -> KernelCost {
        .uniform(rounds: 1, bytesPerParty: bytes(n, ring))
    }

    /// `unapplyPermutationA` (scatter by a shared permutation of n rows in `ring`) of columns of B
    /// bytes: one joint shuffle of the permutation and the columns (3 rounds), then one opening of
    /// the shuffled permutation (1 round).
    public static func unapplyPermutationA(count n: Int, permutationType ring: ScalarType, columnBytes b: Int) -> KernelCost {
        shuffleA(columnBytes: bytes(n, ring) + b) + revealPermutation(count: n, ring)
    }

    /// `applyPermutationA` (gather by a shared permutation of n rows in `ring`) of columns of B
    /// bytes: a shuffle (3 rounds) and opening (1 round) of the permutation, then an unshuffle of
    /// the columns (3 rounds).
    public static func applyPermutationA(count n: Int, permutationType ring: ScalarType, columnBytes b: Int) -> KernelCost {
        shuffleA(columnBytes: bytes(n, ring)) + revealPermutation(count: n, ring) + shuffleA(columnBytes: b)
    }

    /// `sortingPermutationA` of n rows from `bitCount` key bits: one multiplication for the first
    /// bit; each further bit takes a joint shuffle of the permutation and the bit, an opening, a
    /// multiplication and an unshuffle of the new permutation (8 rounds). `ring`: the bits' ring
    /// (default ``permutationRing(count:)``).
    public static func sortingPermutationA(count n: Int, bitCount: Int, ring: ScalarType? = nil) -> KernelCost {
        let ring = ring ?? permutationRing(count: n)
        let w = bytes(n, ring)
        let perBit = shuffleA(columnBytes: 2 * w) + revealPermutation(count: n, ring) + mulAA(count: n, ring) + shuffleA(columnBytes: w)
        var cost = mulAA(count: n, ring)
        for _ in 1..<max(bitCount, 1) { cost = cost + perBit }
        return cost
    }

    /// `sortA` of n rows by a key of `bitCount` bits, with key and payload columns of B wire bytes
    /// in all (the key bits' own cost, from the caller's `keyBits`, not included).
    public static func sortA(count n: Int, bitCount: Int, columnBytes b: Int) -> KernelCost {
        sortingPermutationA(count: n, bitCount: bitCount) + unapplyPermutationA(count: n, permutationType: permutationRing(count: n), columnBytes: b)
    }
}

extension ABY3Cost {
    /// The sorting permutation of n rows from `bitCount` packed key bits, injected a group at a
    /// time (as the party's `sortingPermutationA(packedBits:…)`): one bit injection per group of
    /// at most max(1, injectionBits / n) bits, and the radix steps.
    public static func sortingPermutationA(packedCount n: Int, bitCount: Int, ring: ScalarType, injectionBits: Int) -> KernelCost {
        let group = max(1, min(bitCount, injectionBits / max(n, 1)))
        var cost = KernelCost.free
        for start in stride(from: 0, to: bitCount, by: group) {
            cost = cost + bitInjection(count: (min(bitCount, start + group) - start) * n, ring)
        }
        return cost + sortingPermutationA(count: n, bitCount: bitCount, ring: ring)
    }
}
