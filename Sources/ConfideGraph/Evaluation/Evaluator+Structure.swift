import ConfideCore

/// Tuples, named tuples and vectors: creation, access, `Zip`, `Repeat`, `ArrayToVector` and `VectorToArray`.
extension Evaluator {
    /// `CreateNamedTuple(names)`: one distinct name per argument.
    static func coreCreateNamedTuple(_ args: [Value], _ names: [String]) throws -> Value {
        guard args.count == names.count else {
            throw ConfideError(
                .wrongInputCount, "CreateNamedTuple with \(names.count) names expects \(names.count) arguments, found \(args.count)")
        }
        guard Set(names).count == names.count else {
            throw ConfideError(.invalidArgument, "CreateNamedTuple has duplicate field names")
        }
        return .namedTuple(zip(names, args).map { .init($0, $1) })
    }

    /// `CreateVector(type)`: every argument must have `type`.
    static func coreCreateVector(_ args: [Value], _ elementType: ValueType) throws -> Value {
        for (i, value) in args.enumerated() {
            try value.check(elementType, what: "vector element \(i)")
        }
        return .vector(elementType: elementType, args)
    }

    /// `TupleGet(index)`: field `index` of a tuple or named tuple.
    static func coreTupleGet(_ args: [Value], _ index: Int) throws -> Value {
        try coreExpectCount(args, 1)
        let fields: [Value]
        switch args[0] {
        case let .tuple(values): fields = values
        case let .namedTuple(named): fields = named.map(\.value)
        default: throw ConfideError(.typeMismatch, "TupleGet needs a tuple or named tuple, found \(args[0].type)")
        }
        guard index >= 0, index < fields.count else {
            throw ConfideError(.outOfRange, "TupleGet index \(index) is out of range for \(args[0].type)")
        }
        return fields[index]
    }

    /// `NamedTupleGet(name)`: the field called `name` of a named tuple.
    static func coreNamedTupleGet(_ args: [Value], _ name: String) throws -> Value {
        try coreExpectCount(args, 1)
        guard case let .namedTuple(fields) = args[0] else {
            throw ConfideError(.typeMismatch, "NamedTupleGet needs a named tuple, found \(args[0].type)")
        }
        guard let field = fields.first(where: { $0.name == name }) else {
            throw ConfideError(.invalidArgument, "named tuple \(args[0].type) has no field '\(name)'")
        }
        return field.value
    }

    /// `VectorGet`: the element of a vector at a `u32` or `u64` scalar index.
    static func coreVectorGet(_ args: [Value]) throws -> Value {
        try coreExpectCount(args, 2)
        guard case let .vector(_, elements) = args[0] else {
            throw ConfideError(.typeMismatch, "argument 0 must be a vector, found \(args[0].type)")
        }
        guard let index = args[1].tensor, index.type == .scalar(.u64) || index.type == .scalar(.u32) else {
            throw ConfideError(.typeMismatch, "the index (argument 1) must be a u64 or u32 scalar, found \(args[1].type)")
        }
        let i = index.residue(at: 0)
        guard i < UInt128(elements.count) else {
            throw ConfideError(.outOfRange, "VectorGet index is out of range for a vector of \(elements.count) elements")
        }
        return elements[Int(i)]
    }

    /// `Zip`: two or more vectors of one length to a vector of tuples.
    static func coreZip(_ args: [Value]) throws -> Value {
        guard args.count >= 2 else {
            throw ConfideError(.wrongInputCount, "Zip expects at least 2 arguments, found \(args.count)")
        }
        var columns: [[Value]] = []
        var elementTypes: [ValueType] = []
        for (i, value) in args.enumerated() {
            guard case let .vector(type, elements) = value else {
                throw ConfideError(.typeMismatch, "argument \(i) must be a vector, found \(value.type)")
            }
            if let first = columns.first, first.count != elements.count {
                throw ConfideError(.shapeMismatch, "Zip of vectors of different lengths \(first.count) and \(elements.count)")
            }
            columns.append(elements)
            elementTypes.append(type)
        }
        let rows = (0..<columns[0].count).map { row in Value.tuple(columns.map { $0[row] }) }
        return .vector(elementType: .tuple(elementTypes), rows)
    }

    /// `Repeat(count)`: a vector of `count` copies of the argument.
    static func coreRepeat(_ args: [Value], _ count: Int) throws -> Value {
        try coreExpectCount(args, 1)
        guard count >= 0, count <= coreMaxElements else {
            throw ConfideError(.invalidArgument, "Repeat count \(count) is outside 0...\(coreMaxElements)")
        }
        return .vector(elementType: args[0].type, Array(repeating: args[0], count: count))
    }

    /// `ArrayToVector`: an array to the vector of its sub-arrays (scalars for a 1-D array) along axis 0.
    static func coreArrayToVector(_ args: [Value]) throws -> Value {
        try coreExpectCount(args, 1)
        let t = try coreArray(args, 0)
        let shape = Array(t.shape.dropFirst())
        let size = Tensor.elementCount(shape)
        let elements = (0..<t.shape[0]).map { Value.tensor(coreContiguous(t, start: $0 * size, count: size, shape: shape)) }
        return .vector(elementType: .tensor(shape, t.scalarType), elements)
    }

    /// `VectorToArray`: a non-empty vector of scalars or arrays to one array with a leading axis.
    static func coreVectorToArray(_ args: [Value]) throws -> Value {
        try coreExpectCount(args, 1)
        guard case let .vector(elementType, elements) = args[0] else {
            throw ConfideError(.typeMismatch, "argument 0 must be a vector, found \(args[0].type)")
        }
        guard let scalarType = elementType.scalarType, let shape = elementType.shape else {
            throw ConfideError(.typeMismatch, "VectorToArray needs a vector of scalars or arrays, found \(args[0].type)")
        }
        guard !elements.isEmpty else { throw ConfideError(.invalidArgument, "VectorToArray cannot convert an empty vector") }
        let tensors = try elements.enumerated().map { i, value in
            guard let t = value.tensor, t.type == elementType else {
                throw ConfideError(.typeMismatch, "vector element \(i) has type \(value.type), expected \(elementType)")
            }
            return t
        }
        let resultShape = [elements.count] + shape
        try coreCheckedCount(resultShape)
        return .tensor(Tensor.concatenatedFlat(tensors, scalarType: scalarType, shape: resultShape))
    }
}
