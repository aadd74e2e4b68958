import ConfideCore

/// `SegmentCumSum`: a cumulative sum along the first axis that restarts where a flag is 0.
enum ExtendedSegmentCumSum {
    /// Arguments: an array `x` of shape `[n, ...]`, a `bit[n]` array `b` and a first row `r` of
    /// shape `[...]` (a scalar when `x` is one-dimensional) and the same scalar type.
    /// The result has shape `[n+1, ...]`: row 0 is `r`, and row i+1 is `x[i] + out[i]` when
    /// `b[i] = 1`, else `x[i]` (modulo 2^bits).
    static func evaluate(_ args: ExtendedArguments) throws -> Value {
        try args.expectCount(3)
        let x = try args.array(0)
        let b = try args.tensor(1)
        let first = try args.tensor(2)
        let n = x.shape[0]
        guard b.scalarType == .bit, b.shape == [n] else {
            throw ConfideError(.typeMismatch, "SegmentCumSum: argument 1 must have type bit[\(n)], found \(b.type)")
        }
        let rowShape = Array(x.shape.dropFirst())
        guard first.scalarType == x.scalarType, first.shape == rowShape else {
            throw ConfideError(.typeMismatch, "SegmentCumSum: argument 2 must have type \(ValueType.tensor(rowShape, x.scalarType)), found \(first.type)")
        }
        let flags = b.narrowWords!
        let rowSize = first.count
        let shape = [n + 1] + rowShape
        switch (x.storage, first.storage) {
        case let (.narrow(a), .narrow(r)):
            return .tensor(Tensor(unchecked: x.scalarType, shape: shape, storage: .narrow(scan(a, r, flags, rowSize: rowSize, mask: x.scalarType.mask64))))
        case let (.wide(a), .wide(r)):
            return .tensor(Tensor(unchecked: x.scalarType, shape: shape, storage: .wide(scan(a, r, flags, rowSize: rowSize, mask: .max))))
        default:
            throw ConfideError(.typeMismatch, "SegmentCumSum: arguments 0 and 2 have different storage")
        }
    }

    private static func scan<W: RingWord>(_ x: [W], _ first: [W], _ flags: [UInt64], rowSize: Int, mask: W) -> [W] {
        var out = first
        out.reserveCapacity(first.count + x.count)
        for (i, flag) in flags.enumerated() {
            let start = i * rowSize
            if flag == 0 {
                out.append(contentsOf: x[start..<start + rowSize])
            } else {
                for j in 0..<rowSize { out.append((x[start + j] &+ out[start + j]) & mask) }
            }
        }
        return out
    }
}
