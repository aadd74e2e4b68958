import ConfideCore

/// Appends basic-operation nodes to one graph under construction, inferring each new node's type
/// with ``TypeInference`` as it goes (so every expansion is type-checked node by node, and the
/// expansions can read the shapes they need).
///
/// Node handles are plain indices into ``nodes``. The helpers mirror the small graph utilities
/// CipherCore's instantiations use (`pull_out_bits`, `put_in_bits`, `unsqueeze`, `constant_scalar`).
struct ExpansionEmitter {
    private(set) var nodes: [Node] = []
    private(set) var types: [ValueType] = []

    /// The number of nodes emitted so far (the id the next node gets).
    var count: Int { nodes.count }

    /// Appends a node whose type is already known (a copied node of the original graph).
    @discardableResult
    mutating func append(_ node: Node, type: ValueType) -> Int {
        nodes.append(node)
        types.append(type)
        return nodes.count - 1
    }

    /// Appends `operation` on `dependencies`, inferring its type.
    /// - Throws: the type-inference error of the new node, prefixed with the operation name.
    @discardableResult
    mutating func add(_ operation: Operation, _ dependencies: [Int] = []) throws -> Int {
        let type: ValueType
        do {
            type = try TypeInference.inferType(of: operation, validArguments: dependencies.map { types[$0] }, callees: [])
        } catch let error as ConfideError {
            throw error.prefixed("expansion node \(nodes.count) (\(operation.name))")
        }
        return append(Node(operation, dependencies: dependencies), type: type)
    }

    // MARK: Types

    func type(_ id: Int) -> ValueType { types[id] }

    /// The shape of a scalar or array node (empty for a scalar).
    func shape(_ id: Int) -> [Int] { types[id].shape ?? [] }

    /// The scalar type of a scalar or array node (bit for anything else, which never reaches here
    /// because type inference admits only tensors to the expanded operations).
    func scalar(_ id: Int) -> ScalarType { types[id].scalarType ?? .bit }

    // MARK: Basic operations

    mutating func add(_ a: Int, _ b: Int) throws -> Int { try add(.add, [a, b]) }
    mutating func subtract(_ a: Int, _ b: Int) throws -> Int { try add(.subtract, [a, b]) }
    mutating func multiply(_ a: Int, _ b: Int) throws -> Int { try add(.multiply, [a, b]) }
    mutating func mixedMultiply(_ a: Int, _ bits: Int) throws -> Int { try add(.mixedMultiply, [a, bits]) }
    mutating func truncate(_ a: Int, _ scale: UInt128) throws -> Int { try add(.truncate(scale), [a]) }
    mutating func a2b(_ a: Int) throws -> Int { try add(.a2b, [a]) }
    mutating func b2a(_ a: Int, _ scalar: ScalarType) throws -> Int { try add(.b2a(scalar), [a]) }
    mutating func get(_ a: Int, _ index: [Int]) throws -> Int { try add(.get(index), [a]) }
    mutating func slice(_ a: Int, _ elements: [Operation.SliceElement]) throws -> Int { try add(.getSlice(elements), [a]) }
    mutating func reshape(_ a: Int, _ type: ValueType) throws -> Int { try add(.reshape(type), [a]) }
    mutating func permuteAxes(_ a: Int, _ axes: [Int]) throws -> Int { try add(.permuteAxes(axes), [a]) }
    mutating func concatenate(_ parts: [Int], axis: Int) throws -> Int { try add(.concatenate(axis), parts) }
    mutating func stack(_ parts: [Int]) throws -> Int { try add(.stack([parts.count]), parts) }
    mutating func zeros(_ type: ValueType) throws -> Int { try add(.zeros(type)) }
    mutating func ones(_ type: ValueType) throws -> Int { try add(.ones(type)) }
    mutating func custom(_ operation: CustomOperation, _ arguments: [Int]) throws -> Int { try add(.custom(operation), arguments) }

