import ConfideCore

extension ABY3Party {
    /// Fresh words of the stream shared with the predecessor and of the stream shared with the
    /// successor, masked to `scalarType`.
    ///
    /// Collective: the predecessor's `sharedWithNext` and this party's `sharedWithPrevious` must
    /// draw the same amounts, so every party calls this with the same count.
    func correlatedPair<W: RingWord>(_ count: Int, _ scalarType: ScalarType) -> (fromPrevious: [W], fromNext: [W]) {
        var a = [W](repeating: 0, count: count)
        var b = [W](repeating: 0, count: count)
        sharedWithPrevious.fill(&a)
        sharedWithNext.fill(&b)
        let mask = W.mask(scalarType)
        if mask != W.max {
            a.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] &= mask } }
            b.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] &= mask } }
        }
        return (a, b)
    }

    /// Fresh words, masked to `scalarType`, of one shared stream: the successor's (`withNext`) or
    /// the predecessor's. The partner on that stream must draw the same amount.
    func drawShared<W: RingWord>(withNext: Bool, _ count: Int, _ scalarType: ScalarType) -> [W] {
        var words = [W](repeating: 0, count: count)
        if withNext { sharedWithNext.fill(&words) } else { sharedWithPrevious.fill(&words) }
        let mask = W.mask(scalarType)
        if mask != W.max {
            words.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] &= mask } }
        }
        return words
    }

    /// A 3-out-of-3 sharing of zero without communication: α_i = F(k_i) − F(k_{i+1}), so
    /// α_0 + α_1 + α_2 = 0 (ABY3 §2.2). Collective.
    func zeroShare<W: RingWord>(_ count: Int, _ scalarType: ScalarType) -> [W] {
        // Keystream straight into uninitialised storage (no zero fill), one subtract-and-mask pass.
        let mask = W.mask(scalarType)
        let b = [W](unsafeUninitializedCapacity: count) { buffer, initialized in
            sharedWithNext.fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
        return [W](unsafeUninitializedCapacity: count) { out, initialized in
            sharedWithPrevious.fill(UnsafeMutableRawBufferPointer(out))
            b.withUnsafeBufferPointer { pb in
                for i in 0..<count { out[i] = (out[i] &- pb[i]) & mask }
            }
            initialized = count
        }
    }

    /// A 3-out-of-3 XOR sharing of zero bits, packed: β_i = F(k_i) ⊕ F(k_{i+1}). Collective.
    func zeroBits(_ count: Int) -> [UInt64] {
        let words = BinaryShare.wordCount(count)
        var a = [UInt64](repeating: 0, count: words)
        var b = [UInt64](repeating: 0, count: words)
        sharedWithPrevious.fill(&a)
        sharedWithNext.fill(&b)
        a.withUnsafeMutableBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for i in pa.indices { pa[i] ^= pb[i] }
            }
        }
        if let last = a.indices.last { a[last] &= BinaryShare.lastWordMask(count) }
        return a
    }

    /// A replicated sharing of a uniformly random value nobody knows, without communication:
    /// r_i = F(k_i), party i holds (r_i, r_{i+1}). Collective.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func randomShare<W: RingWord>(_ scalarType: ScalarType, shape: [Int]) throws -> ArithmeticShare<W> {
        let (a, b): ([W], [W]) = correlatedPair(Tensor.elementCount(shape), scalarType)
        return try ArithmeticShare(scalarType: scalarType, shape: shape, first: a, second: b)
    }

    /// A replicated XOR sharing of uniformly random bits nobody knows, without communication. Collective.
    public func randomBits(shape: [Int]) throws -> BinaryShare {
        let words = BinaryShare.wordCount(Tensor.elementCount(shape))
        var a = [UInt64](repeating: 0, count: words)
        var b = [UInt64](repeating: 0, count: words)
        sharedWithPrevious.fill(&a)
        sharedWithNext.fill(&b)
        return try BinaryShare(shape: shape, first: a, second: b)
    }
}
