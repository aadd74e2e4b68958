import ConfideCore

/// Rules of the operations on scalars and arrays (arithmetic, products, reductions, indexing).
extension TypeInference {
    /// The shape (`[]` for a scalar) and scalar type of a scalar or array.
    static func tensorParts(_ type: ValueType, _ role: String) throws -> (shape: [Int], scalar: ScalarType) {
        switch type {
        case let .scalar(scalar): return ([], scalar)
        case let .array(shape, scalar): return (shape, scalar)
        default: throw ConfideError(.typeMismatch, "\(role) must be a scalar or an array, found \(type)")
        }
    }

    /// The shape and scalar type of an array.
    static func arrayParts(_ type: ValueType, _ role: String) throws -> (shape: [Int], scalar: ScalarType) {
        guard case let .array(shape, scalar) = type else {
            throw ConfideError(.typeMismatch, "\(role) must be an array, found \(type)")
        }
        return (shape, scalar)
    }

    /// CipherCore's `broadcast_arrays`: scalars and arrays of one scalar type, NumPy-broadcast.
    static func broadcastTensors(_ types: [ValueType]) throws -> ValueType {
        guard let first = types.first else {
            throw ConfideError(.invalidArgument, "cannot broadcast an empty list of types")
        }
        var (shape, scalar) = try tensorParts(first, "argument 0")
        for (position, type) in types.enumerated().dropFirst() {
            let (other, otherScalar) = try tensorParts(type, "argument \(position)")
            guard otherScalar == scalar else {
                throw ConfideError(.typeMismatch, "scalar types \(scalar) and \(otherScalar) differ")
            }
            shape = try Broadcast.shape(shape, other)
        }
        return .tensor(shape, scalar)
    }

    static func mixedMultiplyType(_ a: ValueType, _ b: ValueType) throws -> ValueType {
        let (shapeA, scalarA) = try tensorParts(a, "the first argument")
        let (shapeB, scalarB) = try tensorParts(b, "the second argument")
        guard scalarA != .bit else {
            throw ConfideError(.typeMismatch, "the first argument must not be bits, found \(a)")
        }
        guard scalarB == .bit else {
            throw ConfideError(.typeMismatch, "the second argument must be bits, found \(b)")
        }
        return .tensor(try Broadcast.shape(shapeA, shapeB), scalarA)
    }

    static func dotType(_ a: ValueType, _ b: ValueType) throws -> ValueType {
        let (shapeA, scalarA) = try tensorParts(a, "the first argument")
        let (shapeB, scalarB) = try tensorParts(b, "the second argument")
        guard scalarA == scalarB else {
            throw ConfideError(.typeMismatch, "scalar types \(scalarA) and \(scalarB) differ")
        }
        if shapeA.isEmpty { return b }
        if shapeB.isEmpty { return a }
        let mismatch = ConfideError(.shapeMismatch, "shapes \(shapeA) and \(shapeB) are incompatible for Dot")
        if shapeA.count == 1 && shapeB.count == 1 {
            guard shapeA[0] == shapeB[0] else { throw mismatch }
            return .scalar(scalarA)
        }
        if shapeB.count == 1 {
            guard shapeA[shapeA.count - 1] == shapeB[0] else { throw mismatch }
            return .tensor(Array(shapeA.dropLast()), scalarA)
        }
        guard shapeA[shapeA.count - 1] == shapeB[shapeB.count - 2] else { throw mismatch }
        var result = Array(shapeA.dropLast())
        for (axis, dimension) in shapeB.enumerated() where axis != shapeB.count - 2 {
            result.append(dimension)
        }
        return .tensor(result, scalarA)
    }

