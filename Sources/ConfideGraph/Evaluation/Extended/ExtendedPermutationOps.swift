import ConfideCore

/// `Gather`, `InversePermutation` and `ApplyPermutation`.
enum ExtendedPermutationOps {
    /// `Gather(axis)`: selects entries of `input` along `axis` by an index array; the result shape is
    /// `input.shape[..<axis] + indices.shape + input.shape[(axis+1)...]`.
    ///
    /// As in CipherCore, the indices are u8/u16/u32/u64, there may be at most `input.shape[axis]` of
    /// them, and each must be below `input.shape[axis]`.
    static func gather(axis: Int, _ args: ExtendedArguments) throws -> Value {
        try args.expectCount(2)
        let input = try args.array(0)
        let indices = try args.indexArray(1, what: "the indices")
        guard axis >= 0, axis < input.shape.count else {
            throw ConfideError(.invalidArgument, "Gather: axis \(axis) is out of range for an array of rank \(input.shape.count)")
        }
        let dim = input.shape[axis]
        guard indices.count <= dim else {
            throw ConfideError(.shapeMismatch, "Gather: \(indices.count) indices exceed the length \(dim) of axis \(axis)")
        }
        let rows = try rowIndices(indices, below: dim, op: "Gather")
        let outer = Tensor.elementCount(Array(input.shape[..<axis]))
        let inner = Tensor.elementCount(Array(input.shape[(axis + 1)...]))
        let shape = Array(input.shape[..<axis]) + indices.shape + Array(input.shape[(axis + 1)...])
        return .tensor(gatherRows(input, outer: outer, dim: dim, inner: inner, rows: rows, shape: shape))
    }

    /// `InversePermutation`: the inverse of a permutation given as a one-dimensional unsigned array.
    static func inversePermutation(_ args: ExtendedArguments) throws -> Value {
        try args.expectCount(1)
        let p = try args.indexArray(0, what: "the permutation")
        guard p.shape.count == 1 else {
            throw ConfideError(.typeMismatch, "InversePermutation: the permutation must be one-dimensional, found \(p.type)")
        }
        let perm = try validPermutation(p, op: "InversePermutation")
        return .tensor(Tensor(p.scalarType, shape: p.shape, narrow: inverted(perm).map { UInt64($0) }))
    }

    /// `ApplyPermutation(inverse)`: permutes the first axis of an array, `out[i] = in[p[i]]`
    /// (with the inverse of `p` when `inverse` is true).
    static func applyPermutation(inverse: Bool, _ args: ExtendedArguments) throws -> Value {
        try args.expectCount(2)
        let input = try args.array(0)
        let p = try args.indexArray(1, what: "the permutation")
        let n = input.shape[0]
        guard p.shape == [n] else {
            throw ConfideError(.typeMismatch, "ApplyPermutation: the permutation must have type \(p.scalarType)[\(n)] for an input of type \(input.type), found \(p.type)")
        }
        let perm = try validPermutation(p, op: "ApplyPermutation")
        let rows = inverse ? inverted(perm) : perm
        return .tensor(gatherRows(input, outer: 1, dim: n, inner: input.count / n, rows: rows, shape: input.shape))
    }

    /// The entries of an index tensor as `Int`s, each checked to be below `bound`.
    static func rowIndices(_ indices: Tensor, below bound: Int, op: String) throws -> [Int] {
        guard let words = indices.narrowWords else {
            throw ConfideError(.typeMismatch, "\(op): indices must be at most 64 bits wide, found \(indices.type)")
        }
        var out = [Int](repeating: 0, count: words.count)
        for (i, w) in words.enumerated() {
            guard w < UInt64(bound) else {
                throw ConfideError(.outOfRange, "\(op): an index is out of range for a dimension of length \(bound)")
            }
            out[i] = Int(w)
        }
        return out
    }

    /// The entries of a one-dimensional array, checked to be a permutation of 0..<count.
    static func validPermutation(_ p: Tensor, op: String) throws -> [Int] {
        let n = p.count
        let entries = try rowIndices(p, below: n, op: op)
        var seen = [Bool](repeating: false, count: n)
        for e in entries {
            guard !seen[e] else {
                throw ConfideError(.invalidValue, "\(op): the argument is not a valid permutation of 0..<\(n)")
            }
            seen[e] = true
        }
        return entries
    }

    /// The inverse of a valid permutation.
    static func inverted(_ perm: [Int]) -> [Int] {
        var inv = [Int](repeating: 0, count: perm.count)
        for (i, p) in perm.enumerated() { inv[p] = i }
        return inv
    }

    /// For each of `outer` blocks of `dim × inner` entries, copies the rows listed in `rows` (each `inner` entries).
    static func gatherRows(_ input: Tensor, outer: Int, dim: Int, inner: Int, rows: [Int], shape: [Int]) -> Tensor {
        switch input.storage {
        case let .narrow(a):
            return Tensor(unchecked: input.scalarType, shape: shape, storage: .narrow(copyRows(a, outer: outer, dim: dim, inner: inner, rows: rows)))
        case let .wide(a):
            return Tensor(unchecked: input.scalarType, shape: shape, storage: .wide(copyRows(a, outer: outer, dim: dim, inner: inner, rows: rows)))
        }
    }

    private static func copyRows<W: RingWord>(_ a: [W], outer: Int, dim: Int, inner: Int, rows: [Int]) -> [W] {
        let total = outer * rows.count * inner
        return [W](unsafeUninitializedCapacity: total) { out, initialized in
            a.withUnsafeBufferPointer { src in
                var k = 0
                for block in 0..<outer {
                    for r in rows {
                        let start = (block * dim + r) * inner
                        for j in 0..<inner { out[k + j] = src[start + j] }
                        k += inner
                    }
                }
            }
            initialized = total
        }
    }
}
