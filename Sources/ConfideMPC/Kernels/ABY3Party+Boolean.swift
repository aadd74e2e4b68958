import ConfideCore

/// The two components a party holds of a replicated XOR sharing, without shape: the working
/// form of the boolean circuits (packed bit streams as `UInt64`, or k-bit numbers in words `W`).
struct BooleanComponents<W: RingWord>: Sendable {
    var first: [W]
    var second: [W]

    static func zeros(_ count: Int) -> BooleanComponents {
        BooleanComponents(first: [W](repeating: 0, count: count), second: [W](repeating: 0, count: count))
    }

    /// XOR of two sharings (local).
    static func ^ (a: BooleanComponents, b: BooleanComponents) -> BooleanComponents {
        BooleanComponents(first: BitStream.xor(a.first, b.first), second: BitStream.xor(a.second, b.second))
    }

    /// The same word operation on both components (for operations linear over XOR: shifts, masks,
    /// bit selection).
    func map(_ transform: (W) -> W) -> BooleanComponents {
        BooleanComponents(first: first.map(transform), second: second.map(transform))
    }

    /// A transformation of both component arrays (linear over XOR).
    func mapArrays<V: RingWord>(_ transform: ([W]) -> [V]) -> BooleanComponents<V> {
        BooleanComponents<V>(first: transform(first), second: transform(second))
    }
}

/// One AND of a batched round: x ∧ y on `count` packed bits.
struct BooleanAndJob: Sendable {
    var x: BooleanComponents<UInt64>
    var y: BooleanComponents<UInt64>
    var count: Int
}

/// Boolean gates on XOR-shared bit tensors (ABY3 §2.2 and §5.3). Names carry operand
/// visibility: `B` a bit share, `P` a public bit tensor.
extension ABY3Party {
    /// x ⊕ y: (x_i ⊕ y_i, x_{i+1} ⊕ y_{i+1}). Local.
    /// - Throws: `.shapeMismatch` for different shapes.
    public func xorBB(_ x: BinaryShare, _ y: BinaryShare) throws -> BinaryShare {
        try booleanCheckShapes(x.shape, y.shape, "xorBB")
        return BinaryShare(unchecked: x.shape, first: BitStream.xor(x.first, y.first), second: BitStream.xor(x.second, y.second))
    }

    /// x ⊕ p for a public bit tensor p: XORed into the component x_0 only (held by parties 0 and
    /// 2). Local.
    /// - Throws: `.typeMismatch` unless p is a bit tensor; `.shapeMismatch` for another shape.
    public func xorBP(_ x: BinaryShare, _ p: Tensor) throws -> BinaryShare {
        let packed = try booleanPublicBits(p, x.shape, "xorBP")
        var result = x
        if index == 0 { result.first = BitStream.xor(x.first, packed) }
        if index == 2 { result.second = BitStream.xor(x.second, packed) }
        return result
    }

    /// ¬x: x ⊕ 1, the constant XORed into component x_0. Local.
    public func notB(_ x: BinaryShare) -> BinaryShare {
        var result = x
        if index == 0 { result.first = result.first.map { ~$0 } }
        if index == 2 { result.second = result.second.map { ~$0 } }
        result.clearUnusedBits()
        return result
    }

    /// x ∧ p for a public bit tensor p: each component ANDed with p. Local.
    /// - Throws: `.typeMismatch` unless p is a bit tensor; `.shapeMismatch` for another shape.
    public func andBP(_ x: BinaryShare, _ p: Tensor) throws -> BinaryShare {
        let packed = try booleanPublicBits(p, x.shape, "andBP")
        return BinaryShare(
            unchecked: x.shape, first: Self.zipWords(x.first, packed) { $0 & $1 }, second: Self.zipWords(x.second, packed) { $0 & $1 })
    }

    /// x ∧ y (ABY3 §2.2, replicated AND).
    ///
    /// Share algebra: z_i = x_i∧y_i ⊕ x_i∧y_{i+1} ⊕ x_{i+1}∧y_i ⊕ β_i with β a 3-out-of-3 XOR
    /// sharing of zero, so z_0 ⊕ z_1 ⊕ z_2 = x∧y; party i sends z_i to its predecessor, which then
    /// holds (z_{i−1}, z_i). Collective: every party calls this in the same order.
    /// Communication: ``ABY3Cost/andBB(count:)`` — 1 round, ⌈n/8⌉ bytes per party.
    /// - Throws: `.shapeMismatch` for different shapes; the communicator's errors.
    public func andBB(_ x: BinaryShare, _ y: BinaryShare) async throws -> BinaryShare {
        try await andBBBatch([(x, y)])[0]
    }

