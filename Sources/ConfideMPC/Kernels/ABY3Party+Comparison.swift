import ConfideCore

/// The comparisons of ``ABY3Party/compareA(_:_:_:signed:)``, named as CipherCore's custom
/// operations.
public enum ABY3Comparison: String, Sendable, CaseIterable, CustomStringConvertible {
    case lessThan = "LessThan", lessThanEqualTo = "LessThanEqualTo", greaterThan = "GreaterThan"
    case greaterThanEqualTo = "GreaterThanEqualTo", equal = "Equal", notEqual = "NotEqual"

    public var description: String { rawValue }
}

/// Comparisons, min/max and multiplexers on shares (ABY3 §5.3, built on bit extraction).
extension ABY3Party {
    /// Compares two arithmetic shares element by element, exactly on the whole range of the ring
    /// (no overflow failure at 0, −1, min, max).
    ///
    /// Share algebra (unsigned; signed operands are first shifted by 2^{k−1}, which flips the MSB
    /// as CipherCore does): with m_x, m_y the MSBs of x, y and m_d the MSB of d = x − y mod 2^k,
    /// x < y ⇔ m_y when m_x ≠ m_y, and ⇔ m_d when m_x = m_y (then |x − y| < 2^{k−1}); so
    /// [x < y] = m_d ⊕ (m_x ⊕ m_y)∧(m_y ⊕ m_d). The three MSBs come from one carry-only bit
    /// extraction of 3n numbers, then one AND round. x > y is y < x; ≤ and ≥ negate > and <.
    /// Equality: d = x − y is zero ⇔ a = d_0 + d_1 (input by party 0) equals b = −d_2, i.e. every
    /// bit of ¬(a ⊕ b) is 1: an AND tree over the k bits.
    /// Collective: every party calls this in the same order.
    /// Communication: ``ABY3Cost/comparison(_:count:_:)`` — 3 + log₂k rounds (1 + log₂k for
    /// equal / not equal).
    /// - Parameters:
    ///   - comparison: the relation.
    ///   - x: the left operand.
    ///   - y: the right operand, of x's type.
    ///   - signed: two's-complement comparison; nil uses the scalar type's signedness.
    /// - Returns: a bit share of the operands' shape, 1 where the relation holds.
    /// - Throws: `.typeMismatch` for different scalar types or `bit`; `.shapeMismatch` for
    ///   different shapes; the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func compareA<W: RingWord>(
        _ comparison: ABY3Comparison, _ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>, signed: Bool? = nil
    ) async throws -> BinaryShare {
        try checkSameType(x.type, y.type, "compareA(\(comparison))")
        try conversionCheckInteger(x.scalarType, "compareA(\(comparison))")
        let bits: BooleanComponents<UInt64>
        switch comparison {
        case .equal, .notEqual:
            bits = try await comparisonIsZero(try subAA(x, y))
        case .lessThan, .greaterThanEqualTo:
            bits = try await comparisonLess(x, y, signed: signed ?? x.scalarType.isSigned)
        case .greaterThan, .lessThanEqualTo:
            bits = try await comparisonLess(y, x, signed: signed ?? x.scalarType.isSigned)
        }
        let result = BinaryShare(unchecked: x.shape, first: bits.first, second: bits.second)
        switch comparison {
        case .notEqual, .greaterThanEqualTo, .lessThanEqualTo: return notB(result)
        default: return result
        }
    }

    /// x < y. Collective. Communication: ``ABY3Cost/comparison(_:count:_:)``.
    /// - Throws: as ``compareA(_:_:_:signed:)``.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func ltA<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>, signed: Bool? = nil) async throws -> BinaryShare {
        try await compareA(.lessThan, x, y, signed: signed)
    }

    /// x ≤ y. Collective. Communication: ``ABY3Cost/comparison(_:count:_:)``.
    /// - Throws: as ``compareA(_:_:_:signed:)``.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func leA<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>, signed: Bool? = nil) async throws -> BinaryShare {
        try await compareA(.lessThanEqualTo, x, y, signed: signed)
    }

    /// x > y. Collective. Communication: ``ABY3Cost/comparison(_:count:_:)``.
    /// - Throws: as ``compareA(_:_:_:signed:)``.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func gtA<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>, signed: Bool? = nil) async throws -> BinaryShare {
        try await compareA(.greaterThan, x, y, signed: signed)
    }

    /// x ≥ y. Collective. Communication: ``ABY3Cost/comparison(_:count:_:)``.
    /// - Throws: as ``compareA(_:_:_:signed:)``.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func geA<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>, signed: Bool? = nil) async throws -> BinaryShare {
        try await compareA(.greaterThanEqualTo, x, y, signed: signed)
    }

    /// x = y. Collective. Communication: ``ABY3Cost/comparison(_:count:_:)``.
    /// - Throws: as ``compareA(_:_:_:signed:)``.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func eqA<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>) async throws -> BinaryShare {
        try await compareA(.equal, x, y)
    }

    /// x ≠ y. Collective. Communication: ``ABY3Cost/comparison(_:count:_:)``.
    /// - Throws: as ``compareA(_:_:_:signed:)``.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func neA<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>) async throws -> BinaryShare {
        try await compareA(.notEqual, x, y)
    }

    /// `flag ? ifOne : ifZero` element by element, with NumPy broadcasting of all three:
    /// ifZero + flag·(ifOne − ifZero) with one ``mulAB(_:_:)``. Collective.
    /// Communication: ``ABY3Cost/muxA(count:_:)`` of the broadcast element count — 2 rounds.
    /// - Throws: `.typeMismatch` for different scalar types or `bit`; `.shapeMismatch` for
    ///   shapes that do not broadcast; the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func selectA<W: RingWord>(
        _ flag: BinaryShare, ifOne: ArithmeticShare<W>, ifZero: ArithmeticShare<W>
    ) async throws -> ArithmeticShare<W> {
        guard ifOne.scalarType == ifZero.scalarType else {
            throw ConfideError(.typeMismatch, "selectA: choices of types \(ifOne.type) and \(ifZero.type) have different scalar types")
        }
        try conversionCheckInteger(ifOne.scalarType, "selectA")
        let shape = try booleanBroadcastShape([flag.shape, ifOne.shape, ifZero.shape], "selectA")
        let one = booleanBroadcast(ifOne, to: shape), zero = booleanBroadcast(ifZero, to: shape)
        let delta = try await mulAB(try subAA(one, zero), booleanBroadcast(flag, to: shape))
        return try addAA(zero, delta)
    }

    /// CipherCore's custom operation `Mux(flag, choice1, choice0)` on integer shares, with its
    /// exact semantics: CipherCore computes choice0·flag + choice1·(1 − flag), so the result is
    /// **choice0 where the flag is 1** and choice1 where it is 0. Collective.
    /// Communication: ``ABY3Cost/muxA(count:_:)``.
    /// - Throws: as ``selectA(_:ifOne:ifZero:)``.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func muxA<W: RingWord>(
        _ flag: BinaryShare, _ choice1: ArithmeticShare<W>, _ choice0: ArithmeticShare<W>
    ) async throws -> ArithmeticShare<W> {
        try await selectA(flag, ifOne: choice0, ifZero: choice1)
    }

    /// CipherCore's `Mux(flag, choice1, choice0)` on bit shares: choice1 where the flag is 1,
    /// choice0 where it is 0, as choice0 ⊕ flag∧(choice0 ⊕ choice1). Collective.
    /// All three broadcast (NumPy rules). Communication: ``ABY3Cost/andBB(count:)`` of the
    /// broadcast element count — 1 round.
    /// - Throws: `.shapeMismatch` for shapes that do not broadcast; the communicator's errors.
    public func muxB(_ flag: BinaryShare, _ choice1: BinaryShare, _ choice0: BinaryShare) async throws -> BinaryShare {
        let shape = try booleanBroadcastShape([flag.shape, choice1.shape, choice0.shape], "muxB")
        let one = booleanBroadcast(choice1, to: shape), zero = booleanBroadcast(choice0, to: shape)
        return try xorBB(zero, try await andBB(booleanBroadcast(flag, to: shape), try xorBB(zero, one)))
    }

    /// The larger of x and y element by element (CipherCore's `Max`): y where x < y, else x.
    /// Collective. Communication: ``ABY3Cost/minMax(count:_:)``.
    /// - Parameter signed: two's-complement order; nil uses the scalar type's signedness.
    /// - Throws: as ``compareA(_:_:_:signed:)``.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func maxA<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>, signed: Bool? = nil) async throws -> ArithmeticShare<W> {
        let less = try await ltA(x, y, signed: signed)
        return try await selectA(less, ifOne: y, ifZero: x)
    }

    /// The smaller of x and y element by element (CipherCore's `Min`): x + y − max(x, y).
    /// Collective. Communication: ``ABY3Cost/minMax(count:_:)``.
    /// - Parameter signed: two's-complement order; nil uses the scalar type's signedness.
    /// - Throws: as ``compareA(_:_:_:signed:)``.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func minA<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>, signed: Bool? = nil) async throws -> ArithmeticShare<W> {
        let larger = try await maxA(x, y, signed: signed)
        return try subAA(try addAA(x, y), larger)
    }

    /// CipherCore's custom operation `Clip2K(k)` on binary numbers: a bit share of shape
    /// `[..., w]` (least significant bit first, two's complement) clipped to [0, 2^k] — negative
    /// numbers become 0, numbers ≥ 2^k become 2^k, others stay.
    ///
    /// Share algebra: s = ¬(any of bits k…w−1 set) is an AND tree over the negated top w − k bits
    /// (padded with public ones to a power of two); then out_j = x_j ∧ s for j < k,
    /// out_k = ¬s ∧ ¬x_{w−1}, and the bits above k are 0 — both ANDs in one round. Collective.
    /// Communication: ``ABY3Cost/clip2K(count:width:k:)`` — ⌈log₂(w − k)⌉ + 1 rounds.
    /// - Throws: `.shapeMismatch` for a scalar; `.invalidArgument` unless 0 ≤ k ≤ w − 2; the
    ///   communicator's errors.
    public func clip2KB(_ x: BinaryShare, k: Int) async throws -> BinaryShare {
        guard let width = x.shape.last else {
            throw ConfideError(.shapeMismatch, "clip2KB: expected a bit array whose last axis holds binary numbers, found \(x.type)")
        }
        guard k >= 0, k <= width - 2 else {
            throw ConfideError(.invalidArgument, "clip2KB: k must be in 0...\(width - 2) for \(width)-bit numbers, found \(k)")
        }
        let n = width == 0 ? 0 : x.count / width
        let m = width - k
        let padded = 1 << (Int.bitWidth - (m - 1).leadingZeroBitCount)
        // ¬x_j for j ≥ k, padded with ones: the public constant 1 sits in component x_0.
        let holdsFirst = index == 0, holdsSecond = index == 2
        func gather(_ bits: [UInt64], width w: Int, _ pick: (Int, Int) -> (position: Int, flip: Bool)?, constant: Bool) -> [UInt64] {
            var out = [UInt64](repeating: 0, count: BinaryShare.wordCount(n * w))
            for e in 0..<n {
                for t in 0..<w {
                    var bit: UInt64 = constant ? 1 : 0
                    if let (position, flip) = pick(e, t) {
                        bit = (bits[position >> 6] >> UInt64(position & 63)) & 1
                        if flip && constant { bit ^= 1 }
                    }
                    let o = e * w + t
                    out[o >> 6] |= bit << UInt64(o & 63)
                }
            }
            return out
        }
        let top: (Int, Int) -> (position: Int, flip: Bool)? = { e, t in t < m ? (e * width + k + t, true) : nil }
        let notTop = BooleanComponents(
            first: gather(x.first, width: padded, top, constant: holdsFirst), second: gather(x.second, width: padded, top, constant: holdsSecond))
        let tree = try await conversionCarryTree(generate: nil, propagate: notTop, count: n, width: padded, keepPropagate: true, kind: "clip2K")
        let small = tree.propagate!
        let ones = BinaryShare.pack([UInt64](repeating: 1, count: n))
        let large = small ^ booleanPublic(ones)
        let sign: (Int, Int) -> (position: Int, flip: Bool)? = { e, _ in (e * width + width - 1, true) }
        let notSign = BooleanComponents(
            first: gather(x.first, width: 1, sign, constant: holdsFirst), second: gather(x.second, width: 1, sign, constant: holdsSecond))
        let low: (Int, Int) -> (position: Int, flip: Bool)? = { e, t in (e * width + t, false) }
        let lowBits = BooleanComponents(first: gather(x.first, width: k, low, constant: false), second: gather(x.second, width: k, low, constant: false))
        let smallRepeated = small.mapArrays { s in gather(s, width: k, { e, _ in (e, false) }, constant: false) }
        let results = try await booleanAndRound(
            [BooleanAndJob(x: lowBits, y: smallRepeated, count: n * k), BooleanAndJob(x: large, y: notSign, count: n)], kind: "clip2K")
        func assemble(_ lowOut: [UInt64], _ bitK: [UInt64]) -> [UInt64] {
            var out = [UInt64](repeating: 0, count: BinaryShare.wordCount(n * width))
            for e in 0..<n {
                for t in 0...k {
                    let source = t < k ? lowOut : bitK
                    let position = t < k ? e * k + t : e
                    let o = e * width + t
                    out[o >> 6] |= ((source[position >> 6] >> UInt64(position & 63)) & 1) << UInt64(o & 63)
                }
            }
            return out
        }
        return BinaryShare(
            unchecked: x.shape, first: assemble(results[0].first, results[1].first), second: assemble(results[0].second, results[1].second))
    }

    // MARK: - Internal circuits

    /// [x < y] packed, by the MSB formula of ``compareA(_:_:_:signed:)``.
    private func comparisonLess<W: RingWord>(
        _ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>, signed: Bool
    ) async throws -> BooleanComponents<UInt64> {
        let s = x.scalarType, n = x.count
        var u = x, v = y
        if signed {
            let flip = W(1) << (s.bits - 1)
            u = comparisonAddConstant(x, flip)
            v = comparisonAddConstant(y, flip)
        }
        let d = try subAA(u, v)
        let all = ArithmeticShare(
            unchecked: s, shape: [3 * n], first: u.first + v.first + d.first, second: u.second + v.second + d.second)
        let msbs = try await conversionBitOfSum(all, s.bits - 1, kind: "compare")
        let part: (Int) -> BooleanComponents<UInt64> = { i in msbs.mapArrays { BitStream.slice($0, start: i * n, count: n) } }
        let mx = part(0), my = part(1), md = part(2)
        let both = try await booleanAndRound([BooleanAndJob(x: mx ^ my, y: my ^ md, count: n)], kind: "compare")[0]
        return md ^ both
    }

    /// [d = 0] packed: party 0 inputs a = d_0 + d_1, b = −d_2, and an AND tree over the bits of
    /// ¬(a ⊕ b).
    private func comparisonIsZero<W: RingWord>(_ d: ArithmeticShare<W>) async throws -> BooleanComponents<UInt64> {
        let s = d.scalarType, n = d.count, k = s.bits, mask = W.mask(s)
        let a = try await conversionInputBoolean(
            index == 0 ? Self.zipWords(d.first, d.second) { ($0 &+ $1) & mask } : nil, from: 0, count: n, s, kind: "equal")
        let negated = negA(d)
        let b = conversionComponent(BooleanComponents(first: negated.first, second: negated.second), 2)
        let same = a ^ b ^ booleanPublic([W](repeating: mask, count: n))
        let stream = same.mapArrays { BitStream.packElements($0, bits: k) }
        let tree = try await conversionCarryTree(generate: nil, propagate: stream, count: n, width: k, keepPropagate: true, kind: "equal")
        return tree.propagate!
    }

    /// x + c for a public constant c in every element (added to component x_0). Local.
    private func comparisonAddConstant<W: RingWord>(_ x: ArithmeticShare<W>, _ c: W) -> ArithmeticShare<W> {
        let mask = W.mask(x.scalarType)
        var result = x
        if index == 0 { result.first = x.first.map { ($0 &+ c) & mask } }
        if index == 2 { result.second = x.second.map { ($0 &+ c) & mask } }
        return result
    }
}
