/// Element-wise ring operations with NumPy broadcasting.
extension Tensor {
    /// A binary element-wise operation on residues.
    public enum BinaryOp: Sendable {
        case add, subtract, multiply, xor, and, or

        /// The operation on one pair of words (not masked).
        @inline(__always)
        public func apply<W: RingWord>(_ a: W, _ b: W) -> W {
            switch self {
            case .add: return a &+ b
            case .subtract: return a &- b
            case .multiply: return a &* b
            case .xor: return a ^ b
            case .and: return a & b
            case .or: return a | b
            }
        }
    }

    /// `self op other` element-wise with broadcasting, modulo 2^bits.
    ///
    /// On `bit`, `add`/`subtract` are XOR and `multiply` is AND (the same residues modulo 2).
    /// - Throws: `.typeMismatch` when the scalar types differ, `.shapeMismatch` when shapes do not broadcast.
    public func elementwise(_ op: BinaryOp, _ other: Tensor) throws -> Tensor {
        guard scalarType == other.scalarType else {
            throw ConfideError(.typeMismatch, "element-wise operation on \(scalarType) and \(other.scalarType)")
        }
        let outShape = try Broadcast.shape(shape, other.shape)
        let ia = Broadcast.sourceIndices(from: shape, to: outShape)
        let ib = Broadcast.sourceIndices(from: other.shape, to: outShape)
        switch (storage, other.storage) {
        case let (.narrow(a), .narrow(b)):
            let out = Tensor.combine(op, a, ia, b, ib, count: Tensor.elementCount(outShape), mask: scalarType.mask64)
            return Tensor(unchecked: scalarType, shape: outShape, storage: .narrow(out))
        case let (.wide(a), .wide(b)):
            let out = Tensor.combine(op, a, ia, b, ib, count: Tensor.elementCount(outShape), mask: UInt128.max)
            return Tensor(unchecked: scalarType, shape: outShape, storage: .wide(out))
        default:
            preconditionFailure("storage does not match scalar type")
        }
    }

    /// Runs `op` over contiguous buffers; the operation is chosen once, outside the loop.
    static func combine<W: RingWord>(_ op: BinaryOp, _ a: [W], _ ia: [Int]?, _ b: [W], _ ib: [Int]?, count: Int, mask: W) -> [W] {
        switch op {
        case .add: return combineLoop(a, ia, b, ib, count: count, mask: mask) { $0 &+ $1 }
        case .subtract: return combineLoop(a, ia, b, ib, count: count, mask: mask) { $0 &- $1 }
        case .multiply: return combineLoop(a, ia, b, ib, count: count, mask: mask) { $0 &* $1 }
        case .xor: return combineLoop(a, ia, b, ib, count: count, mask: mask) { $0 ^ $1 }
        case .and: return combineLoop(a, ia, b, ib, count: count, mask: mask) { $0 & $1 }
        case .or: return combineLoop(a, ia, b, ib, count: count, mask: mask) { $0 | $1 }
        }
    }

    @inline(__always)
    private static func combineLoop<W: RingWord>(
        _ a: [W], _ ia: [Int]?, _ b: [W], _ ib: [Int]?, count: Int, mask: W, _ f: (W, W) -> W
    ) -> [W] {
        let noIndices: [Int] = []
        return [W](unsafeUninitializedCapacity: count) { out, initialized in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    (ia ?? noIndices).withUnsafeBufferPointer { ja in
                        (ib ?? noIndices).withUnsafeBufferPointer { jb in
                            switch (ia != nil, ib != nil) {
                            case (false, false):
                                for i in 0..<count { out[i] = f(pa[i], pb[i]) & mask }
                            case (false, true):
                                for i in 0..<count { out[i] = f(pa[i], pb[jb[i]]) & mask }
                            case (true, false):
                                for i in 0..<count { out[i] = f(pa[ja[i]], pb[i]) & mask }
                            case (true, true):
                                for i in 0..<count { out[i] = f(pa[ja[i]], pb[jb[i]]) & mask }
                            }
                        }
                    }
                }
            }
            initialized = count
        }
    }

    /// Applies `transform` to every residue; results are masked to the type's width.
    public func mapResidues(_ transform: (UInt128) -> UInt128) -> Tensor {
        switch storage {
        case let .narrow(a):
            let mask = scalarType.mask64
            return Tensor(unchecked: scalarType, shape: shape, storage: .narrow(a.map { UInt64(truncatingIfNeeded: transform(UInt128($0))) & mask }))
        case let .wide(a):
            return Tensor(unchecked: scalarType, shape: shape, storage: .wide(a.map(transform)))
        }
    }

    /// Two's complement negation modulo 2^bits.
    public func negated() -> Tensor { mapResidues { 0 &- $0 } }
}
