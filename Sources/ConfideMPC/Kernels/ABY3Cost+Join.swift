import ConfideCore

/// Declared costs of the oblivious join (``ABY3Party/joinMatch(_:_:injectionBits:)``).
extension ABY3Cost {
    /// One column of a join's key or payload: its scalar type and elements per row.
    public struct JoinColumn: Sendable, Equatable {
        public var scalarType: ScalarType
        public var rowWidth: Int

        public init(_ scalarType: ScalarType, rowWidth: Int = 1) {
            self.scalarType = scalarType
            self.rowWidth = rowWidth
        }
    }

    /// `andAll` of c columns of n bits: a tree of batched AND rounds, ⌈log₂ c⌉ rounds.
    public static func andAll(columns c: Int, count n: Int) -> KernelCost {
        var cost = KernelCost.free
        var level = c
        while level > 1 {
            cost = cost + andBBBatch(counts: [Int](repeating: n, count: level / 2))
            level -= level / 2
        }
        return cost
    }

    /// `joinMatch` of tables of nA and nB rows (n = nA + nB) with the given key columns (one
    /// side's) and payloads: one bit injection of the validity and every bit column (u8), the
    /// integer keys' A2B, the radix sort's permutation over 1 + Σ key bits, one scatter per word
    /// width, an equality test per integer key, the AND tree of the match conditions, one
    /// `mulAB` per payload ring (and u8 for the match flag), one gather per word width. Free when
    /// a side is empty.
    public static func joinMatch(
        countA: Int, countB: Int, keys: [JoinColumn], payloadA: [JoinColumn], payloadB: [JoinColumn],
        injectionBits: Int = 1 << 19
    ) -> KernelCost {
        guard countA > 0, countB > 0 else { return .free }
        let n = countA + countB
        let ring = permutationRing(count: n)
        let payload = payloadB + payloadA
        let bitColumns = keys.filter { $0.scalarType == .bit } + payload.filter { $0.scalarType == .bit }
        var cost = bitInjection(count: n * (1 + bitColumns.reduce(0) { $0 + $1.rowWidth }), .u8)
        var sortBits = 1
        for key in keys {
            if key.scalarType == .bit {
                sortBits += key.rowWidth
            } else {
                cost = cost + a2b(count: n, key.scalarType)
                sortBits += key.scalarType.bits
            }
        }
        cost = cost + sortingPermutationA(packedCount: n, bitCount: sortBits, ring: ring, injectionBits: injectionBits)
        func moved(_ column: JoinColumn) -> (wide: Bool, bytes: Int) {
            column.scalarType == .bit
                ? (false, bytes(n * column.rowWidth, .u8)) : (column.scalarType.isWide, bytes(n * column.rowWidth, column.scalarType))
        }
        let scattered = [moved(JoinColumn(.u8)), moved(JoinColumn(.u8))] + (keys + payload).map(moved)
        for wide in [false, true] {
            let b = scattered.filter { $0.wide == wide }.reduce(0) { $0 + $1.bytes }
            if b > 0 { cost = cost + unapplyPermutationA(count: n, permutationType: ring, columnBytes: b) }
        }
        var conditions = 4
        for key in keys {
            if key.scalarType == .bit {
                conditions += key.rowWidth
            } else {
                cost = cost + comparison(.equal, count: n - 1, key.scalarType)
                conditions += 1
            }
        }
        cost = cost + andAll(columns: conditions, count: n - 1)
        var order: [ScalarType] = [.u8]
        var elements: [ScalarType: Int] = [.u8: n]
        for column in payload {
            let s = column.scalarType == .bit ? ScalarType.u8 : column.scalarType
            if elements[s] == nil { order.append(s) }
            elements[s, default: 0] += n * column.rowWidth
        }
        for s in order { cost = cost + mulAB(count: elements[s] ?? 0, s) }
        let gathered = [moved(JoinColumn(.u8))] + payload.map(moved)
        for wide in [false, true] {
            let b = gathered.filter { $0.wide == wide }.reduce(0) { $0 + $1.bytes }
            if b > 0 { cost = cost + applyPermutationA(count: n, permutationType: ring, columnBytes: b) }
        }
        return cost
    }
}
