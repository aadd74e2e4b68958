import ConfideCore

/// Order statistics without sorting: secure radix selection.
extension ABY3Party {
    /// The elements of the given ranks (0 = smallest) of a shared vector, found bit by bit from the
    /// most significant, without sorting (a secure radix selection; the median of n elements is
    /// rank (n − 1) / 2, and for even n the mean of ranks n/2 − 1 and n/2).
    ///
    /// Share algebra, per rank: the key's bits b_j as XOR shares (one A2B; the top bit negated for
    /// signed order); candidates c, a bit per element (1 where the element's higher bits equal the
    /// answer's so far; initially all); the remaining rank k in the ring R of
    /// ``ABY3Cost/permutationRing(count:)`` (initially the rank). For j from the top:
    /// z = c ∧ ¬b_j; count₀ = Σ z (bit injection of z into R, then a local sum); the answer's bit
    /// is g = [count₀ ≤ k]; then c ← z ⊕ (g ∧ c) (which is c ∧ ¬z when g = 1 and z when g = 0) and
    /// k ← k − g·count₀. The answer's bits g_j become an integer with one B2A. All ranks run side by
    /// side in the same rounds.
    /// Collective. Communication: ``ABY3Cost/selectRanksA(count:ranks:_:)``.
    /// Reveals: nothing.
    /// - Parameters:
    ///   - x: the vector, shape [n].
    ///   - ranks: the ranks wanted, each in 0..<n.
    ///   - signed: two's-complement order; nil uses the scalar type's signedness.
    /// - Returns: the selected elements, shape [ranks.count], in the order of `ranks`.
    /// - Throws: `.shapeMismatch` unless x is a non-empty vector; `.invalidArgument` for no ranks
    ///   or a rank outside 0..<n; `.typeMismatch` for bit shares; the kernels' errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func selectRanksA<W: RingWord>(_ x: ArithmeticShare<W>, ranks: [Int], signed: Bool? = nil) async throws -> ArithmeticShare<W> {
        guard x.shape.count == 1, x.count > 0 else { throw ConfideError(.shapeMismatch, "selectRanksA: expected a non-empty vector, found \(x.type)") }
        guard x.scalarType != .bit else { throw ConfideError(.typeMismatch, "selectRanksA: expected integers, found \(x.type)") }
        let n = x.count, r = ranks.count, k = x.scalarType.bits
        guard r > 0 else { throw ConfideError(.invalidArgument, "selectRanksA: no ranks given") }
        for rank in ranks where !(0..<n).contains(rank) {
            throw ConfideError(.invalidArgument, "selectRanksA: rank \(rank) is outside 0..<\(n)")
        }
        let ring = ABY3Cost.permutationRing(count: n)
        let mask = ring.mask64
        let words = try await a2bWords(x)
        let isSigned = signed ?? x.scalarType.isSigned
        /// Bit j of every element, repeated for each rank.
        func column(_ j: Int) throws -> BinaryShare {
            var bit = try words.bit(j)
            if isSigned, j == k - 1 { bit = notB(bit) }
            guard r > 1 else { return bit }
            let a = BinaryShare.unpack(bit.first, count: n), b = BinaryShare.unpack(bit.second, count: n)
            return BinaryShare(
                unchecked: [r * n], first: BinaryShare.pack(Array(repeating: a, count: r).flatMap { $0 }),
                second: BinaryShare.pack(Array(repeating: b, count: r).flatMap { $0 }))
        }
        /// A bit per rank, repeated over that rank's n candidates.
        func spread(_ g: BinaryShare) -> BinaryShare {
            let a = BinaryShare.unpack(g.first, count: r), b = BinaryShare.unpack(g.second, count: r)
            return BinaryShare(
                unchecked: [r * n], first: BinaryShare.pack(a.flatMap { Array(repeating: $0, count: n) }),
                second: BinaryShare.pack(b.flatMap { Array(repeating: $0, count: n) }))
        }
        var candidates = try publicB(Tensor(.bit, shape: [r * n], narrow: [UInt64](repeating: 1, count: r * n)))
        var remaining: ArithmeticShare<UInt64> = try publicA(Tensor(ring, shape: [r], narrow: ranks.map { UInt64($0) }))
        var answerBits = [BinaryShare](repeating: candidates, count: k)
        for j in stride(from: k - 1, through: 0, by: -1) {
            let z = try await andBB(candidates, notB(try column(j)))
            let zA: ArithmeticShare<UInt64> = try await injectBit(z, as: ring)
            let counts = Self.selectionBlockSums(zA, blocks: r, length: n)
            let g = try await compareA(.lessThanEqualTo, counts, remaining, signed: false)
            answerBits[j] = g
            let gA: ArithmeticShare<UInt64> = try await injectBit(g, as: ring)
            candidates = try xorBB(z, try await andBB(spread(g), candidates))
            let taken = try await mulAA(gA, counts)
            remaining = ArithmeticShare(
                unchecked: ring, shape: [r], first: zip(remaining.first, taken.first).map { ($0 &- $1) & mask },
                second: zip(remaining.second, taken.second).map { ($0 &- $1) & mask })
        }
        // The answers' bits as an [r, k] bit share, least significant first, then one B2A.
        let unpacked = answerBits.map { (BinaryShare.unpack($0.first, count: r), BinaryShare.unpack($0.second, count: r)) }
        var first = [UInt64](repeating: 0, count: r * k), second = [UInt64](repeating: 0, count: r * k)
        for i in 0..<r {
            for j in 0..<k {
                first[i * k + j] = unpacked[j].0[i]
                second[i * k + j] = unpacked[j].1[i]
            }
        }
        var answer = try BinaryShare(shape: [r, k], first: BinaryShare.pack(first), second: BinaryShare.pack(second))
        if isSigned {
            answer = try xorBP(answer, Tensor(.bit, shape: [r, k], narrow: (0..<(r * k)).map { $0 % k == k - 1 ? 1 : 0 }))
        }
        return try await b2a(answer, x.scalarType)
    }
}

