import ConfideCore

/// Stable three-party radix sort of secret-shared keys (Asharov et al., eprint 2019/695:
/// "GenBitPerm", "Compose", "GenPerm"), built on the resharing shuffle; O(n) work and traffic per
/// key bit, O(k) rounds for k-bit keys, no comparisons.
extension ABY3Party {
    /// Sorts a shared key column stably (equal keys keep their order) and reorders the payload
    /// columns with it, as CipherCore's `SortByIntegerKey`.
    ///
    /// The key's bits come from `keyBits` (bit decomposition and bit injection), LSB first; signed
    /// keys are ordered as two's complement by flipping the most significant bit (locally, 1 − b).
    /// The sorting permutation is ``sortingPermutationA(bits:)``; the key and payloads are then
    /// scattered by it (``unapplyPermutationA(_:permutation:)``).
    ///
    /// Collective: every party calls this in the same order with shares of the same types.
    /// Communication: ``ABY3Cost/sortA(count:bitCount:columnBytes:)`` with k = the key's bit width
    /// and B the wire bytes of key and payloads: 8k − 3 rounds, plus what `keyBits` takes.
    /// Reveals: k uniformly random permutations (shuffled sorting permutations), independent of the
    /// data; nothing else. Stability makes the sorting permutation a function of the key alone.
    /// - Parameters:
    ///   - key: the key, shape [n].
    ///   - payload: columns with first dimension n, reordered with the key.
    ///   - signed: order the key as a two's-complement integer.
    ///   - keyBits: given the party, the key and the permutation ring
    ///     (``ABY3Cost/permutationRing(count:)``), returns the key's k bits, LSB first, as arithmetic
    ///     shares of 0 or 1 of shape [n] in that ring. Called once, by every party.
    /// - Returns: the sorted key and the payloads in the same order.
    /// - Throws: `.shapeMismatch` for a key that is not a non-empty vector or payloads of another
    ///   first dimension; `.typeMismatch` when `keyBits` returns the wrong number or types of
    ///   columns; `keyBits`' errors; the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func sortA<W: RingWord>(
        key: ArithmeticShare<W>, payload: [ArithmeticShare<W>] = [], signed: Bool,
        keyBits: (ABY3Party, ArithmeticShare<W>, ScalarType) async throws -> [ArithmeticShare<UInt64>]
    ) async throws -> (key: ArithmeticShare<W>, payload: [ArithmeticShare<W>]) {
        guard key.shape.count == 1, key.shape[0] > 0 else {
            throw ConfideError(.shapeMismatch, "sortA: the key must be a non-empty vector, found \(key.type)")
        }
        let n = key.shape[0]
        _ = try shuffleRowCount([key.shape] + payload.map(\.shape), "sortA")
        let ring = ABY3Cost.permutationRing(count: n)
        var bits = try await keyBits(self, key, ring)
        let k = key.scalarType.bits
        guard bits.count == k else {
            throw ConfideError(.typeMismatch, "sortA: keyBits returned \(bits.count) columns for a \(key.scalarType) key, expected \(k)")
        }
        for column in bits where column.type != .tensor([n], ring) {
            throw ConfideError(.typeMismatch, "sortA: keyBits returned a column of type \(column.type), expected \(ValueType.tensor([n], ring))")
        }
        if signed {
            // 1 − b: negate and add the public 1 to component x_0.
            bits[k - 1] = sortAddPublic(negA(bits[k - 1])) { _ in 1 }
        }
        let destinations = try await sortingPermutationA(bits: bits)
        let sorted = try await unapplyPermutationA([key] + payload, permutation: destinations)
        return (sorted[0], Array(sorted.dropFirst()))
    }

    /// The stable sorting permutation of a key given by its bits: the shared destination of each
    /// row (row i of the input goes to row σ[i] of the sorted output).
    ///
    /// 2019/695: σ = GenBitPerm(b_0); for each further bit b_j, b_j is brought into the order
    /// σ gives (joint shuffle of σ and b_j with ρ, open σ∘ρ, scatter locally), τ = GenBitPerm of
    /// the reordered bit, and σ ← τ∘σ by gathering τ through the opened σ∘ρ and unshuffling with ρ.
    /// GenBitPerm(b): with c = prefix sums of b, the destination of row i is
    /// i − c_i + b_i·(n − c_{n−1} + 2c_i − i − 1) (zeros first in order, then ones in order):
    /// one multiplication.
    ///
    /// Collective. Communication: ``ABY3Cost/sortingPermutationA(count:bitCount:ring:)``: 1 round
    /// for the first bit, 8 rounds per further bit.
    /// Reveals: for each bit after the first, σ∘ρ for a fresh uniformly random ρ unknown to every
    /// party, which is uniformly random and independent of the key.
    /// - Parameter bits: k ≥ 1 columns of shape [n], shares of 0 or 1 in one ring with room for n
    ///   (not `bit`), least significant first.
    /// - Returns: σ, shape [n], in the bits' ring.
    /// - Throws: `.invalidArgument` for no bits; `.typeMismatch` for columns of different types or
    ///   a ring without room for n; the communicator's errors.
    public func sortingPermutationA(bits: [ArithmeticShare<UInt64>]) async throws -> ArithmeticShare<UInt64> {
        guard let lowest = bits.first else { throw ConfideError(.invalidArgument, "sortingPermutationA: expected at least one key bit") }
        for column in bits where column.type != lowest.type {
            throw ConfideError(.typeMismatch, "sortingPermutationA: bit columns of types \(lowest.type) and \(column.type)")
        }
        _ = try permutationCheck(lowest, [lowest.shape], "sortingPermutationA")
        guard lowest.count < Int(clamping: lowest.scalarType.mask64) else {
            throw ConfideError(.typeMismatch, "sortingPermutationA: \(lowest.count) rows do not fit in \(lowest.scalarType)")
        }
        var sigma = try await sortBitDestinations(lowest)
        for bit in bits.dropFirst() { sigma = try await sortPermutationStep(sigma, bit) }
        return sigma
    }

    /// One radix step of ``sortingPermutationA(bits:)``: the stable sorting permutation σ of the
    /// lower bits extended by the next bit (8 rounds). Collective.
    func sortPermutationStep(_ sigma: ArithmeticShare<UInt64>, _ bit: ArithmeticShare<UInt64>) async throws -> ArithmeticShare<UInt64> {
        let n = sigma.count
        let (shuffled, _, rho) = try await shuffleColumns([sigma, bit], [ArithmeticShare<UInt64>](), undoing: nil, kernel: "sortShuffle")
        let opened = try await permutationOpen(shuffled[0], "sortingPermutationA")
        let reordered = permutationRows(shuffled[1], opened, rows: n, scatter: true)
        let tau = try await sortBitDestinations(reordered)
        let composed = permutationRows(tau, opened, rows: n, scatter: false)
        return try await shuffleColumns([composed], [ArithmeticShare<UInt64>](), undoing: rho, kernel: "sortUnshuffle").0[0]
    }

    /// ``sortingPermutationA(bits:)`` of packed key bits (LSB first), injected into `ring` a group
    /// at a time, so that memory stays O(n) words however wide the key: each bit injection handles
    /// at most ``sortInjectionBits`` bits (every key bit at once when k·n fits, as for n ≤ 16384
    /// with 32-bit keys; 2 rounds per further group otherwise).
    /// - Parameters:
    ///   - flipTop: order the top bit as 1 − b (two's complement keys).
    ///   - injectionBits: the most bits one injection takes (tests make it small).
    /// Collective. Communication: per group a bit injection of its bits, plus the radix steps.
    func sortingPermutationA(
        packedBits columns: [BinaryShare], count n: Int, ring: ScalarType, flipTop: Bool, injectionBits: Int = sortInjectionBits
    ) async throws -> ArithmeticShare<UInt64> {
        guard !columns.isEmpty else { throw ConfideError(.invalidArgument, "sortingPermutationA: expected at least one key bit") }
        let group = max(1, min(columns.count, injectionBits / max(n, 1)))
        var sigma: ArithmeticShare<UInt64>?
        for start in stride(from: 0, to: columns.count, by: group) {
            let end = min(columns.count, start + group)
            var bits = try await injectKeyBits(Array(columns[start..<end]), count: n, ring: ring)
            if flipTop, end == columns.count, let top = bits.last {
                bits[bits.count - 1] = try addAP(negA(top), Tensor.filled(ring, shape: [n], residue: 1))
            }
            for bit in bits {
                if let previous = sigma {
                    sigma = try await sortPermutationStep(previous, bit)
                } else {
                    sigma = try await sortBitDestinations(bit)
                }
            }
        }
        return sigma!
    }

    /// The most key bits one bit injection of a sort handles (k·n), bounding its working memory.
    public static let sortInjectionBits = 1 << 19

    /// GenBitPerm (2019/695): the stable destinations of rows by one shared 0/1 column b.
    /// dest_i = i − c_i + b_i·d_i with c the inclusive prefix sums of b and
    /// d_i = (n − c_{n−1} + c_i) − (i + 1 − c_i), the gap between the row's place among the ones
    /// and among the zeros. Collective. Communication: 1 round (``ABY3Cost/mulAA(count:_:)``).
    private func sortBitDestinations(_ b: ArithmeticShare<UInt64>) async throws -> ArithmeticShare<UInt64> {
        let n = b.count
        let mask = UInt64.mask(b.scalarType)
        let prefix = { (words: [UInt64]) -> [UInt64] in
            var out = words
            out.withUnsafeMutableBufferPointer { p in
                for i in 1..<max(n, 1) { p[i] = (p[i] &+ p[i - 1]) & mask }
            }
            return out
        }
        let c = ArithmeticShare(unchecked: b.scalarType, shape: b.shape, first: prefix(b.first), second: prefix(b.second))
        let lastFirst = c.first[n - 1], lastSecond = c.second[n - 1]
        let twice = { (words: [UInt64], last: UInt64) -> [UInt64] in words.map { ($0 &+ $0 &- last) & mask } }
        let gap = sortAddPublic(
            ArithmeticShare(unchecked: b.scalarType, shape: b.shape, first: twice(c.first, lastFirst), second: twice(c.second, lastSecond))
        ) { i in UInt64(n) &- UInt64(i) &- 1 }
        let product = try await mulAA(b, gap)
        return sortAddPublic(try subAA(product, c)) { i in UInt64(i) }
    }

    /// x + p for the public vector p(i), added to component x_0 (held by parties 0 and 2). Local.
    private func sortAddPublic(_ x: ArithmeticShare<UInt64>, _ p: (Int) -> UInt64) -> ArithmeticShare<UInt64> {
        let mask = UInt64.mask(x.scalarType)
        var result = x
        if index == 0 {
            result.first.withUnsafeMutableBufferPointer { q in for i in q.indices { q[i] = (q[i] &+ p(i)) & mask } }
        }
        if index == 2 {
            result.second.withUnsafeMutableBufferPointer { q in for i in q.indices { q[i] = (q[i] &+ p(i)) & mask } }
        }
        return result
    }
}
