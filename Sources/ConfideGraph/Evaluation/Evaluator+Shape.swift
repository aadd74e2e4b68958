import ConfideCore

/// `PermuteAxes`, `Get`, `GetSlice`, `Reshape`, `Stack`, `Concatenate`, `A2B` and `B2A`.
extension Evaluator {
    /// `PermuteAxes(permutation)`: axis `i` of the result is axis `permutation[i]` of the array.
    static func corePermuteAxes(_ args: [Value], _ permutation: [Int]) throws -> Value {
        try coreExpectCount(args, 1)
        let t = try coreArray(args, 0)
        guard permutation.sorted() == Array(0..<t.shape.count) else {
            throw ConfideError(.invalidArgument, "PermuteAxes \(permutation) is not a permutation of the axes of \(t.type)")
        }
        return .tensor(t.gathered(corePermutedIndices(t.shape, permutation), shape: permutation.map { t.shape[$0] }))
    }

    /// `Get(index)`: the sub-array (or scalar) at an index prefix.
    static func coreGet(_ args: [Value], _ index: [Int]) throws -> Value {
        try coreExpectCount(args, 1)
        let t = try coreArray(args, 0)
        guard index.count <= t.shape.count else {
            throw ConfideError(.invalidArgument, "Get index of length \(index.count) is too long for \(t.type)")
        }
        let strides = Tensor.strides(t.shape)
        var start = 0
        for (axis, i) in index.enumerated() {
            guard i >= 0, i < t.shape[axis] else {
                throw ConfideError(.outOfRange, "Get index is out of range for axis \(axis) of \(t.type)")
            }
            start += i * strides[axis]
        }
        let shape = Array(t.shape[index.count...])
        return .tensor(coreContiguous(t, start: start, count: Tensor.elementCount(shape), shape: shape))
    }

    /// `GetSlice(slice)`: CipherCore's basic slicing (see ``SliceResolution``), which unlike NumPy
    /// refuses any slice that reaches outside the array or selects nothing.
    static func coreGetSlice(_ args: [Value], _ slice: [Operation.SliceElement]) throws -> Value {
        try coreExpectCount(args, 1)
        let t = try coreArray(args, 0)
        let resolution = try SliceResolution(slice, shape: t.shape)
        return .tensor(t.gathered(resolution.sourceFlatIndices(), shape: resolution.resultShape))
    }

    /// `Reshape(type)`: the scalars and arrays of the value, in order, become those of `type`;
    /// each pair must have the same scalar type and number of elements.
    static func coreReshape(_ args: [Value], _ type: ValueType) throws -> Value {
        try coreExpectCount(args, 1)
        var leaves: [Tensor] = []
        coreCollectLeaves(args[0], into: &leaves)
        var position = 0
        let result = try coreRebuild(type, from: leaves, at: &position)
        guard position == leaves.count else {
            throw ConfideError(
                .typeMismatch, "cannot reshape \(args[0].type) into \(type): it has \(leaves.count) scalars or arrays, the type \(position)"
            )
        }
        return result
    }

    private static func coreCollectLeaves(_ value: Value, into leaves: inout [Tensor]) {
        if let t = value.tensor {
            leaves.append(t)
        } else {
            for child in value.children ?? [] { coreCollectLeaves(child, into: &leaves) }
        }
    }