    /// Several independent ANDs in ONE round (one message per peer), as ``andBB(_:_:)`` each.
    /// Collective. Communication: ``ABY3Cost/andBBBatch(counts:)`` — 1 round, Σ⌈n_j/8⌉ bytes per
    /// party (no round at all for an empty batch).
    /// - Throws: `.shapeMismatch` when a pair differs in shape; the communicator's errors.
    public func andBBBatch(_ pairs: [(BinaryShare, BinaryShare)]) async throws -> [BinaryShare] {
        for (x, y) in pairs { try booleanCheckShapes(x.shape, y.shape, "andBB") }
        guard !pairs.isEmpty else { return [] }
        let jobs = pairs.map { x, y in
            BooleanAndJob(
                x: BooleanComponents(first: x.first, second: x.second), y: BooleanComponents(first: y.first, second: y.second), count: x.count)
        }
        let z = try await booleanAndRound(jobs, kind: "andBB")
        return zip(pairs, z).map { pair, c in BinaryShare(unchecked: pair.0.shape, first: c.first, second: c.second) }
    }

    /// x ∨ y = x ⊕ y ⊕ (x ∧ y). Collective.
    /// Communication: ``ABY3Cost/andBB(count:)`` — 1 round, ⌈n/8⌉ bytes per party.
    /// - Throws: as ``andBB(_:_:)``.
    public func orBB(_ x: BinaryShare, _ y: BinaryShare) async throws -> BinaryShare {
        let both = try await andBB(x, y)
        return try xorBB(try xorBB(x, y), both)
    }

    // MARK: - Internal rounds

    /// One round of independent ANDs on packed bit streams (the replicated AND of ``andBB(_:_:)``
    /// per job), all in one message per peer.
    /// Communication: 1 round, Σ⌈count_j/8⌉ bytes to the predecessor.
    /// - Throws: the communicator's errors; `.protocolViolation` for a malformed message.
    func booleanAndRound(_ jobs: [BooleanAndJob], kind: String) async throws -> [BooleanComponents<UInt64>] {
        let tag = nextTag(kind)
        var own: [[UInt64]] = []
        own.reserveCapacity(jobs.count)
        var bytes: [UInt8] = []
        for job in jobs {
            var z = zeroBits(job.count)
            z.withUnsafeMutableBufferPointer { zp in
                job.x.first.withUnsafeBufferPointer { a0 in
                    job.x.second.withUnsafeBufferPointer { a1 in
                        job.y.first.withUnsafeBufferPointer { b0 in
                            job.y.second.withUnsafeBufferPointer { b1 in
                                for i in 0..<zp.count { zp[i] ^= (a0[i] & (b0[i] ^ b1[i])) ^ (a1[i] & b0[i]) }
                            }
                        }
                    }
                }
            }
            bytes.append(contentsOf: WireCodec.encodeBits(z, count: job.count))
            own.append(z)
        }
        // comm: 1 round, Σ⌈n_j/8⌉ bytes to the predecessor
        let received = try await sendPreviousReceiveNext(bytes, tag: tag)
        guard received.count == bytes.count else {
            throw ConfideError(.protocolViolation, "party \(next) sent \(received.count) bytes for tag \(tag), expected \(bytes.count)")
        }
        var result: [BooleanComponents<UInt64>] = []
        var offset = 0
        for (job, z) in zip(jobs, own) {
            let length = ABY3Cost.bitBytes(job.count)
            let theirs = try WireCodec.decodeBits(Array(received[offset..<offset + length]), count: job.count, from: next, tag: tag)
            result.append(BooleanComponents(first: z, second: theirs))
            offset += length
        }
        return result
    }

