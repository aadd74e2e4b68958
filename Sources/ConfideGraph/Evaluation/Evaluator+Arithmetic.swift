import ConfideCore

/// `Add`, `Subtract`, `Multiply`, `MixedMultiply`, `Truncate`, `Sum` and `CumSum`: arithmetic
/// modulo 2^bits (on `bit`, addition is XOR and multiplication AND) with NumPy broadcasting.
extension Evaluator {
    /// `Add` / `Subtract` / `Multiply` of two tensors of one scalar type, broadcast.
    static func coreElementwise(_ op: Tensor.BinaryOp, _ args: [Value]) throws -> Value {
        try coreExpectCount(args, 2)
        let a = try coreTensor(args, 0)
        let b = try coreTensor(args, 1)
        try coreSameScalarType(a, b)
        try coreCheckedCount(Broadcast.shape(a.shape, b.shape))
        return .tensor(try a.elementwise(op, b))
    }

    /// `MixedMultiply`: an integer tensor times a bit tensor (each integer kept or zeroed), broadcast.
    static func coreMixedMultiply(_ args: [Value]) throws -> Value {
        try coreExpectCount(args, 2)
        let a = try coreTensor(args, 0)
        let b = try coreTensor(args, 1)
        guard a.scalarType != .bit else {
            throw ConfideError(.typeMismatch, "argument 0 must not be a bit tensor, found \(a.type)")
        }
        guard b.scalarType == .bit else {
            throw ConfideError(.typeMismatch, "argument 1 must be a bit tensor, found \(b.type)")
        }
        try coreCheckedCount(Broadcast.shape(a.shape, b.shape))
        return .tensor(try a.elementwise(.multiply, b.casting(to: a.scalarType)))
    }

    /// `Truncate(scale)`: unsigned division rounding down; for signed types, division of the
    /// signed value rounding toward zero.
    /// - Throws: `.invalidArgument` for scale 0, or a signed type with scale above 2^127 - 1.
    static func coreTruncate(_ args: [Value], scale: UInt128) throws -> Value {
        try coreExpectCount(args, 1)
        let t = try coreTensor(args, 0)
        let s = t.scalarType
        guard scale > 0 else { throw ConfideError(.invalidArgument, "Truncate scale must be positive") }
        guard !s.isSigned || scale <= UInt128(Int128.max) else {
            throw ConfideError(.invalidArgument, "Truncate scale \(scale) is too large for the signed type \(s)")
        }
        if scale == 1 { return .tensor(t) }
        switch t.storage {
        case let .narrow(a):
            let out: [UInt64]
            if s.isSigned {
                let shift = UInt64(64 - s.bits)
                let divisor = Int128(scale)
                let mask = s.mask64
                out = a.map { w in
                    let value = Int128(Int64(bitPattern: w << shift) >> Int64(shift))
                    return UInt64(truncatingIfNeeded: value / divisor) & mask
                }
            } else if scale > UInt128(UInt64.max) {
                out = [UInt64](repeating: 0, count: a.count)
            } else {
                let divisor = UInt64(scale)
                out = a.map { $0 / divisor }
            }
            return .tensor(Tensor(unchecked: s, shape: t.shape, storage: .narrow(out)))
        case let .wide(a):
            let out: [UInt128]
            if s.isSigned {
                let divisor = Int128(scale)
                out = a.map { UInt128(truncatingIfNeeded: Int128(truncatingIfNeeded: $0) / divisor) }
            } else {
                out = a.map { $0 / scale }
            }
            return .tensor(Tensor(unchecked: s, shape: t.shape, storage: .wide(out)))
        }
    }

    /// `Sum(axes)`: sums an array over distinct axes (all axes give a scalar; no axes returns the array).
    static func coreSum(_ args: [Value], axes: [Int]) throws -> Value {
        try coreExpectCount(args, 1)
        let t = try coreArray(args, 0)
        let rank = t.shape.count
        guard Set(axes).count == axes.count else { throw ConfideError(.invalidArgument, "Sum axes \(axes) are not distinct") }
        guard axes.allSatisfy({ $0 >= 0 && $0 < rank }) else {
            throw ConfideError(.invalidArgument, "Sum axes \(axes) are out of range for \(t.type)")
        }
        if axes.isEmpty { return .tensor(t) }
        let kept = (0..<rank).filter { !axes.contains($0) }
        let resultShape = kept.map { t.shape[$0] }
        // The source shape with summed axes of size 1 broadcasts onto the input: each input
        // element's broadcast source index is its position in the result.
        let collapsed = (0..<rank).map { axes.contains($0) ? 1 : t.shape[$0] }
        let targets = Broadcast.sourceIndices(from: collapsed, to: t.shape)
        let resultCount = Tensor.elementCount(resultShape)
        switch t.storage {
        case let .narrow(a):
            var out = coreAccumulate(a, targets, resultCount)
            let mask = t.scalarType.mask64
            if mask != .max { for i in out.indices { out[i] &= mask } }
            return .tensor(Tensor(unchecked: t.scalarType, shape: resultShape, storage: .narrow(out)))
        case let .wide(a):
            return .tensor(Tensor(unchecked: t.scalarType, shape: resultShape, storage: .wide(coreAccumulate(a, targets, resultCount))))
        }
    }

    /// `out[targets[i]] += values[i]` (wrapping); nil targets means everything sums into one element.
    private static func coreAccumulate<W: RingWord>(_ values: [W], _ targets: [Int]?, _ count: Int) -> [W] {
        var out = [W](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { o in
            values.withUnsafeBufferPointer { v in
                if let targets {
                    targets.withUnsafeBufferPointer { t in
                        for i in 0..<v.count { o[t[i]] &+= v[i] }
                    }
                } else {
                    var total: W = 0
                    for i in 0..<v.count { total &+= v[i] }
                    o[0] = total
                }
            }
        }
        return out
    }

    /// `CumSum(axis)`: running sums of an array along one axis.
    static func coreCumSum(_ args: [Value], axis: Int) throws -> Value {
        try coreExpectCount(args, 1)
        let t = try coreArray(args, 0)
        guard axis >= 0, axis < t.shape.count else {
            throw ConfideError(.invalidArgument, "CumSum axis \(axis) is out of range for \(t.type)")
        }
        let outer = Tensor.elementCount(Array(t.shape[..<axis]))
        let length = t.shape[axis]
        let inner = Tensor.elementCount(Array(t.shape[(axis + 1)...]))
        switch t.storage {
        case let .narrow(a):
            var out = coreRunningSums(a, outer, length, inner)
            let mask = t.scalarType.mask64
            if mask != .max { for i in out.indices { out[i] &= mask } }
            return .tensor(Tensor(unchecked: t.scalarType, shape: t.shape, storage: .narrow(out)))
        case let .wide(a):
            return .tensor(Tensor(unchecked: t.scalarType, shape: t.shape, storage: .wide(coreRunningSums(a, outer, length, inner))))
        }
    }

    private static func coreRunningSums<W: RingWord>(_ values: [W], _ outer: Int, _ length: Int, _ inner: Int) -> [W] {
        var out = values
        out.withUnsafeMutableBufferPointer { o in
            for block in 0..<outer {
                let base = block * length * inner
                for j in 1..<max(length, 1) {
                    let row = base + j * inner
                    for k in 0..<inner { o[row + k] &+= o[row - inner + k] }
                }
            }
        }
        return out
    }
}