    private static func coreRebuild(_ type: ValueType, from leaves: [Tensor], at position: inout Int) throws -> Value {
        switch type {
        case .scalar, .array:
            guard position < leaves.count else {
                throw ConfideError(.typeMismatch, "cannot reshape into \(type): the value has only \(leaves.count) scalars or arrays")
            }
            let leaf = leaves[position]
            position += 1
            let shape = type.shape ?? []
            guard type.scalarType == leaf.scalarType, shape.allSatisfy({ $0 > 0 }),
                shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? -1 : $0 * $1 }) == leaf.count
            else {
                throw ConfideError(.typeMismatch, "cannot reshape \(leaf.type) into \(type)")
            }
            return .tensor(leaf.reshaped(shape))
        case let .tuple(types):
            return .tuple(try types.map { try coreRebuild($0, from: leaves, at: &position) })
        case let .namedTuple(fields):
            return .namedTuple(try fields.map { .init($0.name, try coreRebuild($0.type, from: leaves, at: &position)) })
        case let .vector(count, element):
            guard count >= 0, count <= coreMaxElements else {
                throw ConfideError(.tooLarge, "cannot reshape into a vector of \(count) elements")
            }
            var items: [Value] = []
            for _ in 0..<count {
                items.append(try coreRebuild(element, from: leaves, at: &position))
            }
            return .vector(elementType: element, items)
        }
    }

    /// `Stack(outerShape)`: `product(outerShape)` tensors of one scalar type, broadcast to a common
    /// shape, laid out as an array of shape `outerShape + common shape`.
    static func coreStack(_ args: [Value], outerShape: [Int]) throws -> Value {
        guard !outerShape.isEmpty else { throw ConfideError(.invalidArgument, "Stack needs a non-empty outer shape") }
        let outerCount = try coreCheckedCount(outerShape)
        guard args.count == outerCount else {
            throw ConfideError(
                .wrongInputCount, "Stack with outer shape \(outerShape) expects \(outerCount) arguments, found \(args.count)")
        }
        let tensors = try args.indices.map { try coreTensor(args, $0) }
        for t in tensors.dropFirst() { try coreSameScalarType(tensors[0], t) }
        let inner = try Broadcast.shape(tensors.map(\.shape))
        let innerCount = try coreCheckedCount(inner)
        let shape = outerShape + inner
        try coreCheckedCount(shape)
        var indices: [Int] = []
        indices.reserveCapacity(outerCount * innerCount)
        var offset = 0
        for t in tensors {
            if let source = Broadcast.sourceIndices(from: t.shape, to: inner) {
                indices += source.map { $0 + offset }
            } else {
                indices += offset..<(offset + innerCount)
            }
            offset += t.count
        }
        let all = Tensor.concatenatedFlat(tensors, scalarType: tensors[0].scalarType, shape: [offset])
        return .tensor(all.gathered(indices, shape: shape))
    }

    /// `Concatenate(axis)`: two or more arrays of one scalar type and rank, equal except along `axis`.
    static func coreConcatenate(_ args: [Value], axis: Int) throws -> Value {
        guard args.count >= 2 else {
            throw ConfideError(.wrongInputCount, "Concatenate expects at least 2 arguments, found \(args.count)")
        }
        let tensors = try args.indices.map { try coreArray(args, $0) }
        let first = tensors[0]
        guard axis >= 0, axis < first.shape.count else {
            throw ConfideError(.invalidArgument, "Concatenate axis \(axis) is out of range for \(first.type)")
        }
        var shape = first.shape
        for t in tensors.dropFirst() {
            try coreSameScalarType(first, t)
            guard t.shape.count == first.shape.count,
                t.shape.indices.allSatisfy({ $0 == axis || t.shape[$0] == first.shape[$0] })
            else {
                throw ConfideError(.shapeMismatch, "Concatenate along axis \(axis) of incompatible shapes \(first.shape) and \(t.shape)")
            }
            shape[axis] += t.shape[axis]
        }
        try coreCheckedCount(shape)
        let outer = Tensor.elementCount(Array(shape[..<axis]))
        let inner = Tensor.elementCount(Array(shape[(axis + 1)...]))
        var indices: [Int] = []
        indices.reserveCapacity(Tensor.elementCount(shape))
        let starts = tensors.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count) }
        for block in 0..<outer {
            for (i, t) in tensors.enumerated() {
                let chunk = t.shape[axis] * inner
                let begin = starts[i] + block * chunk
                indices += begin..<(begin + chunk)
            }
        }
        let all = Tensor.concatenatedFlat(tensors, scalarType: first.scalarType, shape: [starts[starts.count - 1]])
        return .tensor(all.gathered(indices, shape: shape))
    }

    /// `A2B`: an integer tensor to bits, with an extra last axis of `bits` bits, least significant first.
    static func coreA2B(_ args: [Value]) throws -> Value {
        try coreExpectCount(args, 1)
        let t = try coreTensor(args, 0)
        let s = t.scalarType
        guard s != .bit else { throw ConfideError(.typeMismatch, "A2B needs an integer tensor, found \(t.type)") }
        let shape = t.shape + [s.bits]
        let count = try coreCheckedCount(shape)
        let bits = s.bits
        var out = [UInt64](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { o in
            switch t.storage {
            case let .narrow(a):
                for (i, w) in a.enumerated() {
                    for b in 0..<bits { o[i * bits + b] = (w >> UInt64(b)) & 1 }
                }
            case let .wide(a):
                for (i, w) in a.enumerated() {
                    for b in 0..<bits { o[i * bits + b] = UInt64(truncatingIfNeeded: w >> UInt128(b)) & 1 }
                }
            }
        }
        return .tensor(Tensor(unchecked: .bit, shape: shape, storage: .narrow(out)))
    }

    /// `B2A(type)`: a bit array whose last axis has `type.bits` bits (least significant first) to integers.
    static func coreB2A(_ args: [Value], _ target: ScalarType) throws -> Value {
        try coreExpectCount(args, 1)
        let t = try coreArray(args, 0)
        guard t.scalarType == .bit else { throw ConfideError(.typeMismatch, "B2A needs a bit array, found \(t.type)") }
        guard target != .bit else { throw ConfideError(.invalidArgument, "B2A cannot convert into bit") }
        let bits = target.bits
        guard t.shape[t.shape.count - 1] == bits else {
            throw ConfideError(.shapeMismatch, "B2A into \(target) needs a last axis of \(bits) bits, found \(t.type)")
        }
        let shape = Array(t.shape.dropLast())
        let count = t.count / bits
        guard case let .narrow(a) = t.storage else { preconditionFailure("bit tensors have narrow storage") }
        if target.isWide {
            let out = (0..<count).map { i in
                (0..<bits).reduce(UInt128(0)) { $0 | UInt128(a[i * bits + $1] & 1) << UInt128($1) }
            }
            return .tensor(Tensor(unchecked: target, shape: shape, storage: .wide(out)))
        }
        let out = (0..<count).map { i in
            (0..<bits).reduce(UInt64(0)) { $0 | (a[i * bits + $1] & 1) << UInt64($1) }
        }
        return .tensor(Tensor(unchecked: target, shape: shape, storage: .narrow(out)))
    }
}
