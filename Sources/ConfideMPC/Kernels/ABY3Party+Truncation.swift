import ConfideCore

/// Fixed-point truncation on arithmetic shares: ABY3 §5.1.1 (share truncation Π_trunc1, after
/// SecureML §4.1) adapted so that it takes one round on its own and fuses with the resharing round
/// of a multiplication (one round for a fixed-point product).
///
/// The idea: split x into a 2-out-of-2 sharing x = A + B mod 2^k where A is uniformly random and
/// known to party 0 and B is known to party 1 (and, for the fused kernels, to party 2); truncate
/// each part locally, A' = ⌊A / 2^d⌋ and B' = −⌊(−B mod 2^k) / 2^d⌋; then re-form a replicated
/// sharing of A' + B' with masks from the pairwise streams.
///
/// Error and failure (for a value x, read as two's complement when `signed`, else as an unsigned
/// number, of magnitude |x| < 2^ℓ in the ring Z_{2^k}): unless A − x wraps around modulo 2^k, which
/// happens with probability exactly |x| / 2^k ≤ 2^{ℓ−k} over the uniform A, the result is ⌊x/2^d⌋ or
/// ⌊x/2^d⌋ + 1, so it differs from the exact quotient rounded toward zero (the evaluator's
/// `Truncate(2^d)`) by at most 1 in the last place. When A − x wraps, the result is off by
/// ±2^{k−d} (a large error). Example: 64-bit ring, 18 fractional bits, |x| < 2^40: failure
/// probability below 2^−24 per element.
extension ABY3Party {
    /// Truncates a fixed-point value by `d` bits: x / 2^d with an error of at most 1 in the last
    /// place (ABY3 §5.1.1, share truncation, one round).
    ///
    /// Share algebra: with r = F(k_1) (parties 0 and 1), s = F(k_0) (parties 0 and 2),
    /// t = F(k_2) (parties 1 and 2): A = x_0 + r (party 0), B = x_1 + x_2 − r (party 1);
    /// A' = ⌊A/2^d⌋, B' = −⌊−B/2^d⌋. The result's components are c_0 = s, c_2 = t,
    /// c_1 = (A' − s) + (B' − t): party 0 sends A' − s to party 1 and party 1 sends B' − t to
    /// party 0; party 2 takes (t, s) without communication.
    ///
    /// Error: the result is ⌊x/2^d⌋ or ⌊x/2^d⌋ + 1, within ±1 of x/2^d rounded toward zero, except
    /// with probability |x|/2^k ≤ 2^{ℓ−k} for |x| < 2^ℓ in the ring Z_{2^k}, when it is off by ±2^{k−d}.
    ///
    /// Collective. Communication: ``ABY3Cost/truncA(count:_:bits:)`` (1 round; parties 0 and 1
    /// each send n·w bytes; none for d = 0). Reveals nothing: every message is masked by a stream
    /// the receiver does not hold.
    /// - Parameters:
    ///   - x: the value, with `d` fractional bits too many.
    ///   - d: bits to drop, 0 ≤ d < k (d = 0 returns x).
    ///   - signed: whether x is read as two's complement (default: the scalar type's signedness);
    ///     the protocol is the same, it fixes what "|x| < 2^ℓ" in the failure bound means.
    /// - Throws: `.invalidArgument` for a bit share or d outside 0..<k; the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func truncA<W: RingWord>(_ x: ArithmeticShare<W>, bits d: Int, signed: Bool? = nil) async throws -> ArithmeticShare<W> {
        try truncCheckBits(x.scalarType, d, "truncA")
        _ = signed ?? x.scalarType.isSigned
        if d == 0 { return x }
        return try await truncShares(x, tag: nextTag("truncA")) { $0 >> d }
    }

    /// Divides a fixed-point value by any public `divisor` (CipherCore's TruncateMPC for scales
    /// that are not powers of two, e.g. a mean over a public count): x / divisor with an error of
    /// at most 1 in the last place, in one round.
    ///
    /// Share algebra: that of ``truncA(_:bits:signed:)`` with A' = ⌊A/divisor⌋ and
    /// B' = −⌊(−B mod 2^k)/divisor⌋. For x = A − (−B) with no wrap-around,
    /// ⌊A/q⌋ − ⌊(A − x)/q⌋ is ⌊x/q⌋ or ⌊x/q⌋ + 1 for every integer x and q ≥ 1.
    ///
    /// Error: the result is ⌊x/q⌋ or ⌊x/q⌋ + 1, within ±1 of x/q rounded toward zero (the
    /// evaluator's `Truncate(q)`), except with probability |x|/2^k ≤ 2^{ℓ−k} for |x| < 2^ℓ, when it
    /// is off by about ±2^k/q.
    ///
    /// Collective. Communication: ``ABY3Cost/truncA(count:_:divisor:)`` (1 round; parties 0 and 1
    /// each send n·w bytes; none for q = 1). Reveals nothing, as ``truncA(_:bits:signed:)``.
    /// - Parameters:
    ///   - x: the value.
    ///   - divisor: q, 1 ≤ q < 2^k (a power of two runs ``truncA(_:bits:signed:)``).
    /// - Throws: `.invalidArgument` for a bit share or q outside 1..<2^k; the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func truncA<W: RingWord>(_ x: ArithmeticShare<W>, divisor: UInt128) async throws -> ArithmeticShare<W> {
        let s = x.scalarType
        guard s != .bit else { throw ConfideError(.invalidArgument, "truncA: bit shares cannot be truncated") }
        guard divisor >= 1, s.bits == 128 || divisor >> UInt128(s.bits) == 0 else {
            throw ConfideError(.invalidArgument, "truncA: cannot divide a \(s.bits)-bit ring by \(divisor) (expected 1..<2^\(s.bits))")
        }
        if divisor.nonzeroBitCount == 1 { return try await truncA(x, bits: divisor.trailingZeroBitCount) }
        let q = W(divisor)
        return try await truncShares(x, tag: nextTag("truncA")) { $0 / q }
    }

    /// The protocol of ``truncA(_:bits:signed:)`` with `divide` as the local truncation of each part
    /// (a shift or a division by a public divisor of the masked, canonical residues).
    @inline(__always)
    private func truncShares<W: RingWord>(_ x: ArithmeticShare<W>, tag: MessageTag, _ divide: (W) -> W) async throws -> ArithmeticShare<W> {
        let n = x.count
        let s = x.scalarType
        let mask = W.mask(s)
        // Every party draws n words from both of its pairwise streams, keeping them in step.
        let (fromPrevious, fromNext): ([W], [W]) = correlatedPair(n, s)
        switch index {
        case 0:
            // r = fromNext (k_1), s = fromPrevious (k_0); own = A' − s.
            var own = [W](repeating: 0, count: n)
            own.withUnsafeMutableBufferPointer { o in
                x.first.withUnsafeBufferPointer { x0 in
                    fromNext.withUnsafeBufferPointer { r in
                        fromPrevious.withUnsafeBufferPointer { sp in
                            for i in 0..<n { o[i] = (divide((x0[i] &+ r[i]) & mask) &- sp[i]) & mask }
                        }
                    }
                }
            }
            // comm: 1 round, n·w bytes to party 1
            let bytes = try await exchange(
                [OutgoingMessage(to: next, tag: tag, bytes: WireCodec.encode(own, s))], expecting: [ExpectedMessage(from: next, tag: tag)])[0]
            let other: [W] = try WireCodec.decode(bytes, count: n, s, from: next, tag: tag)
            let c1 = Self.zipWords(own, other) { ($0 &+ $1) & mask }
            return ArithmeticShare(unchecked: s, shape: x.shape, first: fromPrevious, second: c1)
        case 1:
            // r = fromPrevious (k_1), t = fromNext (k_2); own = B' − t with B = x_1 + x_2 − r.
            var own = [W](repeating: 0, count: n)
            own.withUnsafeMutableBufferPointer { o in
                x.first.withUnsafeBufferPointer { x1 in
                    x.second.withUnsafeBufferPointer { x2 in
                        fromPrevious.withUnsafeBufferPointer { r in
                            fromNext.withUnsafeBufferPointer { t in
                                for i in 0..<n {
                                    let negB = (r[i] &- x1[i] &- x2[i]) & mask
                                    o[i] = (0 &- divide(negB) &- t[i]) & mask
                                }
                            }
                        }
                    }
                }
            }
            // comm: 1 round, n·w bytes to party 0
            let bytes = try await exchange(
                [OutgoingMessage(to: previous, tag: tag, bytes: WireCodec.encode(own, s))],
                expecting: [ExpectedMessage(from: previous, tag: tag)])[0]
            let other: [W] = try WireCodec.decode(bytes, count: n, s, from: previous, tag: tag)
            let c1 = Self.zipWords(own, other) { ($0 &+ $1) & mask }
            return ArithmeticShare(unchecked: s, shape: x.shape, first: c1, second: fromNext)
        default:
            // t = fromPrevious (k_2), s = fromNext (k_0): no communication.
            return ArithmeticShare(unchecked: s, shape: x.shape, first: fromPrevious, second: fromNext)
        }
    }

    /// Fixed-point product x·y / 2^f in ONE round: the multiplication's resharing round also
    /// truncates (ABY3 §3.1 multiplication with §5.1.1 share truncation).
    ///
    /// Share algebra: z_i = x_i·y_i + x_i·y_{i+1} + x_{i+1}·y_i + α_i (α a zero sharing) is a
    /// 3-out-of-3 sharing of z = x·y with z_0 uniformly random. In one round party 0 sends
    /// c_1 = ⌊z_0/2^f⌋ − s to party 1 (s = F(k_0), held by parties 0 and 2), and parties 1 and 2
    /// swap z_1 and z_2, so both know B = z_1 + z_2 and c_2 = −⌊−B/2^f⌋. The result is (c_0, c_1, c_2)
    /// with c_0 = s.
    ///
    /// Error: as ``truncA(_:bits:signed:)`` for the product z = x·y mod 2^k: within ±1 of z/2^f
    /// rounded toward zero, except with probability |z|/2^k ≤ 2^{ℓ−k} for |z| < 2^ℓ.
    ///
    /// Collective. Communication: ``ABY3Cost/mulTruncAA(count:_:)`` (1 round, every party sends
    /// n·w bytes). Reveals nothing: z_1 and z_2 are masked by α, c_1 by s.
    /// - Parameters:
    ///   - fractionBits: f, the bits to drop from the product, 0 ≤ f < k.
    /// - Throws: `.typeMismatch` / `.shapeMismatch` for different types; `.invalidArgument` for bit
    ///   shares or f outside 0..<k; the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func mulTruncAA<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>, fractionBits f: Int) async throws -> ArithmeticShare<W> {
        try checkSameType(x.type, y.type, "mulTruncAA")
        try truncCheckBits(x.scalarType, f, "mulTruncAA")
        let s = x.scalarType
        let z: [W] = await localProductsPlusZeroShare(x, y)
        return try await truncReshare(z, scalarType: s, shape: x.shape, bits: f, tag: nextTag("mulTruncAA"))
    }

    /// Fixed-point matrix product X·Y / 2^f in ONE round (``matmulAA(_:_:)`` whose resharing round
    /// truncates, as ``mulTruncAA(_:_:fractionBits:)``).
    ///
    /// Share algebra: Z_i = X_i·(Y_i + Y_{i+1}) + X_{i+1}·Y_i + α_i, then the truncating resharing of
    /// ``mulTruncAA(_:_:fractionBits:)`` on the m·n outputs.
    ///
    /// Error: per output element as ``mulTruncAA(_:_:fractionBits:)``, with z the exact dot product mod 2^k.
    ///
    /// Collective. Communication: ``ABY3Cost/matmulTruncAA(outputCount:_:)`` (1 round, every party
    /// sends m·n·w bytes, independent of the inner dimension).
    /// - Throws: `.typeMismatch` for different scalar types; `.shapeMismatch` for shapes that do not
    ///   multiply; `.invalidArgument` for bit shares or f outside 0..<k; the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func matmulTruncAA<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>, fractionBits f: Int) async throws -> ArithmeticShare<W> {
        try truncCheckBits(x.scalarType, f, "matmulTruncAA")
        var (z, shape) = try await localMatmulCrossTerms(x, y, kernel: "matmulTruncAA")
        let s = x.scalarType
        let mask = W.mask(s)
        let alpha: [W] = zeroShare(z.count, s)
        z.withUnsafeMutableBufferPointer { zp in
            alpha.withUnsafeBufferPointer { a in
                for i in 0..<zp.count { zp[i] = (zp[i] &+ a[i]) & mask }
            }
        }
        return try await truncReshare(z, scalarType: s, shape: shape, bits: f, tag: nextTag("matmulTruncAA"))
    }

    /// The truncating resharing round of a 3-out-of-3 sharing z (z_0 uniformly random): party 0
    /// sends ⌊z_0/2^d⌋ − s to party 1; parties 1 and 2 swap z_1, z_2. Draws n words of k_0 on
    /// parties 0 and 2. Communication: 1 round, n·w bytes from each party.
    private func truncReshare<W: RingWord>(_ z: [W], scalarType s: ScalarType, shape: [Int], bits d: Int, tag: MessageTag) async throws
        -> ArithmeticShare<W>
    {
        let n = z.count
        let mask = W.mask(s)
        switch index {
        case 0:
            let sMask: [W] = drawShared(withNext: false, n, s)
            var c1 = [W](repeating: 0, count: n)
            c1.withUnsafeMutableBufferPointer { o in
                z.withUnsafeBufferPointer { zp in
                    sMask.withUnsafeBufferPointer { sp in
                        for i in 0..<n { o[i] = ((zp[i] >> d) &- sp[i]) & mask }
                    }
                }
            }
            // comm: 1 round, n·w bytes to party 1
            _ = try await exchange([OutgoingMessage(to: next, tag: tag, bytes: WireCodec.encode(c1, s))], expecting: [])
            return ArithmeticShare(unchecked: s, shape: shape, first: sMask, second: c1)
        case 1:
            // comm: 1 round, n·w bytes to party 2
            let replies = try await exchange(
                [OutgoingMessage(to: next, tag: tag, bytes: WireCodec.encode(z, s))],
                expecting: [ExpectedMessage(from: previous, tag: tag), ExpectedMessage(from: next, tag: tag)])
            let c1: [W] = try WireCodec.decode(replies[0], count: n, s, from: previous, tag: tag)
            let z2: [W] = try WireCodec.decode(replies[1], count: n, s, from: next, tag: tag)
            return ArithmeticShare(unchecked: s, shape: shape, first: c1, second: Self.truncNegatedShift(z, z2, bits: d, mask: mask))
        default:
            let sMask: [W] = drawShared(withNext: true, n, s)
            // comm: 1 round, n·w bytes to party 1
            let bytes = try await exchange(
                [OutgoingMessage(to: previous, tag: tag, bytes: WireCodec.encode(z, s))], expecting: [ExpectedMessage(from: previous, tag: tag)])[0]
            let z1: [W] = try WireCodec.decode(bytes, count: n, s, from: previous, tag: tag)
            return ArithmeticShare(unchecked: s, shape: shape, first: Self.truncNegatedShift(z1, z, bits: d, mask: mask), second: sMask)
        }
    }

    /// −⌊(−(a + b) mod 2^k) / 2^d⌋ mod 2^k, element by element.
    private static func truncNegatedShift<W: RingWord>(_ a: [W], _ b: [W], bits d: Int, mask: W) -> [W] {
        zipWords(a, b) { (0 &- (((0 &- $0 &- $1) & mask) >> d)) & mask }
    }

    /// - Throws: `.invalidArgument` for bit shares or a shift outside 0..<k.
    private func truncCheckBits(_ s: ScalarType, _ d: Int, _ kernel: String) throws {
        guard s != .bit else { throw ConfideError(.invalidArgument, "\(kernel): bit shares cannot be truncated") }
        guard (0..<s.bits).contains(d) else {
            throw ConfideError(.invalidArgument, "\(kernel): cannot drop \(d) bits of a \(s.bits)-bit ring (expected 0..<\(s.bits))")
        }
    }
}