    /// `a[start..<stop]` along the first axis (NumPy `a[start:stop]`; nil bounds are open).
    mutating func rows(_ a: Int, _ start: Int?, _ stop: Int?, step: Int? = nil) throws -> Int {
        try slice(a, [.subArray(start: start, stop: stop, step: step), .ellipsis])
    }

    /// A scalar constant of `scalar` holding `value` reduced modulo 2^bits (CipherCore's
    /// `constant_scalar`, which keeps the low bytes of the two's-complement value).
    mutating func constant(_ scalar: ScalarType, _ value: Int128) throws -> Int {
        let v = Value.tensor(Tensor(scalar, shape: [], wrapping: [value]))
        return try add(.constant(v.type, v.encoded()))
    }

    /// A one-dimensional constant array of `scalar` (values reduced modulo 2^bits).
    mutating func constantArray(_ scalar: ScalarType, _ values: [Int128]) throws -> Int {
        let v = Value.tensor(Tensor(scalar, shape: [values.count], wrapping: values))
        return try add(.constant(v.type, v.encoded()))
    }

    /// A constant bit array of `shape`.
    mutating func constantBits(_ shape: [Int], _ bits: [UInt64]) throws -> Int {
        let v = Value.tensor(Tensor(.bit, shape: shape, narrow: bits))
        return try add(.constant(v.type, v.encoded()))
    }

    // MARK: CipherCore's helpers

    /// Moves the last (bits) axis of an array to the front (`pull_out_bits`).
    mutating func pullOutBits(_ a: Int) throws -> Int {
        let rank = shape(a).count
        guard rank > 1 else { return a }
        return try permuteAxes(a, [rank - 1] + Array(0..<(rank - 1)))
    }

    /// Moves the first axis of an array to the back (`put_in_bits`).
    mutating func putInBits(_ a: Int) throws -> Int {
        let rank = shape(a).count
        guard rank > 1 else { return a }
        return try permuteAxes(a, Array(1..<rank) + [0])
    }

    /// Inserts an axis of length 1 at `axis` (negative counts from the end, as in `torch.unsqueeze`).
    mutating func unsqueeze(_ a: Int, _ axis: Int) throws -> Int {
        var dims = shape(a)
        let position = axis < 0 ? dims.count + axis + 1 : axis
        dims.insert(1, at: position)
        return try reshape(a, .array(dims, scalar(a)))
    }

    /// Reduces an array over its first axis with `combine` in a logarithmic number of steps,
    /// splitting exactly as CipherCore's `custom_reduce` does (odd lengths peel off row 0).
    mutating func reduceRows(_ a: Int, _ combine: (inout ExpansionEmitter, Int, Int) throws -> Int) throws -> Int {
        var node = a
        var n = shape(a)[0]
        var result: Int?
        while n > 0 {
            if n % 2 == 1 {
                let first = try get(node, [0])
                if n > 1 { node = try rows(node, 1, nil) }
                if let previous = result {
                    result = try combine(&self, previous, first)
                } else {
                    result = first
                }
                n -= 1
            } else {
                let firstHalf = try rows(node, 0, n / 2)
                let secondHalf = try rows(node, n / 2, nil)
                node = try combine(&self, firstHalf, secondHalf)
                n /= 2
            }
        }
        guard let result else { throw ConfideError(.invalidArgument, "cannot reduce an empty array") }
        return result
    }

    /// The product (AND for bits) over the last axis (`reduce_mul`).
    mutating func reduceMultiplyLastAxis(_ a: Int) throws -> Int {
        try reduceRows(try pullOutBits(a)) { try $0.multiply($1, $2) }
    }
}

/// Integer literals of CipherCore's instantiations that Rust types as `i32`: the value wraps to
/// 32 bits (for example `1 << 31` is `-2^31`) before it is sign-extended into the scalar type.
func rustInt32Literal(_ value: Int64) -> Int128 {
    Int128(Int32(truncatingIfNeeded: value))
}