    static func matmulType(_ a: ValueType, _ b: ValueType) throws -> ValueType {
        var (shapeA, scalarA) = try arrayParts(a, "the first argument")
        var (shapeB, scalarB) = try arrayParts(b, "the second argument")
        guard scalarA == scalarB else {
            throw ConfideError(.typeMismatch, "scalar types \(scalarA) and \(scalarB) differ")
        }
        let dropRow = shapeA.count == 1
        if dropRow { shapeA.insert(1, at: 0) }
        let dropColumn = shapeB.count == 1
        if dropColumn { shapeB.append(1) }
        guard shapeA[shapeA.count - 1] == shapeB[shapeB.count - 2] else {
            throw ConfideError(.shapeMismatch, "shapes \(shapeA) and \(shapeB) are incompatible for Matmul")
        }
        var result = try Broadcast.shape(Array(shapeA.dropLast(2)), Array(shapeB.dropLast(2)))
        if !dropRow { result.append(shapeA[shapeA.count - 2]) }
        if !dropColumn { result.append(shapeB[shapeB.count - 1]) }
        return .tensor(result, scalarA)
    }

    static func gemmType(_ a: ValueType, _ b: ValueType, transposeA: Bool, transposeB: Bool) throws -> ValueType {
        var (shapeA, scalarA) = try arrayParts(a, "the first argument")
        var (shapeB, scalarB) = try arrayParts(b, "the second argument")
        guard scalarA == scalarB else {
            throw ConfideError(.typeMismatch, "scalar types \(scalarA) and \(scalarB) differ")
        }
        guard shapeA.count > 1, shapeB.count > 1 else {
            throw ConfideError(.shapeMismatch, "Gemm needs arrays of rank at least 2 (use Matmul or Dot for vectors), found shapes \(shapeA) and \(shapeB)")
        }
        if transposeA { shapeA.swapAt(shapeA.count - 2, shapeA.count - 1) }
        if transposeB { shapeB.swapAt(shapeB.count - 2, shapeB.count - 1) }
        guard shapeA[shapeA.count - 1] == shapeB[shapeB.count - 2] else {
            throw ConfideError(.shapeMismatch, "shapes \(shapeA) and \(shapeB) (after transposition) are incompatible for Gemm")
        }
        var result = try Broadcast.shape(Array(shapeA.dropLast(2)), Array(shapeB.dropLast(2)))
        result.append(shapeA[shapeA.count - 2])
        result.append(shapeB[shapeB.count - 1])
        return .array(result, scalarA)
    }

    static func truncateType(_ type: ValueType, scale: UInt128) throws -> ValueType {
        guard scale != 0 else { throw ConfideError(.invalidArgument, "the truncation scale must not be zero") }
        let (_, scalar) = try tensorParts(type, "the truncated value")
        if scalar.isSigned, scale > UInt128(Int128.max) {
            throw ConfideError(.invalidArgument, "the truncation scale \(scale) is too large for the signed type \(scalar)")
        }
        return type
    }

    static func sumType(_ type: ValueType, axes: [Int]) throws -> ValueType {
        let (shape, scalar) = try arrayParts(type, "the summed value")
        guard Set(axes).count == axes.count else {
            throw ConfideError(.invalidArgument, "axes \(axes) are not unique")
        }
        for axis in axes where axis < 0 || axis >= shape.count {
            throw ConfideError(.invalidArgument, "axis \(axis) is invalid for an array of rank \(shape.count)")
        }
        let removed = Set(axes)
        return .tensor(shape.indices.filter { !removed.contains($0) }.map { shape[$0] }, scalar)
    }

    static func permuteAxesType(_ type: ValueType, _ permutation: [Int]) throws -> ValueType {
        let (shape, scalar) = try arrayParts(type, "the permuted value")
        guard Set(permutation).count == permutation.count else {
            throw ConfideError(.invalidArgument, "axes \(permutation) are not unique")
        }
        for axis in permutation where axis < 0 || axis >= shape.count {
            throw ConfideError(.invalidArgument, "axes \(permutation) are invalid for an array of rank \(shape.count)")
        }
        guard permutation.count == shape.count else {
            throw ConfideError(.invalidArgument, "\(permutation) is not a permutation of the \(shape.count) axes")
        }
        return .array(permutation.map { shape[$0] }, scalar)
    }

