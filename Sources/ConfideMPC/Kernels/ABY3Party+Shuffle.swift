import ConfideCore

/// Secure three-party shuffle of replicated shares (Asharov, Hamada, Ikarashi, Kikuchi, Nof, Pinkas,
/// Takahashi, Tomida, "Efficient Secure Three-Party Sorting with Applications to Data Analysis and
/// Heavy Hitters", eprint 2019/695: the resharing shuffle).
///
/// The secret permutation is ρ = π_0 ∘ π_1 ∘ π_2 where π_j is drawn (Fisher–Yates with unbiased
/// indices) from the AES-CTR stream of the pair (j, j+1); party j+2 never sees π_j, so every party
/// misses one factor and ρ is uniformly random from its point of view.
///
/// Share algebra of step j with pair (a, a+1) and third party t = a+2:
/// - step 0 turns the replicated sharing into a 2-out-of-2 sharing of the pair: party a holds
///   x_a + x_{a+1}, party a+1 holds x_{a+2};
/// - both members permute their part with π_a (rows, `out[r] = in[π_a[r]]`);
/// - steps 0 and 1 hand the sharing to the next pair: with Z from the pair's stream, the leaving
///   member sends part + Z to t, the staying member keeps part − Z (t sees a value masked by Z);
/// - step 2 returns to replicated shares: with M1, M2 from the pair's stream, y_{a+1} = M1,
///   y_a = part_a − M1 + M2 (sent by a to t) and y_{a+2} = part_{a+1} − M2 (sent by a+1 to t);
///   t sees two values masked by M1 and M2.
/// Undoing a shuffle runs the same steps in the reverse order of pairs with the inverse factors.
extension ABY3Party {
    /// Shuffles the rows of one or several shared columns with one secret random permutation ρ:
    /// row r of every output column is row ρ(r) of the input column, re-randomised.
    ///
    /// Columns may have any shape with a first dimension n common to all (rows are the slices along
    /// the first axis) and any scalar types stored in `W`.
    ///
    /// Collective: every party calls this in the same order with columns of the same types.
    /// Communication: ``ABY3Cost/shuffleA(columnBytes:)`` with B the wire bytes of all columns:
    /// 3 rounds; party 0 sends 2B bytes, parties 1 and 2 send B bytes each.
    /// Reveals: nothing; every message is masked by stream words its receiver does not know, and ρ
    /// is uniformly random to each party (each misses one of its three factors).
    /// - Parameter columns: the shares to shuffle, all with the same first dimension.
    /// - Returns: the shuffled columns and this party's part of ρ, needed to undo the shuffle.
    /// - Throws: `.invalidArgument` for no columns; `.shapeMismatch` for a scalar column or
    ///   different first dimensions; the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func shuffleA<W: RingWord>(_ columns: [ArithmeticShare<W>]) async throws -> (columns: [ArithmeticShare<W>], secret: ShuffleSecret) {
        let (_, shuffled, secret) = try await shuffleColumns([ArithmeticShare<UInt64>](), columns, undoing: nil, kernel: "shuffleA")
        return (shuffled, secret)
    }

    /// Undoes a shuffle: row ρ(r) of every output column is row r of the input column, re-randomised.
    ///
    /// Collective. Communication: ``ABY3Cost/shuffleA(columnBytes:)`` (3 rounds; party 0 sends 2B
    /// bytes, parties 1 and 2 send B bytes each).
    /// Reveals: nothing (as ``shuffleA(_:)``).
    /// - Parameters:
    ///   - columns: shares with first dimension `secret.rowCount`.
    ///   - secret: this party's part of the permutation, from ``shuffleA(_:)``.
    /// - Throws: as ``shuffleA(_:)``; `.shapeMismatch` when the row count is not the secret's.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func unshuffleA<W: RingWord>(_ columns: [ArithmeticShare<W>], secret: ShuffleSecret) async throws -> [ArithmeticShare<W>] {
        try await shuffleColumns([ArithmeticShare<UInt64>](), columns, undoing: secret, kernel: "unshuffleA").1
    }

    /// The shuffle (or, given `secret`, its inverse) of two lists of columns of possibly different
    /// word widths with one permutation, one message per sender per step.
    /// Communication: 3 rounds; party 0 sends 2B bytes, parties 1 and 2 B bytes (B: bytes of all columns).
    func shuffleColumns<V: RingWord, W: RingWord>(
        _ a: [ArithmeticShare<V>], _ b: [ArithmeticShare<W>], undoing secret: ShuffleSecret?, kernel: String
    ) async throws -> ([ArithmeticShare<V>], [ArithmeticShare<W>], ShuffleSecret) {
        let rows = try shuffleRowCount(a.map(\.shape) + b.map(\.shape), kernel)
        if let secret, secret.rowCount != rows {
            throw ConfideError(.shapeMismatch, "\(kernel): the columns have \(rows) rows, the shuffle was of \(secret.rowCount)")
        }
        let inverse = secret != nil
        var withNext = secret?.withNext ?? []
        var withPrevious = secret?.withPrevious ?? []
        var partsA: [[V]] = []
        var partsB: [[W]] = []
        var outA: [ArithmeticShare<V>] = []
        var outB: [ArithmeticShare<W>] = []
        let pairOrder: [Int] = inverse ? [2, 1, 0] : [0, 1, 2]
        for step in 0..<3 {
            let low = pairOrder[step]
            let tag = nextTag(kernel)
            let high = (low + 1) % 3, third = (low + 2) % 3
            // The pair (low, high) shares the stream keyed k_high: low's successor stream, high's predecessor stream.
            let isLow = index == low
            let inPair = index != third
            if step == 0 && inPair {
                partsA = a.map { index == low ? Self.zipWords($0.first, $0.second) { $0 &+ $1 } : $0.second }
                partsB = b.map { index == low ? Self.zipWords($0.first, $0.second) { $0 &+ $1 } : $0.second }
                partsA = zip(partsA, a).map { Self.shuffleMasked($0, $1.scalarType) }
                partsB = zip(partsB, b).map { Self.shuffleMasked($0, $1.scalarType) }
            }
            if inPair {
                let factor: [Int]
                if inverse {
                    factor = isLow ? withNext : withPrevious
                } else {
                    factor = shuffleDrawPermutation(withNext: isLow, rows)
                    if isLow { withNext = factor } else { withPrevious = factor }
                }
                partsA = partsA.map { Self.shufflePermuteRows($0, factor, rows: rows, scatter: inverse) }
                partsB = partsB.map { Self.shufflePermuteRows($0, factor, rows: rows, scatter: inverse) }
            }
            if step < 2 {
                // Forward, the pair moves on to (high, third); backward, to (third, low).
                let leaving = inverse ? high : low
                if inPair {
                    let zA: [[V]] = a.map { drawShared(withNext: isLow, $0.count, $0.scalarType) }
                    let zB: [[W]] = b.map { drawShared(withNext: isLow, $0.count, $0.scalarType) }
                    let sign: Bool = index == leaving
                    partsA = zip(zip(partsA, zA), a).map { pz, c in Self.shuffleMaskStep(pz.0, pz.1, add: sign, c.scalarType) }
                    partsB = zip(zip(partsB, zB), b).map { pz, c in Self.shuffleMaskStep(pz.0, pz.1, add: sign, c.scalarType) }
                    if sign {
                        // comm: 1 round, B bytes (all columns) from the leaving member to the third party
                        _ = try await exchange([OutgoingMessage(to: third, tag: tag, bytes: Self.shuffleEncode(partsA, partsB, a, b))], expecting: [])
                        partsA = []
                        partsB = []
                    }
                } else {
                    let bytes = try await exchange([], expecting: [ExpectedMessage(from: leaving, tag: tag)])[0]
                    (partsA, partsB) = try Self.shuffleDecode(bytes, a, b, from: leaving, tag: tag)
                }
            } else if inPair {
                let m1A: [[V]] = a.map { drawShared(withNext: isLow, $0.count, $0.scalarType) }
                let m1B: [[W]] = b.map { drawShared(withNext: isLow, $0.count, $0.scalarType) }
                let m2A: [[V]] = a.map { drawShared(withNext: isLow, $0.count, $0.scalarType) }
                let m2B: [[W]] = b.map { drawShared(withNext: isLow, $0.count, $0.scalarType) }
                // y_low = part − M1 + M2 (low), y_third = part − M2 (high); y_high = M1.
                let sentA: [[V]] = zip(zip(partsA, zip(m1A, m2A)), a).map { p, c in
                    Self.shuffleMaskStep(Self.shuffleMaskStep(p.0, p.1.0, add: false, c.scalarType), p.1.1, add: isLow, c.scalarType)
                }
                let sentB: [[W]] = zip(zip(partsB, zip(m1B, m2B)), b).map { p, c in
                    Self.shuffleMaskStep(Self.shuffleMaskStep(p.0, p.1.0, add: false, c.scalarType), p.1.1, add: isLow, c.scalarType)
                }
                // High does not subtract M1: undo it there.
                let finalA: [[V]] = isLow ? sentA : zip(zip(sentA, m1A), a).map { s, c in Self.shuffleMaskStep(s.0, s.1, add: true, c.scalarType) }
                let finalB: [[W]] = isLow ? sentB : zip(zip(sentB, m1B), b).map { s, c in Self.shuffleMaskStep(s.0, s.1, add: true, c.scalarType) }
                // comm: 1 round, B bytes (all columns) from each pair member to the third party
                _ = try await exchange([OutgoingMessage(to: third, tag: tag, bytes: Self.shuffleEncode(finalA, finalB, a, b))], expecting: [])
                for (i, c) in a.enumerated() {
                    outA.append(
                        ArithmeticShare(
                            unchecked: c.scalarType, shape: c.shape, first: isLow ? finalA[i] : m1A[i], second: isLow ? m1A[i] : finalA[i]))
                }
                for (i, c) in b.enumerated() {
                    outB.append(
                        ArithmeticShare(
                            unchecked: c.scalarType, shape: c.shape, first: isLow ? finalB[i] : m1B[i], second: isLow ? m1B[i] : finalB[i]))
                }
            } else {
                let replies = try await exchange([], expecting: [ExpectedMessage(from: low, tag: tag), ExpectedMessage(from: high, tag: tag)])
                let (lowA, lowB) = try Self.shuffleDecode(replies[0], a, b, from: low, tag: tag)
                let (highA, highB) = try Self.shuffleDecode(replies[1], a, b, from: high, tag: tag)
                // This party is t = low − 1: it holds (y_t, y_low).
                for (i, c) in a.enumerated() {
                    outA.append(ArithmeticShare(unchecked: c.scalarType, shape: c.shape, first: highA[i], second: lowA[i]))
                }
                for (i, c) in b.enumerated() {
                    outB.append(ArithmeticShare(unchecked: c.scalarType, shape: c.shape, first: highB[i], second: lowB[i]))
                }
            }
        }
        return (outA, outB, ShuffleSecret(rowCount: rows, withNext: withNext, withPrevious: withPrevious))
    }

    /// The common first dimension of the columns.
    /// - Throws: `.invalidArgument` for no columns, `.shapeMismatch` for scalars or different first dimensions.
    func shuffleRowCount(_ shapes: [[Int]], _ kernel: String) throws -> Int {
        guard let firstShape = shapes.first else { throw ConfideError(.invalidArgument, "\(kernel): expected at least one column") }
        guard let rows = firstShape.first else { throw ConfideError(.shapeMismatch, "\(kernel): columns must be arrays, found a scalar") }
        for shape in shapes {
            guard shape.first == rows else {
                throw ConfideError(.shapeMismatch, "\(kernel): all columns must have first dimension \(rows), found shape \(shape)")
            }
        }
        return rows
    }

    /// A uniformly random permutation of 0..<n (Fisher–Yates with unbiased indices) from one
    /// pairwise stream; the partner on that stream draws the same.
    private func shuffleDrawPermutation(withNext: Bool, _ n: Int) -> [Int] {
        var p = Array(0..<n)
        guard n > 1 else { return p }
        p.withUnsafeMutableBufferPointer { q in
            for i in stride(from: n - 1, to: 0, by: -1) {
                let bound = UInt64(i + 1)
                let j = Int(withNext ? sharedWithNext.uniform(below: bound) : sharedWithPrevious.uniform(below: bound))
                q.swapAt(i, j)
            }
        }
        return p
    }

    /// Rows of `words` (n rows of equal length) permuted by a public permutation: `out[r] =
    /// in[p[r]]`, or with `scatter` `out[p[r]] = in[r]`.
    static func shufflePermuteRows<W: RingWord>(_ words: [W], _ p: [Int], rows: Int, scatter: Bool) -> [W] {
        guard rows > 0, !words.isEmpty else { return words }
        let m = words.count / rows
        return [W](unsafeUninitializedCapacity: words.count) { out, initialized in
            words.withUnsafeBufferPointer { x in
                p.withUnsafeBufferPointer { perm in
                    if m == 1 {
                        if scatter {
                            for r in 0..<rows { out[perm[r]] = x[r] }
                        } else {
                            for r in 0..<rows { out[r] = x[perm[r]] }
                        }
                    } else {
                        for r in 0..<rows {
                            let (to, from) = scatter ? (perm[r] * m, r * m) : (r * m, perm[r] * m)
                            for k in 0..<m { out[to + k] = x[from + k] }
                        }
                    }
                }
            }
            initialized = words.count
        }
    }

    /// `words` reduced to residues of `scalarType`.
    private static func shuffleMasked<W: RingWord>(_ words: [W], _ scalarType: ScalarType) -> [W] {
        let mask = W.mask(scalarType)
        return mask == W.max ? words : words.map { $0 & mask }
    }

    /// part + z (`add`) or part − z, as residues of `scalarType`.
    private static func shuffleMaskStep<W: RingWord>(_ part: [W], _ z: [W], add: Bool, _ scalarType: ScalarType) -> [W] {
        let mask = W.mask(scalarType)
        return add ? zipWords(part, z) { ($0 &+ $1) & mask } : zipWords(part, z) { ($0 &- $1) & mask }
    }

    /// All columns' words in the wire layout, concatenated.
    private static func shuffleEncode<V: RingWord, W: RingWord>(
        _ partsA: [[V]], _ partsB: [[W]], _ a: [ArithmeticShare<V>], _ b: [ArithmeticShare<W>]
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(a.reduce(0) { $0 + $1.count * $1.scalarType.byteWidth } + b.reduce(0) { $0 + $1.count * $1.scalarType.byteWidth })
        for (p, c) in zip(partsA, a) { bytes += WireCodec.encode(p, c.scalarType) }
        for (p, c) in zip(partsB, b) { bytes += WireCodec.encode(p, c.scalarType) }
        return bytes
    }

    /// Splits a message of ``shuffleEncode(_:_:_:_:)`` into columns.
    /// - Throws: `.protocolViolation` for a message of the wrong length.
    private static func shuffleDecode<V: RingWord, W: RingWord>(
        _ bytes: [UInt8], _ a: [ArithmeticShare<V>], _ b: [ArithmeticShare<W>], from peer: Int, tag: MessageTag
    ) throws -> ([[V]], [[W]]) {
        let expected = a.reduce(0) { $0 + $1.count * $1.scalarType.byteWidth } + b.reduce(0) { $0 + $1.count * $1.scalarType.byteWidth }
        guard bytes.count == expected else {
            throw ConfideError(.protocolViolation, "party \(peer) sent \(bytes.count) bytes for tag \(tag), expected \(expected)")
        }
        var offset = 0
        var partsA: [[V]] = []
        var partsB: [[W]] = []
        for c in a {
            let length = c.count * c.scalarType.byteWidth
            partsA.append(try WireCodec.decode(Array(bytes[offset..<offset + length]), count: c.count, c.scalarType, from: peer, tag: tag))
            offset += length
        }
        for c in b {
            let length = c.count * c.scalarType.byteWidth
            partsB.append(try WireCodec.decode(Array(bytes[offset..<offset + length]), count: c.count, c.scalarType, from: peer, tag: tag))
            offset += length
        }
        return (partsA, partsB)
    }
}
