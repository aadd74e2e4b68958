import ConfideCore

extension ABY3Party {
    /// Secret-shares a tensor that party `owner` holds.
    ///
    /// Share algebra: with r = F(k_{o+1}) (known to the owner o and to o+1), the owner sets
    /// x_o = x − r, x_{o+1} = r, x_{o+2} = 0 and sends x_o to its predecessor o+2, which sees x
    /// masked by a stream it does not know. Collective.
    /// Communication: 1 round; the owner sends n·w bytes (w = the type's byte width), others nothing.
    /// - Parameters:
    ///   - tensor: the owner's value; nil on the other parties.
    ///   - scalarType: the value's scalar type (public).
    ///   - shape: the value's shape (public).
    ///   - owner: the party holding the value.
    /// - Throws: `.invalidArgument` for an owner that does not exist or a missing/extra tensor;
    ///   `.typeMismatch` when the owner's tensor is not `scalarType[shape]` or `W` does not store it;
    ///   the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func shareA<W: RingWord>(_ tensor: Tensor?, scalarType: ScalarType, shape: [Int], owner: Int) async throws -> ArithmeticShare<W> {
        try checkParty(owner, "owner")
        let tag = nextTag("shareA")
        let n = Tensor.elementCount(shape)
        // Only the owner (stream k_{o+1} as its successor stream) and o+1 (the same stream as its
        // predecessor stream) draw, which keeps every pairwise stream in step.
        let fromNext: [W] = owner == index ? drawShared(withNext: true, n, scalarType) : []
        let fromPrevious: [W] = owner == previous ? drawShared(withNext: false, n, scalarType) : []
        switch index {
        case owner:
            guard let tensor else { throw ConfideError(.invalidArgument, "party \(index) owns the input but gave no value") }
            guard tensor.type == ValueType.tensor(shape, scalarType), let x = W.words(tensor.storage) else {
                throw ConfideError(.typeMismatch, "the owner's input has type \(tensor.type), expected \(ValueType.tensor(shape, scalarType))")
            }
            let mask = W.mask(scalarType)
            var own = [W](repeating: 0, count: n)
            own.withUnsafeMutableBufferPointer { o in
                x.withUnsafeBufferPointer { xs in
                    fromNext.withUnsafeBufferPointer { r in
                        for i in 0..<n { o[i] = (xs[i] &- r[i]) & mask }
                    }
                }
            }
            // comm: 1 round, n·w bytes to the predecessor
            _ = try await exchange([OutgoingMessage(to: previous, tag: tag, bytes: WireCodec.encode(own, scalarType))], expecting: [])
            return ArithmeticShare(unchecked: scalarType, shape: shape, first: own, second: fromNext)
        case (owner + 1) % 3:
            guard tensor == nil else { throw ConfideError(.invalidArgument, "party \(index) gave a value for an input party \(owner) owns") }
            return ArithmeticShare(unchecked: scalarType, shape: shape, first: fromPrevious, second: [W](repeating: 0, count: n))
        default:
            guard tensor == nil else { throw ConfideError(.invalidArgument, "party \(index) gave a value for an input party \(owner) owns") }
            let bytes = try await exchange([], expecting: [ExpectedMessage(from: owner, tag: tag)])[0]
            let received: [W] = try WireCodec.decode(bytes, count: n, scalarType, from: owner, tag: tag)
            return ArithmeticShare(unchecked: scalarType, shape: shape, first: [W](repeating: 0, count: n), second: received)
        }
    }

    /// Secret-shares a bit tensor that party `owner` holds (XOR sharing, the same scheme as
    /// ``shareA(_:scalarType:shape:owner:)``). Collective.
    /// Communication: 1 round; the owner sends ⌈n/8⌉ bytes.
    /// - Throws: as ``shareA(_:scalarType:shape:owner:)``.
    public func shareB(_ tensor: Tensor?, shape: [Int], owner: Int) async throws -> BinaryShare {
        try checkParty(owner, "owner")
        let tag = nextTag("shareB")
        let n = Tensor.elementCount(shape)
        let words = BinaryShare.wordCount(n)
        var fromPrevious = [UInt64](repeating: 0, count: words)
        var fromNext = [UInt64](repeating: 0, count: words)
        if owner == index { sharedWithNext.fill(&fromNext) }
        if owner == previous { sharedWithPrevious.fill(&fromPrevious) }
        let zero = [UInt64](repeating: 0, count: words)
        switch index {
        case owner:
            guard let tensor else { throw ConfideError(.invalidArgument, "party \(index) owns the input but gave no value") }
            guard tensor.type == ValueType.tensor(shape, .bit), let bits = tensor.narrowWords else {
                throw ConfideError(.typeMismatch, "the owner's input has type \(tensor.type), expected \(ValueType.tensor(shape, .bit))")
            }
            var own = BinaryShare.pack(bits)
            for i in 0..<words { own[i] ^= fromNext[i] }
            var share = BinaryShare(unchecked: shape, first: own, second: fromNext)
            share.clearUnusedBits()
            // comm: 1 round, ⌈n/8⌉ bytes to the predecessor
            _ = try await exchange([OutgoingMessage(to: previous, tag: tag, bytes: WireCodec.encodeBits(share.first, count: n))], expecting: [])
            return share
        case (owner + 1) % 3:
            guard tensor == nil else { throw ConfideError(.invalidArgument, "party \(index) gave a value for an input party \(owner) owns") }
            var share = BinaryShare(unchecked: shape, first: fromPrevious, second: zero)
            share.clearUnusedBits()
            return share
        default:
            guard tensor == nil else { throw ConfideError(.invalidArgument, "party \(index) gave a value for an input party \(owner) owns") }
            let bytes = try await exchange([], expecting: [ExpectedMessage(from: owner, tag: tag)])[0]
            return BinaryShare(unchecked: shape, first: zero, second: try WireCodec.decodeBits(bytes, count: n, from: owner, tag: tag))
        }
    }

    /// A public tensor as a share (x_0 = x, x_1 = x_2 = 0), without communication.
    /// - Throws: `.typeMismatch` when `W` does not store the tensor's scalar type.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func publicA<W: RingWord>(_ tensor: Tensor) throws -> ArithmeticShare<W> {
        guard let x = W.words(tensor.storage) else {
            throw ConfideError(.typeMismatch, "\(tensor.scalarType) values are not stored in \(W.bitWidth)-bit words")
        }
        let zero = [W](repeating: 0, count: x.count)
        return ArithmeticShare(
            unchecked: tensor.scalarType, shape: tensor.shape, first: index == 0 ? x : zero, second: index == 2 ? x : zero)
    }

    /// A public bit tensor as an XOR share, without communication.
    /// - Throws: `.typeMismatch` unless the tensor is a bit tensor.
    public func publicB(_ tensor: Tensor) throws -> BinaryShare {
        guard tensor.scalarType == .bit, let bits = tensor.narrowWords else {
            throw ConfideError(.typeMismatch, "expected a bit tensor, found \(tensor.type)")
        }
        let packed = BinaryShare.pack(bits)
        let zero = [UInt64](repeating: 0, count: packed.count)
        return BinaryShare(unchecked: tensor.shape, first: index == 0 ? packed : zero, second: index == 2 ? packed : zero)
    }

    /// Opens a share to the parties in `receivers`.
    ///
    /// Party q holds x_q, x_{q+1} and misses x_{q+2}, which its successor holds as `second`; so
    /// every party whose predecessor receives sends its `second` to it. Collective.
    /// Communication: 1 round; each party whose predecessor is a receiver sends n·w bytes.
    /// Reveals: the value, to the receivers.
    /// - Returns: the value on receivers, nil elsewhere.
    /// - Throws: `.invalidArgument` for an empty set or a party that does not exist; the
    ///   communicator's errors; `.protocolViolation` for a malformed message.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func revealA<W: RingWord>(_ share: ArithmeticShare<W>, to receivers: Set<Int>) async throws -> Tensor? {
        try checkReceivers(receivers)
        let tag = nextTag("revealA")
        var outgoing: [OutgoingMessage] = []
        if receivers.contains(previous) {
            // comm: 1 round, n·w bytes to the predecessor
            outgoing.append(OutgoingMessage(to: previous, tag: tag, bytes: WireCodec.encode(share.second, share.scalarType)))
        }
        let receiving = receivers.contains(index)
        let replies = try await exchange(outgoing, expecting: receiving ? [ExpectedMessage(from: next, tag: tag)] : [])
        guard receiving else { return nil }
        let third: [W] = try WireCodec.decode(replies[0], count: share.count, share.scalarType, from: next, tag: tag)
        let mask = W.mask(share.scalarType)
        var x = share.first
        x.withUnsafeMutableBufferPointer { p in
            share.second.withUnsafeBufferPointer { s in
                third.withUnsafeBufferPointer { t in
                    for i in p.indices { p[i] = (p[i] &+ s[i] &+ t[i]) & mask }
                }
            }
        }
        return Tensor(unchecked: share.scalarType, shape: share.shape, storage: W.storage(x))
    }

    /// Opens an XOR share to the parties in `receivers` (as ``revealA(_:to:)``). Collective.
    /// Communication: 1 round; each party whose predecessor is a receiver sends ⌈n/8⌉ bytes.
    /// Reveals: the bits, to the receivers.
    /// - Returns: the bit tensor on receivers, nil elsewhere.
    /// - Throws: as ``revealA(_:to:)``.
    public func revealB(_ share: BinaryShare, to receivers: Set<Int>) async throws -> Tensor? {
        try checkReceivers(receivers)
        let tag = nextTag("revealB")
        var outgoing: [OutgoingMessage] = []
        if receivers.contains(previous) {
            // comm: 1 round, ⌈n/8⌉ bytes to the predecessor
            outgoing.append(OutgoingMessage(to: previous, tag: tag, bytes: WireCodec.encodeBits(share.second, count: share.count)))
        }
        let receiving = receivers.contains(index)
        let replies = try await exchange(outgoing, expecting: receiving ? [ExpectedMessage(from: next, tag: tag)] : [])
        guard receiving else { return nil }
        let third = try WireCodec.decodeBits(replies[0], count: share.count, from: next, tag: tag)
        var words = share.first
        for i in words.indices { words[i] ^= share.second[i] ^ third[i] }
        return Tensor(unchecked: .bit, shape: share.shape, storage: .narrow(BinaryShare.unpack(words, count: share.count)))
    }

    /// - Throws: `.invalidArgument` unless `party` is 0, 1 or 2.
    func checkParty(_ party: Int, _ role: String) throws {
        guard (0..<3).contains(party) else { throw ConfideError(.invalidArgument, "\(role) party \(party) does not exist (parties are 0, 1, 2)") }
    }

    private func checkReceivers(_ receivers: Set<Int>) throws {
        guard !receivers.isEmpty else { throw ConfideError(.invalidArgument, "a reveal needs at least one receiving party") }
        for party in receivers.sorted() { try checkParty(party, "receiving") }
    }
}

extension ABY3Party {
    /// Takes this party's components of a CipherCore secret-shared value: a 3-tuple (v0, v1, v2)
    /// of one tensor type with v = v0 + v1 + v2 (XOR for bits), of which party p holds valid
    /// components p and p+1 and garbage at the third. Local.
    /// - Throws: `.typeMismatch` unless the value is a 3-tuple of tensors of one type.
    public func shareFromCipherCoreTuple(_ value: Value) throws -> SharedTensor {
        guard case let .tuple(items) = value, items.count == 3, let t0 = items[index].tensor, let t1 = items[next].tensor,
            items.allSatisfy({ $0.type == items[0].type })
        else {
            throw ConfideError(.typeMismatch, "a secret-shared input must be a 3-tuple of tensors of one type, found \(value.type)")
        }
        switch t0.scalarType {
        case .bit:
            return .binary(BinaryShare(unchecked: t0.shape, first: BinaryShare.pack(t0.narrowWords!), second: BinaryShare.pack(t1.narrowWords!)))
        case let s where s.isWide:
            return .arithmetic128(try ArithmeticShare(components: t0, t1))
        default:
            return .arithmetic64(try ArithmeticShare(components: t0, t1))
        }
    }
}