    static func getType(_ type: ValueType, _ index: [Int]) throws -> ValueType {
        let (shape, scalar) = try arrayParts(type, "the indexed value")
        guard index.count <= shape.count else {
            throw ConfideError(.invalidArgument, "index \(index) is longer than shape \(shape)")
        }
        for (axis, position) in index.enumerated() where position < 0 || position >= shape[axis] {
            throw ConfideError(.outOfRange, "index \(index) is out of bounds for shape \(shape)")
        }
        return .tensor(Array(shape.dropFirst(index.count)), scalar)
    }

    static func stackType(_ arguments: [ValueType], outerShape: [Int]) throws -> ValueType {
        guard !outerShape.isEmpty, outerShape.allSatisfy({ $0 > 0 }) else {
            throw ConfideError(.invalidArgument, "invalid outer shape \(outerShape)")
        }
        let count = try elementCount(outerShape)
        guard arguments.count == count else {
            throw ConfideError(.invalidGraph, "outer shape \(outerShape) needs \(count) arguments, found \(arguments.count)")
        }
        let inner = try broadcastTensors(arguments)
        let (innerShape, scalar) = try tensorParts(inner, "the stacked element")
        return .array(outerShape + innerShape, scalar)
    }

    static func concatenateType(_ arguments: [ValueType], axis: Int) throws -> ValueType {
        guard arguments.count >= 2 else {
            throw ConfideError(.invalidGraph, "expects at least 2 arguments, found \(arguments.count)")
        }
        var parts: [(shape: [Int], scalar: ScalarType)] = []
        for (position, argument) in arguments.enumerated() {
            parts.append(try arrayParts(argument, "argument \(position)"))
        }
        var result = parts[0].shape
        let scalar = parts[0].scalar
        guard axis >= 0, axis < result.count else {
            throw ConfideError(.invalidArgument, "axis \(axis) is invalid for arrays of rank \(result.count)")
        }
        for part in parts.dropFirst() {
            guard part.scalar == scalar else {
                throw ConfideError(.typeMismatch, "scalar types \(scalar) and \(part.scalar) differ")
            }
            guard part.shape.count == result.count else {
                throw ConfideError(.shapeMismatch, "shapes \(parts[0].shape) and \(part.shape) have different ranks")
            }
            for (position, dimension) in part.shape.enumerated() where position != axis && dimension != result[position] {
                throw ConfideError(.shapeMismatch, "shapes \(result) and \(part.shape) differ outside axis \(axis)")
            }
            result[axis] = try inferenceSum(result[axis], part.shape[axis], what: "the concatenated axis")
        }
        return .array(result, scalar)
    }

    static func a2bType(_ type: ValueType) throws -> ValueType {
        let (shape, scalar) = try tensorParts(type, "the A2B input")
        guard scalar != .bit else { throw ConfideError(.typeMismatch, "A2B cannot be applied to bits, found \(type)") }
        return .array(shape + [scalar.bits], .bit)
    }

    static func b2aType(_ type: ValueType, _ target: ScalarType) throws -> ValueType {
        let (shape, scalar) = try arrayParts(type, "the B2A input")
        guard scalar == .bit else { throw ConfideError(.typeMismatch, "B2A needs a bit array, found \(type)") }
        guard target != .bit else { throw ConfideError(.typeMismatch, "B2A cannot convert into bits") }
        guard shape[shape.count - 1] == target.bits else {
            throw ConfideError(.shapeMismatch, "B2A into \(target) needs a last dimension of \(target.bits), found shape \(shape)")
        }
        return .tensor(Array(shape.dropLast()), target)
    }

    /// A PRF key must be `bit[128]`.
    static func checkPRFKey(_ key: ValueType) throws {
        guard key == .array([128], .bit) else {
            throw ConfideError(.typeMismatch, "the PRF key must be bit[128], found \(key)")
        }
    }

    /// Index arrays (permutations, gather indices) must be unsigned integers of at most 64 bits.
    static func checkIndexScalar(_ scalar: ScalarType, _ type: ValueType, _ role: String) throws {
        guard scalar.bits != 128 else {
            throw ConfideError(.typeMismatch, "\(role) must not use a 128-bit type, found \(type)")
        }
        guard scalar != .bit, !scalar.isSigned else {
            throw ConfideError(.typeMismatch, "\(role) must be an unsigned integer array, found \(type)")
        }
    }

