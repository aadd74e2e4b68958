/// A scalar or array of one ``ScalarType`` in contiguous row-major storage.
///
/// Every element is kept as its canonical residue modulo 2^bits (so `i8 -1` is stored as 255 and
/// `bit` elements are 0 or 1). Types up to 64 bits use `[UInt64]`, 128-bit types use `[UInt128]`.
public struct Tensor: Sendable, Equatable {
    /// The element storage.
    public enum Storage: Sendable, Equatable {
        case narrow([UInt64])
        case wide([UInt128])

        public var count: Int {
            switch self {
            case let .narrow(a): return a.count
            case let .wide(a): return a.count
            }
        }
    }

    public let scalarType: ScalarType
    /// `[]` for a scalar.
    public let shape: [Int]
    public private(set) var storage: Storage

    /// Number of elements.
    public var count: Int { storage.count }

    /// The CipherCore type of this tensor (scalar when the shape is empty).
    public var type: ValueType { .tensor(shape, scalarType) }

    /// Creates a tensor from ≤64-bit residues; elements are masked to the type's width.
    public init(_ scalarType: ScalarType, shape: [Int], narrow words: [UInt64]) {
        precondition(!scalarType.isWide, "use wide storage for \(scalarType)")
        precondition(words.count == Tensor.elementCount(shape), "storage does not match shape")
        self.scalarType = scalarType
        self.shape = shape
        let mask = scalarType.mask64
        if mask == .max {
            self.storage = .narrow(words)
        } else {
            var w = words
            w.withUnsafeMutableBufferPointer { p in
                for i in p.indices { p[i] &= mask }
            }
            self.storage = .narrow(w)
        }
    }

    /// Creates a 128-bit tensor.
    public init(_ scalarType: ScalarType, shape: [Int], wide words: [UInt128]) {
        precondition(scalarType.isWide, "use narrow storage for \(scalarType)")
        precondition(words.count == Tensor.elementCount(shape), "storage does not match shape")
        self.scalarType = scalarType
        self.shape = shape
        self.storage = .wide(words)
    }

    /// Creates a tensor from generic words, masking to the type's width.
    public init<W: RingWord>(_ scalarType: ScalarType, shape: [Int], words: [W]) {
        if scalarType.isWide {
            self.init(scalarType, shape: shape, wide: words.map { UInt128(truncatingIfNeeded: $0) })
        } else if let w = words as? [UInt64] {
            self.init(scalarType, shape: shape, narrow: w)
        } else {
            self.init(scalarType, shape: shape, narrow: words.map { UInt64(truncatingIfNeeded: $0) })
        }
    }

    /// Creates a tensor from residues given as 128-bit values (masked).
    public init(_ scalarType: ScalarType, shape: [Int], residues: [UInt128]) {
        if scalarType.isWide {
            self.init(scalarType, shape: shape, wide: residues)
        } else {
            self.init(scalarType, shape: shape, narrow: residues.map { UInt64(truncatingIfNeeded: $0) })
        }
    }

    /// Creates a tensor from signed integers, wrapping modulo 2^bits.
    public init(_ scalarType: ScalarType, shape: [Int], wrapping values: [Int128]) {
        self.init(scalarType, shape: shape, residues: values.map { UInt128(truncatingIfNeeded: $0) })
    }

    /// A scalar tensor.
    public static func scalar(_ scalarType: ScalarType, residue: UInt128) -> Tensor {
        Tensor(scalarType, shape: [], residues: [residue])
    }

    /// All-zero tensor.
    public static func zeros(_ scalarType: ScalarType, shape: [Int]) -> Tensor {
        let n = elementCount(shape)
        return scalarType.isWide
            ? Tensor(scalarType, shape: shape, wide: [UInt128](repeating: 0, count: n))
            : Tensor(scalarType, shape: shape, narrow: [UInt64](repeating: 0, count: n))
    }

