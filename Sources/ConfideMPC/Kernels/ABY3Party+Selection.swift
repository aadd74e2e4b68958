import ConfideCore

/// Order statistics without sorting: secure radix selection.
extension ABY3Party {
    /// The elements of the given ranks (0 = smallest) of a shared vector, found bit by bit from the
    /// most significant, without sorting (a secure radix selection; the median of n elements is
    /// rank (n − 1) / 2, and for even n the mean of ranks n/2 − 1 and n/2).
    ///
    /// Share algebra, per rank, in the ring R of ``ABY3Cost/permutationRing(count:)``: the key's bits
    /// b_j as 0/1 shares (one A2B and one bit injection; the top bit flipped for signed order);
    /// candidates c (1 for elements whose higher bits equal the answer's so far, initially all)
    /// and the remaining rank k (initially the rank). For j from the top: z = c·(1 − b_j),
    /// count₀ = Σz; the answer's bit is g = [count₀ ≤ k] (a comparison, injected to R); then
    /// k ← k − g·count₀ and c ← z + g·(c − 2z), both in one multiplication round. The answer's bits
    /// g_j are converted to the key's ring with one B2A. All ranks run side by side.
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
        let n = x.count, r = ranks.count
        guard r > 0 else { throw ConfideError(.invalidArgument, "selectRanksA: no ranks given") }
        for rank in ranks where !(0..<n).contains(rank) {
            throw ConfideError(.invalidArgument, "selectRanksA: rank \(rank) is outside 0..<\(n)")
        }
        let ring = ABY3Cost.permutationRing(count: n)
        let mask = ring.mask64
        var bits = try await integerKeyBits(x, ring: ring)
        let isSigned = signed ?? x.scalarType.isSigned
        if isSigned, let top = bits.last {
            bits[bits.count - 1] = try addAP(negA(top), Tensor.filled(ring, shape: [n], residue: 1))
        }
        var candidates: ArithmeticShare<UInt64> = try publicA(Tensor.filled(ring, shape: [r * n], residue: 1))
        var remaining: ArithmeticShare<UInt64> = try publicA(Tensor(ring, shape: [r], narrow: ranks.map { UInt64($0) }))
        var answerBits = [BinaryShare?](repeating: nil, count: bits.count)
        for j in stride(from: bits.count - 1, through: 0, by: -1) {
            let tiled = ArithmeticShare<UInt64>(
                unchecked: ring, shape: [r * n], first: Array(repeating: bits[j].first, count: r).flatMap { $0 },
                second: Array(repeating: bits[j].second, count: r).flatMap { $0 })
            let zeroBit = try addAP(negA(tiled), Tensor.filled(ring, shape: [r * n], residue: 1))
            let z = try await mulAA(candidates, zeroBit)
            let counts = try applyLocal(.sum([1]), [try z.reshaped([r, n])])
            let answerBit = try await compareA(.lessThanEqualTo, counts, remaining, signed: false)
            answerBits[j] = answerBit
            let g: ArithmeticShare<UInt64> = try await injectBit(answerBit, as: ring)
            // One round: [g·count₀ | g·(c − 2z)] with g repeated over each rank's block.
            func spread(_ a: [UInt64]) -> [UInt64] { a + a.flatMap { Array(repeating: $0, count: n) } }
            let left = ArithmeticShare<UInt64>(unchecked: ring, shape: [r + r * n], first: spread(g.first), second: spread(g.second))
            let difference = try subAA(candidates, try addAA(z, z))
            let right = ArithmeticShare<UInt64>(
                unchecked: ring, shape: [r + r * n], first: counts.first + difference.first, second: counts.second + difference.second)
            let product = try await mulAA(left, right)
            remaining = ArithmeticShare(
                unchecked: ring, shape: [r], first: zip(remaining.first, product.first.prefix(r)).map { ($0 &- $1) & mask },
                second: zip(remaining.second, product.second.prefix(r)).map { ($0 &- $1) & mask })
            candidates = ArithmeticShare(
                unchecked: ring, shape: [r * n], first: zip(z.first, product.first.dropFirst(r)).map { ($0 &+ $1) & mask },
                second: zip(z.second, product.second.dropFirst(r)).map { ($0 &+ $1) & mask })
        }
        // The answers' bits as a [r, k] bit share, least significant first, then one B2A.
        let k = bits.count
        let unpacked = answerBits.map { ($0!.first, $0!.second) }.map { (BinaryShare.unpack($0.0, count: r), BinaryShare.unpack($0.1, count: r)) }
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

extension ABY3Cost {
    /// ``ABY3Party/selectRanksA(_:ranks:signed:)`` of n k-bit elements for r ranks, in the ring R of
    /// ``permutationRing(count:)``: the key's bits, then per bit a multiplication of r·n, a comparison
    /// and a bit injection of r, a multiplication of r + r·n; finally a B2A of r.
    public static func selectRanksA(count n: Int, ranks r: Int, _ scalarType: ScalarType) -> KernelCost {
        let ring = permutationRing(count: n)
        let perBit = mulAA(count: r * n, ring) + comparison(.lessThanEqualTo, count: r, ring) + bitInjection(count: r, ring)
            + mulAA(count: r + r * n, ring)
        var cost = a2b(count: n, scalarType) + bitInjection(count: n * scalarType.bits, ring)
        for _ in 0..<scalarType.bits { cost = cost + perBit }
        return cost + b2a(count: r, scalarType)
    }
}