    static func gatherType(_ input: ValueType, _ indices: ValueType, axis: Int) throws -> ValueType {
        let (shape, scalar) = try arrayParts(input, "the Gather input")
        let (indexShape, indexScalar) = try arrayParts(indices, "the Gather indices")
        try checkIndexScalar(indexScalar, indices, "the Gather indices")
        guard axis >= 0, axis < shape.count else {
            throw ConfideError(.invalidArgument, "axis \(axis) is invalid for an array of rank \(shape.count)")
        }
        let count = try elementCount(indexShape)
        guard count <= shape[axis] else {
            throw ConfideError(.shapeMismatch, "\(count) indices are more than the \(shape[axis]) elements of axis \(axis)")
        }
        return .array(Array(shape[..<axis]) + indexShape + Array(shape[(axis + 1)...]), scalar)
    }

    static func cuckooHashType(_ input: ValueType, _ hash: ValueType) throws -> ValueType {
        guard case let .array(shape, .bit) = input else {
            throw ConfideError(.typeMismatch, "CuckooHash needs a bit array input, found \(input)")
        }
        guard shape.count >= 2 else {
            throw ConfideError(.shapeMismatch, "the input must have at least 2 dimensions, found shape \(shape)")
        }
        guard case let .array(hashShape, .bit) = hash else {
            throw ConfideError(.typeMismatch, "CuckooHash needs a bit array of hash matrices, found \(hash)")
        }
        guard hashShape.count == 3 else {
            throw ConfideError(.shapeMismatch, "the hash matrices must have 3 dimensions, found shape \(hashShape)")
        }
        guard hashShape[0] >= 3 else {
            throw ConfideError(.shapeMismatch, "at least 3 hash matrices are needed, found \(hashShape[0])")
        }
        guard hashShape[1] <= 63 else {
            throw ConfideError(.shapeMismatch, "hash matrices have \(hashShape[1]) rows, at most 63 are allowed")
        }
        guard hashShape[2] == shape[shape.count - 1] else {
            throw ConfideError(.shapeMismatch, "hash matrices take \(hashShape[2]) bits, the input strings have \(shape[shape.count - 1])")
        }
        guard hashShape[1] < Int.bitWidth - 1 else {
            throw ConfideError(.tooLarge, "a hash table of 2^\(hashShape[1]) entries does not fit in a 64-bit integer")
        }
        return .array(Array(shape.dropLast(2)) + [1 << hashShape[1]], .u64)
    }

    static func segmentCumSumType(_ input: ValueType, _ binary: ValueType, _ first: ValueType) throws -> ValueType {
        let (shape, scalar) = try arrayParts(input, "the first argument")
        guard binary == .array([shape[0]], .bit) else {
            throw ConfideError(.typeMismatch, "the second argument must be bit[\(shape[0])], found \(binary)")
        }
        let row = ValueType.tensor(Array(shape.dropFirst()), scalar)
        guard first == row else {
            throw ConfideError(.typeMismatch, "the first row must have type \(row), found \(first)")
        }
        var result = shape
        result[0] = try inferenceSum(result[0], 1, what: "the result")
        return .array(result, scalar)
    }

    static func applyPermutationType(_ input: ValueType, _ permutation: ValueType) throws -> ValueType {
        let (shape, _) = try arrayParts(input, "the permuted value")
        guard case let .array(permutationShape, scalar) = permutation else {
            throw ConfideError(.typeMismatch, "the permutation must be an unsigned integer array of shape [\(shape[0])], found \(permutation)")
        }
        guard scalar.bits != 128 else {
            throw ConfideError(.typeMismatch, "the permutation must not use a 128-bit type, found \(permutation)")
        }
        guard permutationShape == [shape[0]], scalar != .bit, !scalar.isSigned else {
            throw ConfideError(.typeMismatch, "the permutation must be an unsigned integer array of shape [\(shape[0])], found \(permutation)")
        }
        return input
    }
}
