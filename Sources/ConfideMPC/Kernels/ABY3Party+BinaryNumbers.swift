import ConfideCore

/// CipherCore's binary-number custom operations on XOR-shared bit arrays whose last axis holds
/// one number (least significant bit first): comparisons, `Max` and `Min`. These are what a
/// graph's `GreaterThan(A2B(x), A2B(y))` runs on when its operands are already boolean.
extension ABY3Party {
    /// Compares binary numbers: bit shares of one shape `[..., w]`, giving a bit share of
    /// `[...]` (CipherCore's `LessThan`, …, `Equal`, `NotEqual` with `signed_comparison`).
    ///
    /// Share algebra: x < y ⇔ the addition x + ¬y + 1 has no carry out. With G = x∧¬y and
    /// P = x⊕¬y per bit (numbers padded at the top to a power of two with the identity G = 0,
    /// P = 1), the carry tree of ``bitExtractA(_:bit:)`` gives the group (G, P) of all bits and
    /// the carry out G ⊕ P; so [x < y] = ¬(G ⊕ P). x > y is y < x; ≤ and ≥ negate > and <. x = y
    /// is the AND tree over ¬(x ⊕ y). Signed numbers have their most significant bits flipped
    /// first, as CipherCore does. Collective.
    /// Communication: ``ABY3Cost/compareB(_:count:width:)`` — 1 + ⌈log₂w⌉ rounds (⌈log₂w⌉ for
    /// equal / not equal).
    /// - Parameters:
    ///   - signed: two's-complement numbers (ignored by equal / not equal, as in CipherCore).
    /// - Throws: `.shapeMismatch` for different shapes or a scalar; `.invalidArgument` for
    ///   signed numbers of fewer than 2 bits; the communicator's errors.
    public func compareB(_ comparison: ABY3Comparison, _ x: BinaryShare, _ y: BinaryShare, signed: Bool) async throws -> BinaryShare {
        let what = "compareB(\(comparison))"
        try booleanCheckShapes(x.shape, y.shape, what)
        guard let width = x.shape.last else {
            throw ConfideError(.shapeMismatch, "\(what): expected bit arrays whose last axis holds binary numbers, found \(x.type)")
        }
        let orders = comparison != .equal && comparison != .notEqual
        let isSigned = signed && orders
        if isSigned, width < 2 {
            throw ConfideError(.invalidArgument, "\(what): signed numbers need at least 2 bits, found \(width)")
        }
        let n = width == 0 ? 0 : x.count / width
        let padded = binaryPaddedWidth(width)
        var (u, v) = comparison == .greaterThan || comparison == .lessThanEqualTo ? (y, x) : (x, y)
        if isSigned {
            u = binaryFlipTopBit(u, width: width)
            v = binaryFlipTopBit(v, width: width)
        }
        let uS = binaryPadded(u, width: width, to: padded, count: n)
        let vS = binaryPadded(v, width: width, to: padded, count: n)
        let allOnes = booleanPublic(BinaryShare.pack([UInt64](repeating: 1, count: n * padded)))
        let holds: BooleanComponents<UInt64>
        if orders {
            let notV = vS ^ allOnes
            let g = try await booleanAndRound([BooleanAndJob(x: uS, y: notV, count: n * padded)], kind: "compareB")[0]
            let tree = try await conversionCarryTree(
                generate: g, propagate: uS ^ notV, count: n, width: padded, keepPropagate: true, kind: "compareB")
            // carry = G ⊕ P; x < y is its negation.
            holds = tree.generate! ^ tree.propagate! ^ booleanPublic(BinaryShare.pack([UInt64](repeating: 1, count: n)))
        } else {
            let tree = try await conversionCarryTree(
                generate: nil, propagate: uS ^ vS ^ allOnes, count: n, width: padded, keepPropagate: true, kind: "compareB")
            holds = tree.propagate!
        }
        let result = BinaryShare(unchecked: Array(x.shape.dropLast()), first: holds.first, second: holds.second)
        switch comparison {
        case .notEqual, .greaterThanEqualTo, .lessThanEqualTo: return notB(result)
        default: return result
        }
    }

    /// CipherCore's `Max` on binary numbers: y where x < y, else x, as x ⊕ [x<y]∧(x ⊕ y) with the
    /// comparison bit repeated over the w bits. Collective.
    /// Communication: ``ABY3Cost/minMaxB(count:width:)`` — ``compareB(_:_:_:signed:)`` then 1 round.
    /// - Throws: as ``compareB(_:_:_:signed:)``.
    public func maxB(_ x: BinaryShare, _ y: BinaryShare, signed: Bool) async throws -> BinaryShare {
        let less = try await compareB(.lessThan, x, y, signed: signed)
        let width = x.shape.last!
        let spread = BinaryShare(
            unchecked: x.shape, first: binaryRepeatBits(less.first, count: less.count, times: width),
            second: binaryRepeatBits(less.second, count: less.count, times: width))
        return try xorBB(x, try await andBB(spread, try xorBB(x, y)))
    }