    /// All-one tensor (every element equal to 1).
    public static func ones(_ scalarType: ScalarType, shape: [Int]) -> Tensor {
        filled(scalarType, shape: shape, residue: 1)
    }

    /// Tensor with every element equal to `residue` (masked).
    public static func filled(_ scalarType: ScalarType, shape: [Int], residue: UInt128) -> Tensor {
        let n = elementCount(shape)
        return scalarType.isWide
            ? Tensor(scalarType, shape: shape, wide: [UInt128](repeating: residue, count: n))
            : Tensor(scalarType, shape: shape, narrow: [UInt64](repeating: UInt64(truncatingIfNeeded: residue), count: n))
    }

    /// Product of dimensions (1 for a scalar), saturating at `Int.max` instead of overflowing.
    public static func elementCount(_ shape: [Int]) -> Int {
        var product = 1
        for d in shape {
            let (r, o) = product.multipliedReportingOverflow(by: d)
            if o { return .max }
            product = r
        }
        return product
    }

    /// Row-major strides for a shape.
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = acc
            acc *= shape[i]
        }
        return strides
    }

    /// The residue of the element at a flat index.
    @inline(__always)
    public func residue(at index: Int) -> UInt128 {
        switch storage {
        case let .narrow(a): return UInt128(a[index])
        case let .wide(a): return a[index]
        }
    }

    /// The element at a flat index under the type's interpretation (signed types sign-extended).
    @inline(__always)
    public func value(at index: Int) -> Int128 { scalarType.interpret(residue(at: index)) }

    /// All residues widened to 128 bits (convenient, not for hot paths).
    public var residues: [UInt128] {
        switch storage {
        case let .narrow(a): return a.map { UInt128($0) }
        case let .wide(a): return a
        }
    }

    /// The ≤64-bit words (nil for 128-bit types).
    public var narrowWords: [UInt64]? { if case let .narrow(a) = storage { return a } else { return nil } }

    /// The same elements with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(Tensor.elementCount(newShape) == count, "reshape changes element count")
        var t = self
        t.setShape(newShape)
        return t
    }

    private mutating func setShape(_ s: [Int]) {
        self = Tensor(unchecked: scalarType, shape: s, storage: storage)
    }

    /// Creates a tensor from already-canonical storage without masking.
    public init(unchecked scalarType: ScalarType, shape: [Int], storage: Storage) {
        self.scalarType = scalarType
        self.shape = shape
        self.storage = storage
    }

    /// A new tensor whose element i is `self[indices[i]]`, with the given shape.
    ///
    /// Indices must be in `0..<count` (checked: a bad index traps); use
    /// ``gathering(_:shape:)`` for indices that come from data.
    public func gathered(_ indices: [Int], shape newShape: [Int]) -> Tensor {
        precondition(indices.count == Tensor.elementCount(newShape), "index count does not match shape")
        switch storage {
        case let .narrow(a):
            return Tensor(unchecked: scalarType, shape: newShape, storage: .narrow(Tensor.gatherWords(a, indices)))
        case let .wide(a):
            return Tensor(unchecked: scalarType, shape: newShape, storage: .wide(Tensor.gatherWords(a, indices)))
        }
    }

    /// Like ``gathered(_:shape:)`` but validates its arguments.
    /// - Throws: `.shapeMismatch` when `indices.count` differs from the shape's element count,
    ///   `.outOfRange` naming the first index outside `0..<count`.
    public func gathering(_ indices: [Int], shape newShape: [Int]) throws -> Tensor {
        guard newShape.allSatisfy({ $0 > 0 }), indices.count == Tensor.elementCount(newShape) else {
            throw ConfideError(.shapeMismatch, "\(indices.count) indices do not fill shape \(newShape)")
        }
        let n = count
        if let bad = indices.firstIndex(where: { $0 < 0 || $0 >= n }) {
            throw ConfideError(.outOfRange, "gather index \(indices[bad]) at position \(bad) is outside 0..<\(n)")
        }
        return gathered(indices, shape: newShape)
    }

    private static func gatherWords<W: RingWord>(_ source: [W], _ indices: [Int]) -> [W] {
        [W](unsafeUninitializedCapacity: indices.count) { out, initialized in
            source.withUnsafeBufferPointer { src in
                indices.withUnsafeBufferPointer { idx in
                    for i in 0..<idx.count {
                        let j = idx[i]
                        precondition(j >= 0 && j < src.count, "gather index out of range")
                        out[i] = src[j]
                    }
                }
            }
            initialized = indices.count
        }
    }

    /// Joins tensors of one scalar type end to end (flat), with the given result shape.
    ///
    /// Every part must have `scalarType` and the parts' element counts must sum to the shape's
    /// element count (checked: a mismatch traps, as it is a programming error).
    public static func concatenatedFlat(_ parts: [Tensor], scalarType: ScalarType, shape: [Int]) -> Tensor {
        let total = elementCount(shape)
        precondition(parts.allSatisfy { $0.scalarType == scalarType }, "concatenated tensors must all be \(scalarType)")
        precondition(parts.reduce(0) { $0 + $1.count } == total, "concatenated tensors do not fill shape \(shape)")
        if scalarType.isWide {
            var out: [UInt128] = []
            out.reserveCapacity(total)
            for p in parts { if case let .wide(a) = p.storage { out.append(contentsOf: a) } }
            return Tensor(unchecked: scalarType, shape: shape, storage: .wide(out))
        }
        var out: [UInt64] = []
        out.reserveCapacity(total)
        for p in parts { if case let .narrow(a) = p.storage { out.append(contentsOf: a) } }
        return Tensor(unchecked: scalarType, shape: shape, storage: .narrow(out))
    }

    /// Converts element-wise to another scalar type: residues are reduced modulo the new width
    /// (a wrapping cast, after sign extension for signed sources). Casting to `bit` keeps the
    /// lowest bit.
    public func casting(to target: ScalarType) -> Tensor {
        if target == scalarType { return self }
        let signed = scalarType.isSigned
        let shift = 128 - scalarType.bits
        switch storage {
        case let .narrow(a):
            if target.isWide {
                let words = [UInt128](unsafeUninitializedCapacity: a.count) { out, initialized in
                    a.withUnsafeBufferPointer { src in
                        for i in 0..<src.count {
                            let w = UInt128(src[i])
                            out[i] = signed ? UInt128(bitPattern: Int128(bitPattern: w << UInt128(shift)) >> Int128(shift)) : w
                        }
                    }
                    initialized = a.count
                }
                return Tensor(unchecked: target, shape: shape, storage: .wide(words))
            }
            let narrowShift = UInt64(64 - scalarType.bits)
            let mask = target.mask64
            let words = [UInt64](unsafeUninitializedCapacity: a.count) { out, initialized in
                a.withUnsafeBufferPointer { src in
                    for i in 0..<src.count {
                        let w = src[i]
                        let extended = signed ? UInt64(bitPattern: Int64(bitPattern: w << narrowShift) >> Int64(narrowShift)) : w
                        out[i] = extended & mask
                    }
                }
                initialized = a.count
            }
            return Tensor(unchecked: target, shape: shape, storage: .narrow(words))
        case let .wide(a):
            if target.isWide { return Tensor(unchecked: target, shape: shape, storage: .wide(a)) }
            let mask = target.mask64
            let words = [UInt64](unsafeUninitializedCapacity: a.count) { out, initialized in
                a.withUnsafeBufferPointer { src in
                    for i in 0..<src.count { out[i] = UInt64(truncatingIfNeeded: src[i]) & mask }
                }
                initialized = a.count
            }
            return Tensor(unchecked: target, shape: shape, storage: .narrow(words))
        }
    }
}