    /// One round of independent ANDs of k-bit numbers held in words (`scalarType` gives k and the
    /// wire width), all in one message per peer.
    /// Communication: 1 round, Σ n_j·w bytes to the predecessor (w = the type's byte width).
    /// - Throws: the communicator's errors; `.protocolViolation` for a malformed message.
    func booleanAndWordsRound<W: RingWord>(
        _ jobs: [(BooleanComponents<W>, BooleanComponents<W>)], _ scalarType: ScalarType, kind: String
    ) async throws -> [BooleanComponents<W>] {
        let tag = nextTag(kind)
        var own: [[W]] = []
        own.reserveCapacity(jobs.count)
        var bytes: [UInt8] = []
        for (x, y) in jobs {
            let (r0, r1): ([W], [W]) = correlatedPair(x.first.count, scalarType)
            var z = r0
            z.withUnsafeMutableBufferPointer { zp in
                r1.withUnsafeBufferPointer { r in
                    x.first.withUnsafeBufferPointer { a0 in
                        x.second.withUnsafeBufferPointer { a1 in
                            y.first.withUnsafeBufferPointer { b0 in
                                y.second.withUnsafeBufferPointer { b1 in
                                    for i in 0..<zp.count { zp[i] ^= r[i] ^ (a0[i] & (b0[i] ^ b1[i])) ^ (a1[i] & b0[i]) }
                                }
                            }
                        }
                    }
                }
            }
            bytes.append(contentsOf: WireCodec.encode(z, scalarType))
            own.append(z)
        }
        // comm: 1 round, Σ n_j·w bytes to the predecessor
        let received = try await sendPreviousReceiveNext(bytes, tag: tag)
        guard received.count == bytes.count else {
            throw ConfideError(.protocolViolation, "party \(next) sent \(received.count) bytes for tag \(tag), expected \(bytes.count)")
        }
        var result: [BooleanComponents<W>] = []
        var offset = 0
        for z in own {
            let length = ABY3Cost.bytes(z.count, scalarType)
            let theirs: [W] = try WireCodec.decode(Array(received[offset..<offset + length]), count: z.count, scalarType, from: next, tag: tag)
            result.append(BooleanComponents(first: z, second: theirs))
            offset += length
        }
        return result
    }

    /// A public constant as XOR components: in component x_0 (party 0's `first`, party 2's `second`).
    func booleanPublic<W: RingWord>(_ value: [W]) -> BooleanComponents<W> {
        let zero = [W](repeating: 0, count: value.count)
        return BooleanComponents(first: index == 0 ? value : zero, second: index == 2 ? value : zero)
    }

    /// The NumPy broadcast shape of the operands of `kernel`.
    /// - Throws: `.shapeMismatch` naming the kernel and the shapes.
    func booleanBroadcastShape(_ shapes: [[Int]], _ kernel: String) throws -> [Int] {
        do {
            return try Broadcast.shape(shapes)
        } catch let error as ConfideError {
            throw error.prefixed(kernel)
        }
    }

    /// A bit share broadcast to `shape` (NumPy rules; the shapes must broadcast). Local.
    func booleanBroadcast(_ x: BinaryShare, to shape: [Int]) -> BinaryShare {
        guard let source = Broadcast.sourceIndices(from: x.shape, to: shape) else { return x }
        func spread(_ bits: [UInt64]) -> [UInt64] {
            var out = [UInt64](repeating: 0, count: BinaryShare.wordCount(source.count))
            out.withUnsafeMutableBufferPointer { o in
                bits.withUnsafeBufferPointer { b in
                    for (k, i) in source.enumerated() { o[k >> 6] |= ((b[i >> 6] >> UInt64(i & 63)) & 1) << UInt64(k & 63) }
                }
            }
            return out
        }
        return BinaryShare(unchecked: shape, first: spread(x.first), second: spread(x.second))
    }

    /// An arithmetic share broadcast to `shape` (NumPy rules; the shapes must broadcast). Local.
    func booleanBroadcast<W: RingWord>(_ x: ArithmeticShare<W>, to shape: [Int]) -> ArithmeticShare<W> {
        guard let source = Broadcast.sourceIndices(from: x.shape, to: shape) else { return x }
        return ArithmeticShare(unchecked: x.scalarType, shape: shape, first: source.map { x.first[$0] }, second: source.map { x.second[$0] })
    }

    /// - Throws: `.shapeMismatch` naming the kernel and both shapes.
    func booleanCheckShapes(_ a: [Int], _ b: [Int], _ kernel: String) throws {
        guard a == b else { throw ConfideError(.shapeMismatch, "\(kernel): operands of shapes \(a) and \(b) differ") }
    }

    /// The packed bits of a public bit tensor of `shape`.
    /// - Throws: `.typeMismatch` unless it is a bit tensor; `.shapeMismatch` for another shape.
    private func booleanPublicBits(_ p: Tensor, _ shape: [Int], _ kernel: String) throws -> [UInt64] {
        guard p.scalarType == .bit, let bits = p.narrowWords else {
            throw ConfideError(.typeMismatch, "\(kernel): expected a public bit tensor, found \(p.type)")
        }
        try booleanCheckShapes(shape, p.shape, kernel)
        return BinaryShare.pack(bits)
    }
}