    /// CipherCore's `Min` on binary numbers: x ⊕ y ⊕ max(x, y), bit by bit. Collective.
    /// Communication: ``ABY3Cost/minMaxB(count:width:)``.
    /// - Throws: as ``compareB(_:_:_:signed:)``.
    public func minB(_ x: BinaryShare, _ y: BinaryShare, signed: Bool) async throws -> BinaryShare {
        let larger = try await maxB(x, y, signed: signed)
        return try xorBB(try xorBB(x, y), larger)
    }

    /// CipherCore's `BinaryAdd` on binary numbers: x + y mod 2^w for bit shares of one shape
    /// `[..., w]`, w a power of two ≤ 128, with the Kogge–Stone adder of ``a2bWords(_:)`` (run on
    /// 8-bit words when w < 8).
    /// Collective. Communication: ``ABY3Cost/binaryAddB(count:width:)`` — 1 + log₂max(w, 8) rounds.
    /// - Returns: the sum, shape `[..., w]`, and the carry out of each addition, shape `[..., 1]`
    ///   (CipherCore's `overflow_bit` output).
    /// - Throws: `.shapeMismatch` for different shapes or a scalar; `.invalidArgument` unless w is
    ///   a power of two ≤ 128; the communicator's errors.
    public func binaryAddB(_ x: BinaryShare, _ y: BinaryShare) async throws -> (sum: BinaryShare, carry: BinaryShare) {
        try booleanCheckShapes(x.shape, y.shape, "binaryAddB")
        guard let width = x.shape.last else {
            throw ConfideError(.shapeMismatch, "binaryAddB: expected bit arrays whose last axis holds binary numbers, found \(x.type)")
        }
        guard width > 0, width <= 128, width.nonzeroBitCount == 1 else {
            throw ConfideError(.invalidArgument, "binaryAddB: the number of bits must be a power of two up to 128, found \(width)")
        }
        if width == 128 { return try await binaryAdd(UInt128.self, x, y, width: width, container: .u128) }
        let container: ScalarType = width <= 8 ? .u8 : width == 16 ? .u16 : width == 32 ? .u32 : .u64
        return try await binaryAdd(UInt64.self, x, y, width: width, container: container)
    }

    private func binaryAdd<W: RingWord>(
        _: W.Type, _ x: BinaryShare, _ y: BinaryShare, width: Int, container: ScalarType
    ) async throws -> (sum: BinaryShare, carry: BinaryShare) {
        let n = x.count / width
        let words: (BinaryShare) -> BooleanComponents<W> = { b in
            BooleanComponents(
                first: BitStream.unpackElements(b.first, count: n, bits: width), second: BitStream.unpackElements(b.second, count: n, bits: width))
        }
        let added = try await conversionAddWithCarries(words(x), words(y), container, kind: "binaryAdd")
        let mask: W = width == W.bitWidth ? W.max : (W(1) << width) - 1
        let sum = added.sum.map { $0 & mask }.mapArrays { BitStream.packElements($0, bits: width) }
        let carry = added.carries.mapArrays { BitStream.extractBit($0, width - 1) }
        return (
            BinaryShare(unchecked: x.shape, first: sum.first, second: sum.second),
            BinaryShare(unchecked: Array(x.shape.dropLast()) + [1], first: carry.first, second: carry.second)
        )
    }

    // MARK: - Internal helpers

    /// The smallest power of two ≥ width (1 for widths 0 and 1).
    func binaryPaddedWidth(_ width: Int) -> Int {
        width <= 1 ? 1 : 1 << (Int.bitWidth - (width - 1).leadingZeroBitCount)
    }

    /// The share with the most significant bit of every number flipped (public XOR). Local.
    private func binaryFlipTopBit(_ x: BinaryShare, width: Int) -> BinaryShare {
        guard index == 0 || index == 2, width > 0 else { return x }
        var words = index == 0 ? x.first : x.second
        for e in 0..<(x.count / width) {
            let position = e * width + width - 1
            words[position >> 6] ^= 1 << UInt64(position & 63)
        }
        var result = x
        if index == 0 { result.first = words } else { result.second = words }
        return result
    }

    /// The components as a stream of numbers of `padded` bits (top bits zero). Local.
    private func binaryPadded(_ x: BinaryShare, width: Int, to padded: Int, count n: Int) -> BooleanComponents<UInt64> {
        guard padded != width else { return BooleanComponents(first: x.first, second: x.second) }
        func spread(_ bits: [UInt64]) -> [UInt64] {
            var out = [UInt64](repeating: 0, count: BinaryShare.wordCount(n * padded))
            for e in 0..<n {
                for t in 0..<width {
                    let p = e * width + t, o = e * padded + t
                    out[o >> 6] |= ((bits[p >> 6] >> UInt64(p & 63)) & 1) << UInt64(o & 63)
                }
            }
            return out
        }
        return BooleanComponents(first: spread(x.first), second: spread(x.second))
    }

    /// Each of `count` bits repeated `times` times in a row. Local.
    private func binaryRepeatBits(_ bits: [UInt64], count: Int, times: Int) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: BinaryShare.wordCount(count * times))
        for e in 0..<count where (bits[e >> 6] >> UInt64(e & 63)) & 1 == 1 {
            for t in 0..<times {
                let o = e * times + t
                out[o >> 6] |= 1 << UInt64(o & 63)
            }
        }
        return out
    }
}