extension ABY3Party {
    /// Σ of each of `blocks` consecutive runs of `length` elements, per component (local).
    static func selectionBlockSums(_ x: ArithmeticShare<UInt64>, blocks: Int, length: Int) -> ArithmeticShare<UInt64> {
        let mask = x.scalarType.mask64
        func sums(_ words: [UInt64]) -> [UInt64] {
            words.withUnsafeBufferPointer { w in
                (0..<blocks).map { b in
                    var total: UInt64 = 0
                    for i in (b * length)..<((b + 1) * length) { total &+= w[i] }
                    return total & mask
                }
            }
        }
        return ArithmeticShare(unchecked: x.scalarType, shape: [blocks], first: sums(x.first), second: sums(x.second))
    }
}

extension ABY3Cost {
    /// ``ABY3Party/selectRanksA(_:ranks:signed:)`` of n k-bit elements for r ranks, in the ring R of
    /// ``permutationRing(count:)``: one A2B, then per bit an AND of r·n bits, a bit injection of r·n,
    /// a comparison and a bit injection of r, an AND of r·n bits and a multiplication of r; finally a
    /// B2A of r.
    public static func selectRanksA(count n: Int, ranks r: Int, _ scalarType: ScalarType) -> KernelCost {
        let ring = permutationRing(count: n)
        let perBit = andBB(count: r * n) + bitInjection(count: r * n, ring) + comparison(.lessThanEqualTo, count: r, ring)
            + bitInjection(count: r, ring) + andBB(count: r * n) + mulAA(count: r, ring)
        var cost = a2b(count: n, scalarType)
        for _ in 0..<scalarType.bits { cost = cost + perBit }
        return cost + b2a(count: r, scalarType)
    }
}
