import ConfideCore

/// Conversions between arithmetic and boolean sharings (ABY3 §5.3, §5.4): A2B with a
/// parallel-prefix (Kogge–Stone) adder, B2A, bit injection, mixed multiplication and bit
/// extraction with a carry-only circuit.
extension ABY3Party {
    /// Converts an arithmetic share into the bitwise (word) form of a boolean sharing of the same
    /// numbers (ABY3 §5.3).
    ///
    /// Share algebra: x = (x_0 + x_1) + x_2. Party 0 knows a = x_0 + x_1 and inputs it as an XOR
    /// sharing (a ⊕ r, r, 0) with r from the stream it shares with party 1; b = x_2 is already
    /// an XOR sharing (0, 0, x_2) held by parties 1 and 2. A Kogge–Stone adder then computes
    /// a + b mod 2^k in log₂k + 1 AND rounds: G = a∧b, P = a⊕b, then for d = 1, 2, 4, …
    /// G ← G ⊕ P∧(G≪d), P ← P∧(P≪d), and the sum is (a⊕b) ⊕ (G≪1).
    /// Collective: every party calls this in the same order.
    /// Communication: ``ABY3Cost/a2b(count:_:)`` — 2 + log₂k rounds; party 0 sends n·w bytes,
    /// then every party 2·log₂k·n·w bytes (w = the type's byte width).
    /// - Throws: `.typeMismatch` for a `bit` share; the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func a2bWords<W: RingWord>(_ x: ArithmeticShare<W>) async throws -> BitwiseShare<W> {
        try conversionCheckInteger(x.scalarType, "a2b")
        let s = x.scalarType, mask = W.mask(s)
        let a = try await conversionInputBoolean(
            index == 0 ? Self.zipWords(x.first, x.second) { ($0 &+ $1) & mask } : nil, from: 0, count: x.count, s, kind: "a2b")
        let b = conversionComponent(BooleanComponents(first: x.first, second: x.second), 2)
        let sum = try await conversionAdd(a, b, s, kind: "a2b")
        return BitwiseShare(unchecked: s, shape: x.shape, first: sum.first, second: sum.second)
    }

    /// A2B in CipherCore's layout (matches `Operation.a2b`): a bit share of shape `shape + [k]`,
    /// the bits of each number least significant first. Collective.
    /// Communication: ``ABY3Cost/a2b(count:_:)``.
    /// - Throws: as ``a2bWords(_:)``.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func a2b<W: RingWord>(_ x: ArithmeticShare<W>) async throws -> BinaryShare {
        try await a2bWords(x).binary()
    }

    /// Converts a bitwise boolean share into an arithmetic share of the same numbers (ABY3 §5.4).
    ///
    /// Share algebra: the arithmetic components a_1 (stream of parties 0, 1) and a_2 (stream of
    /// parties 1, 2) are random; party 1 knows m = −a_1 − a_2 and inputs it as an XOR sharing; the
    /// Kogge–Stone adder of ``a2bWords(_:)`` gives an XOR sharing of a_0 = x + m, which is opened to
    /// parties 0 and 2, the holders of a_0. Collective.
    /// Communication: ``ABY3Cost/b2a(count:_:)`` — 3 + log₂k rounds.
    /// Reveals: a_0 = x − a_1 − a_2 to parties 0 and 2, uniformly random to them as a_2 / a_1 is.
    /// - Throws: the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func b2a<W: RingWord>(_ x: BitwiseShare<W>) async throws -> ArithmeticShare<W> {
        let s = x.scalarType, n = x.count, mask = W.mask(s)
        // a_1 from k_1 (party 0's successor stream, party 1's predecessor stream), then a_2 from k_2.
        let a1: [W] = index == 0 ? drawShared(withNext: true, n, s) : index == 1 ? drawShared(withNext: false, n, s) : []
        let a2: [W] = index == 1 ? drawShared(withNext: true, n, s) : index == 2 ? drawShared(withNext: false, n, s) : []
        let m: [W]? = index == 1 ? Self.zipWords(a1, a2) { (0 &- $0 &- $1) & mask } : nil
        let mB = try await conversionInputBoolean(m, from: 1, count: n, s, kind: "b2a")
        let a0B = try await conversionAdd(BooleanComponents(first: x.first, second: x.second), mB, s, kind: "b2a")
        let tag = nextTag("b2a")
        // Party 0 misses component 2 (party 1's `second`); party 2 misses component 1 (party 0's `second`).
        var outgoing: [OutgoingMessage] = []
        if index == 0 || index == 1 {
            // comm: 1 round, n·w bytes to the predecessor (parties 0 and 1)
            outgoing.append(OutgoingMessage(to: previous, tag: tag, bytes: WireCodec.encode(a0B.second, s)))
        }
        let receiving = index != 1
        let replies = try await exchange(outgoing, expecting: receiving ? [ExpectedMessage(from: next, tag: tag)] : [])
        switch index {
        case 0:
            let third: [W] = try WireCodec.decode(replies[0], count: n, s, from: next, tag: tag)
            let a0 = Self.zipWords(BitStream.xor(a0B.first, a0B.second), third) { $0 ^ $1 }
            return ArithmeticShare(unchecked: s, shape: x.shape, first: a0, second: a1)
        case 1:
            return ArithmeticShare(unchecked: s, shape: x.shape, first: a1, second: a2)
        default:
            let third: [W] = try WireCodec.decode(replies[0], count: n, s, from: next, tag: tag)
            let a0 = Self.zipWords(BitStream.xor(a0B.first, a0B.second), third) { $0 ^ $1 }
            return ArithmeticShare(unchecked: s, shape: x.shape, first: a2, second: a0)
        }
    }

    /// B2A in CipherCore's layout (matches `Operation.b2a(scalarType)`): a bit share of shape
    /// `[..., k]` (least significant bit first) to an arithmetic share of `scalarType` of shape
    /// `[...]`. Collective. Communication: ``ABY3Cost/b2a(count:_:)``.
    /// Reveals: as the word-form `b2a`: a_0 to parties 0 and 2, uniformly random to them.
    /// - Throws: `.typeMismatch` for `bit` or a `W` that does not store `scalarType`;
    ///   `.shapeMismatch` unless the last axis has k bits; the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func b2a<W: RingWord>(_ x: BinaryShare, _ scalarType: ScalarType) async throws -> ArithmeticShare<W> {
        try await b2a(BitwiseShare<W>(binary: x, scalarType: scalarType))
    }

    /// Bit injection (ABY3 §5.4): a shared bit b as an arithmetic share of 0 or 1 in the ring of
    /// `scalarType`.
    ///
    /// Share algebra: b = c ⊕ b_2 with c = b_0 ⊕ b_1 known to party 0; party 0 inputs c
    /// arithmetically (c − r, r, 0), b_2 is the arithmetic sharing (0, 0, b_2), and
    /// b = c + b_2 − 2·c·b_2 with one replicated multiplication. Collective.
    /// Communication: ``ABY3Cost/bitInjection(count:_:)`` — 2 rounds; party 0 sends 2·n·w bytes,
    /// the others n·w.
    /// - Throws: `.typeMismatch` for `bit` or a `W` that does not store `scalarType`; the
    ///   communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func injectBit<W: RingWord>(_ b: BinaryShare, as scalarType: ScalarType) async throws -> ArithmeticShare<W> {
        try conversionCheckInteger(scalarType, "injectBit")
        guard W.stores(scalarType) else {
            throw ConfideError(.typeMismatch, "injectBit: \(scalarType) is not stored in \(W.bitWidth)-bit words")
        }
        let n = b.count, mask = W.mask(scalarType)
        let first: [W] = BinaryShare.unpack(b.first, count: n).map { W(truncatingIfNeeded: $0) }
        let second: [W] = BinaryShare.unpack(b.second, count: n).map { W(truncatingIfNeeded: $0) }
        let c: [W]? = index == 0 ? BitStream.xor(first, second) : nil
        let cA = try await conversionInputArithmetic(c, from: 0, count: n, scalarType, kind: "injectBit")
        let b2 = conversionComponent(BooleanComponents(first: first, second: second), 2)
        let cS = ArithmeticShare(unchecked: scalarType, shape: b.shape, first: cA.first, second: cA.second)
        let b2S = ArithmeticShare(unchecked: scalarType, shape: b.shape, first: b2.first, second: b2.second)
        let product = try await mulAA(cS, b2S)
        func combine(_ u: [W], _ v: [W], _ p: [W]) -> [W] {
            [W](unsafeUninitializedCapacity: n) { out, initialized in
                for i in 0..<n { out[i] = (u[i] &+ v[i] &- (p[i] &<< 1)) & mask }
                initialized = n
            }
        }
        return ArithmeticShare(
            unchecked: scalarType, shape: b.shape, first: combine(cS.first, b2S.first, product.first),
            second: combine(cS.second, b2S.second, product.second))
    }

    /// x · b for an integer share x and a bit share b, with NumPy broadcasting (matches
    /// `Operation.mixedMultiply`), with two three-party oblivious transfers (ABY3 §5.4.2).
    ///
    /// Share algebra: x·b = A·b + B·b with A = x_0 + x_1 (known to party 0) and B = x_2 (known
    /// to parties 1 and 2). In OT 1, party 0 (sender, knows c = b_0 ⊕ b_1) offers
    /// m_j = A·(c ⊕ j) − t for j = 0, 1, masked with w_0, w_1 from the stream it shares with
    /// party 2 (helper); party 1 (receiver) learns m_{b_2} = A·b − t as party 2 sends it
    /// w_{b_2}. In OT 2, party 2 (sender, knows b_2 ⊕ b_0 and B) offers B·(b_2 ⊕ b_0 ⊕ j) − t′,
    /// masked with the stream it shares with party 1 (helper), and party 0 (receiver) learns
    /// B·b − t′ as party 1 sends it the mask of choice b_1. t and t′ are private randomness, so
    /// party 0 holds t + (B·b − t′), party 1 A·b − t and party 2 t′: a 3-out-of-3 sharing of
    /// x·b, which one resharing round with a zero sharing (as in ``mulAA(_:_:)``) makes
    /// replicated. Both OTs share one round. Collective.
    /// Communication: ``ABY3Cost/mulAB(count:_:)`` of the broadcast element count — 2 rounds;
    /// parties 0, 1, 2 send 3, 2 and 4 times n·w bytes.
    /// - Throws: `.typeMismatch` for a `bit` x; `.shapeMismatch` for shapes that do not
    ///   broadcast; the communicator's errors; `.protocolViolation` for a malformed message.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func mulAB<W: RingWord>(_ x: ArithmeticShare<W>, _ b: BinaryShare) async throws -> ArithmeticShare<W> {
        try conversionCheckInteger(x.scalarType, "mulAB")
        let shape = try booleanBroadcastShape([x.shape, b.shape], "mulAB")
        let xs = booleanBroadcast(x, to: shape), bs = booleanBroadcast(b, to: shape)
        let s = x.scalarType, n = xs.count, mask = W.mask(s)
        let own: [W] = BinaryShare.unpack(bs.first, count: n).map { W(truncatingIfNeeded: $0) }
        let succ: [W] = BinaryShare.unpack(bs.second, count: n).map { W(truncatingIfNeeded: $0) }
        let tag = nextTag("mulAB")
        /// Sender messages v·(c ⊕ j) − t + w_j for j = 0, 1 (2n words).
        func offers(_ v: [W], _ c: [W], _ t: [W], _ w: [W]) -> [W] {
            [W](unsafeUninitializedCapacity: 2 * n) { out, initialized in
                for i in 0..<n {
                    let m0 = c[i] == 0 ? 0 : v[i], m1 = c[i] == 0 ? v[i] : 0
                    out[i] = (m0 &- t[i] &+ w[i]) & mask
                    out[n + i] = (m1 &- t[i] &+ w[n + i]) & mask
                }
                initialized = 2 * n
            }
        }
        /// The receiver's message of choice `choice`, unmasked with the helper's mask.
        func receive(_ offered: [W], _ helper: [W], _ choice: [W]) -> [W] {
            (0..<n).map { i in (offered[Int(truncatingIfNeeded: choice[i]) * n + i] &- helper[i]) & mask }
        }
        /// The helper's masks of choice `choice`.
        func pick(_ w: [W], _ choice: [W]) -> [W] { (0..<n).map { i in w[Int(truncatingIfNeeded: choice[i]) * n + i] } }
        func privateRandom() -> [W] {
            var t = [W](repeating: 0, count: n)
            local.fill(&t)
            return t.map { $0 & mask }
        }
        var piece: [W]
        switch index {
        case 0:
            // OT 1 sender (choice b_2 ∉ party 0), OT 2 receiver (choice b_1 = `succ`).
            let w: [W] = drawShared(withNext: false, 2 * n, s)
            let t = privateRandom()
            let a = Self.zipWords(xs.first, xs.second) { ($0 &+ $1) & mask }
            // comm: 1 round, 2·n·w bytes to party 1 (both OTs share the round)
            let replies = try await exchange(
                [OutgoingMessage(to: next, tag: tag, bytes: WireCodec.encode(offers(a, BitStream.xor(own, succ), t, w), s))],
                expecting: [ExpectedMessage(from: previous, tag: tag), ExpectedMessage(from: next, tag: tag)])
            let offered: [W] = try WireCodec.decode(replies[0], count: 2 * n, s, from: previous, tag: tag)
            let helper: [W] = try WireCodec.decode(replies[1], count: n, s, from: next, tag: tag)
            piece = Self.zipWords(t, receive(offered, helper, succ)) { ($0 &+ $1) & mask }
        case 1:
            // OT 1 receiver (choice b_2 = `succ`), OT 2 helper (choice b_1 = `own`).
            let w2: [W] = drawShared(withNext: true, 2 * n, s)
            // comm: 1 round, n·w bytes to party 0
            let replies = try await exchange(
                [OutgoingMessage(to: previous, tag: tag, bytes: WireCodec.encode(pick(w2, own), s))],
                expecting: [ExpectedMessage(from: previous, tag: tag), ExpectedMessage(from: next, tag: tag)])
            let offered: [W] = try WireCodec.decode(replies[0], count: 2 * n, s, from: previous, tag: tag)
            let helper: [W] = try WireCodec.decode(replies[1], count: n, s, from: next, tag: tag)
            piece = receive(offered, helper, succ)
        default:
            // OT 1 helper (choice b_2 = `own`), OT 2 sender (c = b_2 ⊕ b_0, value B = x_2).
            let w: [W] = drawShared(withNext: true, 2 * n, s)
            let w2: [W] = drawShared(withNext: false, 2 * n, s)
            let t = privateRandom()
            // comm: 1 round, n·w bytes to party 1 and 2·n·w bytes to party 0
            _ = try await exchange(
                [
                    OutgoingMessage(to: previous, tag: tag, bytes: WireCodec.encode(pick(w, own), s)),
                    OutgoingMessage(to: next, tag: tag, bytes: WireCodec.encode(offers(xs.first, BitStream.xor(own, succ), t, w2), s)),
                ], expecting: [])
            piece = t
        }
        let alpha: [W] = zeroShare(n, s)
        piece = Self.zipWords(piece, alpha) { ($0 &+ $1) & mask }
        return try await reshare(piece, scalarType: s, shape: shape, tag: nextTag("mulAB"))
    }

    /// Bit `position` of every element of an arithmetic share, as a bit share of its shape, with
    /// a carry-only circuit (cheaper than ``a2bWords(_:)``).
    ///
    /// Share algebra: x = a + b with a = x_0 + x_1 input by party 0 and b = x_2 (as in A2B). Bit j
    /// of a + b is a_j ⊕ b_j ⊕ c_j, with c_j the carry out of the low j bits. Shifting a and b left
    /// by k − j puts those bits at the top of a k-bit number, so c_j is the group generate of all
    /// k positions: one AND round for G = a∧b, then a log₂k-level tree that halves the bits per
    /// number each level, (G, P)_hi ∘ (G, P)_lo = (G_hi ⊕ P_hi∧G_lo, P_hi∧P_lo), sending only the
    /// bits that are still needed. Collective.
    /// Communication: ``ABY3Cost/bitExtraction(count:_:)`` — 2 + log₂k rounds.
    /// - Throws: `.typeMismatch` for a `bit` share; `.invalidArgument` unless 0 ≤ position < k;
    ///   the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func bitExtractA<W: RingWord>(_ x: ArithmeticShare<W>, bit position: Int) async throws -> BinaryShare {
        try conversionCheckInteger(x.scalarType, "bitExtractA")
        guard (0..<x.scalarType.bits).contains(position) else {
            throw ConfideError(.invalidArgument, "bitExtractA: bit \(position) does not exist in \(x.scalarType) (bits 0..<\(x.scalarType.bits))")
        }
        let bits = try await conversionBitOfSum(x, position, kind: "bitExtract")
        return BinaryShare(unchecked: x.shape, first: bits.first, second: bits.second)
    }

    /// The most significant bit of every element (the sign for signed types), as
    /// ``bitExtractA(_:bit:)`` with bit k − 1. Collective.
    /// Communication: ``ABY3Cost/bitExtraction(count:_:)``.
    /// - Throws: as ``bitExtractA(_:bit:)``.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func msbA<W: RingWord>(_ x: ArithmeticShare<W>) async throws -> BinaryShare {
        try await bitExtractA(x, bit: x.scalarType.bits - 1)
    }

    // MARK: - Internal circuits

    /// Bit `position` of every element of x = (x_0 + x_1) + x_2, packed (see ``bitExtractA(_:bit:)``).
    func conversionBitOfSum<W: RingWord>(_ x: ArithmeticShare<W>, _ position: Int, kind: String) async throws -> BooleanComponents<UInt64> {
        let s = x.scalarType, k = s.bits, n = x.count, mask = W.mask(s)
        let a = try await conversionInputBoolean(
            index == 0 ? Self.zipWords(x.first, x.second) { ($0 &+ $1) & mask } : nil, from: 0, count: n, s, kind: kind)
        let b = conversionComponent(BooleanComponents(first: x.first, second: x.second), 2)
        let shift = k - position
        let low: (BooleanComponents<W>) -> BooleanComponents<UInt64> = { c in
            c.map { ($0 << shift) & mask }.mapArrays { BitStream.packElements($0, bits: k) }
        }
        let aS = low(a), bS = low(b)
        let g = try await booleanAndRound([BooleanAndJob(x: aS, y: bS, count: n * k)], kind: kind)[0]
        let carry = try await conversionCarryTree(generate: g, propagate: aS ^ bS, count: n, width: k, keepPropagate: false, kind: kind)
        let top = a.mapArrays { BitStream.extractBit($0, position) } ^ b.mapArrays { BitStream.extractBit($0, position) }
        return top ^ carry.generate!
    }

    /// The log-depth tree that combines the (generate, propagate) bits of each number of `width`
    /// bits (packed streams of count·width bits, element-major) into one pair per number. Each
    /// level halves the width: hi = odd positions, lo = even positions,
    /// G ← G_hi ⊕ P_hi∧G_lo and P ← P_hi∧P_lo, both ANDs in one round. With `generate` nil only
    /// P is combined (an AND of all bits). P is dropped at the last level unless `keepPropagate`.
    /// Communication: log₂(width) rounds (see ``ABY3Cost/carryTree(count:width:generate:keepPropagate:)``).
    func conversionCarryTree(
        generate: BooleanComponents<UInt64>?, propagate: BooleanComponents<UInt64>, count n: Int, width k: Int, keepPropagate: Bool,
        kind: String
    ) async throws -> (generate: BooleanComponents<UInt64>?, propagate: BooleanComponents<UInt64>?) {
        var g = generate
        var p: BooleanComponents<UInt64>? = propagate
        var width = k
        while width > 1 {
            let bitCount = n * width, half = bitCount / 2
            let last = width == 2
            guard let pp = p else { break }
            let hiP = pp.mapArrays { BitStream.halve($0, bitCount: bitCount, odd: true) }
            var jobs: [BooleanAndJob] = []
            var hiG: BooleanComponents<UInt64>?
            if let gg = g {
                hiG = gg.mapArrays { BitStream.halve($0, bitCount: bitCount, odd: true) }
                let loG = gg.mapArrays { BitStream.halve($0, bitCount: bitCount, odd: false) }
                jobs.append(BooleanAndJob(x: hiP, y: loG, count: half))
            }
            let needP = g == nil || !last || keepPropagate
            if needP {
                jobs.append(BooleanAndJob(x: hiP, y: pp.mapArrays { BitStream.halve($0, bitCount: bitCount, odd: false) }, count: half))
            }
            let results = try await booleanAndRound(jobs, kind: kind)
            if let hiG { g = hiG ^ results[0] }
            p = needP ? results[results.count - 1] : nil
            width /= 2
        }
        return (g, p)
    }

    /// The Kogge–Stone adder a + b mod 2^k on bitwise XOR sharings (see ``a2bWords(_:)``).
    /// Communication: 1 + log₂k rounds, 2·log₂k·n·w bytes per party.
    func conversionAdd<W: RingWord>(
        _ a: BooleanComponents<W>, _ b: BooleanComponents<W>, _ s: ScalarType, kind: String
    ) async throws -> BooleanComponents<W> {
        try await conversionAddWithCarries(a, b, s, kind: kind).sum
    }

    /// The Kogge–Stone adder, also returning the carries: bit i of `carries` is the carry out of
    /// bits 0…i (so bit k − 1 is the carry out of the whole addition).
    func conversionAddWithCarries<W: RingWord>(
        _ a: BooleanComponents<W>, _ b: BooleanComponents<W>, _ s: ScalarType, kind: String
    ) async throws -> (sum: BooleanComponents<W>, carries: BooleanComponents<W>) {
        let mask = W.mask(s)
        let levels = s.bits.trailingZeroBitCount
        let p0 = a ^ b
        var g = try await booleanAndWordsRound([(a, b)], s, kind: kind)[0]
        var p = p0
        var d = 1
        for level in 1...levels {
            let gShift = g.map { ($0 << d) & mask }
            if level == levels {
                g = g ^ (try await booleanAndWordsRound([(p, gShift)], s, kind: kind)[0])
            } else {
                let r = try await booleanAndWordsRound([(p, gShift), (p, p.map { ($0 << d) & mask })], s, kind: kind)
                g = g ^ r[0]
                p = r[1]
            }
            d <<= 1
        }
        return (p0 ^ g.map { ($0 << 1) & mask }, g)
    }

    /// Party `owner`'s value v (nil elsewhere) as an XOR sharing (v ⊕ r, r, 0) rotated to start
    /// at component `owner`, with r from the stream of `owner` and its successor.
    /// Communication: 1 round; `owner` sends n·w bytes to its predecessor.
    func conversionInputBoolean<W: RingWord>(
        _ value: [W]?, from owner: Int, count n: Int, _ s: ScalarType, kind: String
    ) async throws -> BooleanComponents<W> {
        try await conversionInput(value, from: owner, count: n, s, kind: kind, mask: { $0 ^ $1 })
    }

    /// Party `owner`'s value v (nil elsewhere) as an arithmetic sharing (v − r, r, 0) rotated to
    /// start at component `owner`. Communication: 1 round; `owner` sends n·w bytes.
    func conversionInputArithmetic<W: RingWord>(
        _ value: [W]?, from owner: Int, count n: Int, _ s: ScalarType, kind: String
    ) async throws -> BooleanComponents<W> {
        let mask = W.mask(s)
        return try await conversionInput(value, from: owner, count: n, s, kind: kind, mask: { ($0 &- $1) & mask })
    }

    private func conversionInput<W: RingWord>(
        _ value: [W]?, from owner: Int, count n: Int, _ s: ScalarType, kind: String, mask combine: (W, W) -> W
    ) async throws -> BooleanComponents<W> {
        let tag = nextTag(kind)
        let zero = [W](repeating: 0, count: n)
        switch index {
        case owner:
            let r: [W] = drawShared(withNext: true, n, s)
            let masked = Self.zipWords(value ?? zero, r, combine)
            // comm: 1 round, n·w bytes to the predecessor (the owner only)
            _ = try await exchange([OutgoingMessage(to: previous, tag: tag, bytes: WireCodec.encode(masked, s))], expecting: [])
            return BooleanComponents(first: masked, second: r)
        case (owner + 1) % 3:
            let r: [W] = drawShared(withNext: false, n, s)
            return BooleanComponents(first: r, second: zero)
        default:
            let bytes = try await exchange([], expecting: [ExpectedMessage(from: owner, tag: tag)])[0]
            return BooleanComponents(first: zero, second: try WireCodec.decode(bytes, count: n, s, from: owner, tag: tag))
        }
    }

    /// Component `j` of a replicated sharing alone (the others zero): a sharing of the value
    /// component j holds. Local.
    func conversionComponent<W: RingWord>(_ c: BooleanComponents<W>, _ j: Int) -> BooleanComponents<W> {
        let zero = [W](repeating: 0, count: c.first.count)
        return BooleanComponents(first: index == j ? c.first : zero, second: next == j ? c.second : zero)
    }

    /// - Throws: `.typeMismatch` for `bit`, which has no integer ring to convert.
    func conversionCheckInteger(_ s: ScalarType, _ kernel: String) throws {
        guard s != .bit else { throw ConfideError(.typeMismatch, "\(kernel): expected an integer share, found a bit share") }
    }
}
