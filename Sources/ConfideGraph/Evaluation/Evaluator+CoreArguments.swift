import ConfideCore

/// Argument checks and size limits shared by the core operations. Messages name the argument and
/// the expected and found types, never values; the driver prefixes them with the node and operation.
extension Evaluator {
    /// Largest number of elements (or vector entries) an operation may create.
    static let coreMaxElements = 1 << 28

    /// - Throws: `.wrongInputCount` unless there are exactly `count` arguments.
    static func coreExpectCount(_ args: [Value], _ count: Int) throws {
        guard args.count == count else {
            throw ConfideError(.wrongInputCount, "expected \(count) argument\(count == 1 ? "" : "s"), found \(args.count)")
        }
    }

    /// Argument `index` as a scalar or array.
    /// - Throws: `.typeMismatch` when it is a tuple, named tuple or vector, or has an empty dimension.
    static func coreTensor(_ args: [Value], _ index: Int) throws -> Tensor {
        guard let t = args[index].tensor else {
            throw ConfideError(.typeMismatch, "argument \(index) must be a scalar or an array, found \(args[index].type)")
        }
        guard t.shape.allSatisfy({ $0 > 0 }) else {
            throw ConfideError(.typeMismatch, "argument \(index) has shape \(t.shape) with an empty dimension")
        }
        return t
    }

    /// Argument `index` as an array (not a scalar).
    /// - Throws: `.typeMismatch` otherwise.
    static func coreArray(_ args: [Value], _ index: Int) throws -> Tensor {
        let t = try coreTensor(args, index)
        guard !t.shape.isEmpty else {
            throw ConfideError(.typeMismatch, "argument \(index) must be an array, found \(t.type)")
        }
        return t
    }

    /// - Throws: `.typeMismatch` unless both tensors have the same scalar type.
    static func coreSameScalarType(_ a: Tensor, _ b: Tensor) throws {
        guard a.scalarType == b.scalarType else {
            throw ConfideError(.typeMismatch, "arguments have different scalar types: \(a.type) and \(b.type)")
        }
    }

    /// The number of elements of `shape`.
    /// - Throws: `.invalidArgument` for a non-positive dimension, `.tooLarge` above ``coreMaxElements``.
    @discardableResult
    static func coreCheckedCount(_ shape: [Int]) throws -> Int {
        var count = 1
        for d in shape {
            guard d > 0 else { throw ConfideError(.invalidArgument, "shape \(shape) has a non-positive dimension") }
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= coreMaxElements else {
                throw ConfideError(.tooLarge, "shape \(shape) has more than \(coreMaxElements) elements")
            }
            count = product
        }
        return count
    }

    /// Checks that a value of `type` can be built: a valid type whose arrays and vectors are
    /// within ``coreMaxElements``.
    /// - Throws: `.invalidType` or `.tooLarge`.
    static func coreCheckBuildable(_ type: ValueType) throws {
        switch type {
        case .scalar: return
        case let .array(shape, _):
            guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
                throw ConfideError(.invalidType, "array type \(type) needs a non-empty shape of positive dimensions")
            }
            try coreCheckedCount(shape)
        case let .vector(count, element):
            guard count >= 0 else { throw ConfideError(.invalidType, "vector of negative length \(count)") }
            guard count <= coreMaxElements else {
                throw ConfideError(.tooLarge, "vector of \(count) elements is longer than \(coreMaxElements)")
            }
            try coreCheckBuildable(element)
        case let .tuple(types): try types.forEach(coreCheckBuildable)
        case let .namedTuple(fields): try fields.forEach { try coreCheckBuildable($0.type) }
        }
    }

    /// Elements `start..<start+count` of `t` (flat) as a tensor of `shape`.
    static func coreContiguous(_ t: Tensor, start: Int, count: Int, shape: [Int]) -> Tensor {
        switch t.storage {
        case let .narrow(a): return Tensor(unchecked: t.scalarType, shape: shape, storage: .narrow(Array(a[start..<start + count])))
        case let .wide(a): return Tensor(unchecked: t.scalarType, shape: shape, storage: .wide(Array(a[start..<start + count])))
        }
    }

    /// Every sum `lists[0][i0] + lists[1][i1] + …`, in row-major order of `(i0, i1, …)`: the flat
    /// source indices of a gather whose axes each contribute independent offsets.
    static func coreOffsetSums(_ lists: [[Int]]) -> [Int] {
        var result = [0]
        for list in lists {
            var next: [Int] = []
            next.reserveCapacity(result.count * list.count)
            for base in result {
                for offset in list { next.append(base + offset) }
            }
            result = next
        }
        return result
    }

    /// Flat source indices that lay out `shape` with its axes reordered: output axis `i` is input
    /// axis `permutation[i]`. `permutation` must be a permutation of the axes.
    static func corePermutedIndices(_ shape: [Int], _ permutation: [Int]) -> [Int] {
        let strides = Tensor.strides(shape)
        return coreOffsetSums(permutation.map { axis in (0..<shape[axis]).map { $0 * strides[axis] } })
    }

    /// `t` with its last two axes swapped (rank ≥ 2).
    static func coreTransposeLastTwo(_ t: Tensor) -> Tensor {
        let r = t.shape.count
        var permutation = Array(0..<r)
        permutation.swapAt(r - 1, r - 2)
        return t.gathered(corePermutedIndices(t.shape, permutation), shape: permutation.map { t.shape[$0] })
    }
}
