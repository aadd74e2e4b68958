import ConfideCore

/// One method per CipherCore operation, with CipherCore's argument order. Every method appends a
/// node and returns it.
/// - Throws (every method): `.invalidArgument` when a node belongs to another graph (see
///   ``GraphBuilder/addNode(_:dependencies:graphs:)``).
extension GraphBuilder {
    /// The join types of `Join` (CipherCore's `JoinType`).
    public enum JoinType: String, Sendable, CaseIterable {
        case inner = "Inner", left = "Left", union = "Union", full = "Full"
    }

    /// An input of the graph, of type `type`.
    public func input(_ type: ValueType) throws -> BuilderNode { try addNode(.input(type)) }
    /// The all-zero value of `type`.
    public func zeros(_ type: ValueType) throws -> BuilderNode { try addNode(.zeros(type)) }
    /// The all-one value of `type`.
    public func ones(_ type: ValueType) throws -> BuilderNode { try addNode(.ones(type)) }

    /// `a + b` (broadcasting; XOR on bits).
    public func add(_ a: BuilderNode, _ b: BuilderNode) throws -> BuilderNode { try addNode(.add, dependencies: [a, b]) }
    /// `a - b` (broadcasting; XOR on bits).
    public func subtract(_ a: BuilderNode, _ b: BuilderNode) throws -> BuilderNode { try addNode(.subtract, dependencies: [a, b]) }
    /// `a * b` element-wise (broadcasting; AND on bits).
    public func multiply(_ a: BuilderNode, _ b: BuilderNode) throws -> BuilderNode { try addNode(.multiply, dependencies: [a, b]) }
    /// Integer array `a` times bit array `b`, element-wise.
    public func mixedMultiply(_ a: BuilderNode, _ b: BuilderNode) throws -> BuilderNode { try addNode(.mixedMultiply, dependencies: [a, b]) }
    /// NumPy `dot(a, b)`.
    public func dot(_ a: BuilderNode, _ b: BuilderNode) throws -> BuilderNode { try addNode(.dot, dependencies: [a, b]) }
    /// NumPy `matmul(a, b)`.
    public func matmul(_ a: BuilderNode, _ b: BuilderNode) throws -> BuilderNode { try addNode(.matmul, dependencies: [a, b]) }
    /// `a · bᵀ`-style general matrix product with optional transposition of either operand.
    public func gemm(_ a: BuilderNode, _ b: BuilderNode, transposeA: Bool = false, transposeB: Bool = false) throws -> BuilderNode {
        try addNode(.gemm(transposeA: transposeA, transposeB: transposeB), dependencies: [a, b])
    }
    /// Division by `scale` (signed values rounded toward zero, as in CipherCore).
    public func truncate(_ a: BuilderNode, scale: UInt128) throws -> BuilderNode { try addNode(.truncate(scale), dependencies: [a]) }
    /// Sum over `axes`.
    public func sum(_ a: BuilderNode, axes: [Int]) throws -> BuilderNode { try addNode(.sum(axes), dependencies: [a]) }
    /// Cumulative sum along `axis`.
    public func cumSum(_ a: BuilderNode, axis: Int) throws -> BuilderNode { try addNode(.cumSum(axis), dependencies: [a]) }
    /// Permutes the axes of an array.
    public func permuteAxes(_ a: BuilderNode, axes: [Int]) throws -> BuilderNode { try addNode(.permuteAxes(axes), dependencies: [a]) }
    /// The sub-array at an index prefix.
    public func get(_ a: BuilderNode, index: [Int]) throws -> BuilderNode { try addNode(.get(index), dependencies: [a]) }
    /// NumPy basic slicing.
    public func getSlice(_ a: BuilderNode, _ slice: [Operation.SliceElement]) throws -> BuilderNode {
        try addNode(.getSlice(slice), dependencies: [a])
    }
    /// The same data viewed as `type`.
    public func reshape(_ a: BuilderNode, _ type: ValueType) throws -> BuilderNode { try addNode(.reshape(type), dependencies: [a]) }
    /// Passes `a` through (the carrier of `Send` annotations in compiled graphs).
    public func nop(_ a: BuilderNode) throws -> BuilderNode { try addNode(.nop, dependencies: [a]) }
    /// A uniformly random value of `type`.
    public func random(_ type: ValueType) throws -> BuilderNode { try addNode(.random(type)) }
    /// A pseudo-random value of `type` from a `bit[128]` key and an iv.
    public func prf(_ key: BuilderNode, iv: UInt64, type: ValueType) throws -> BuilderNode {
        try addNode(.prf(iv: iv, type), dependencies: [key])
    }
    /// A pseudo-random permutation of `n` elements from a `bit[128]` key and an iv.
    public func permutationFromPRF(_ key: BuilderNode, iv: UInt64, n: Int) throws -> BuilderNode {
        try addNode(.permutationFromPRF(iv: iv, n: n), dependencies: [key])
    }
    /// Stacks `nodes` into an array with outer dimensions `outerShape`.
    public func stack(_ nodes: [BuilderNode], outerShape: [Int]) throws -> BuilderNode {
        try addNode(.stack(outerShape), dependencies: nodes)
    }
    /// Concatenates arrays along `axis`.
    public func concatenate(_ nodes: [BuilderNode], axis: Int) throws -> BuilderNode {
        try addNode(.concatenate(axis), dependencies: nodes)
    }
    /// A constant of `type` with the encoded value `value`.
    public func constant(_ type: ValueType, _ value: EncodedValue) throws -> BuilderNode { try addNode(.constant(type, value)) }
    /// A constant holding `value` (with the value's type).
    public func constant(_ value: Value) throws -> BuilderNode { try addNode(.constant(value.type, value.encoded())) }
    /// Arithmetic to binary: integers to their bits (a trailing dimension of `bits`).
    public func a2b(_ a: BuilderNode) throws -> BuilderNode { try addNode(.a2b, dependencies: [a]) }
    /// Binary to arithmetic: bits (last dimension) to integers of `scalarType`.
    public func b2a(_ a: BuilderNode, _ scalarType: ScalarType) throws -> BuilderNode { try addNode(.b2a(scalarType), dependencies: [a]) }
    /// A tuple of the elements.
    public func createTuple(_ elements: [BuilderNode]) throws -> BuilderNode { try addNode(.createTuple, dependencies: elements) }
    /// A named tuple of the (name, element) pairs.
    public func createNamedTuple(_ elements: [(String, BuilderNode)]) throws -> BuilderNode {
        try addNode(.createNamedTuple(elements.map(\.0)), dependencies: elements.map(\.1))
    }
    /// A vector of elements of `elementType`.
    public func createVector(_ elementType: ValueType, _ elements: [BuilderNode]) throws -> BuilderNode {
        try addNode(.createVector(elementType), dependencies: elements)
    }
    /// Element `index` of a tuple.
    public func tupleGet(_ tuple: BuilderNode, index: Int) throws -> BuilderNode { try addNode(.tupleGet(index), dependencies: [tuple]) }
    /// Field `key` of a named tuple.
    public func namedTupleGet(_ tuple: BuilderNode, key: String) throws -> BuilderNode {
        try addNode(.namedTupleGet(key), dependencies: [tuple])
    }
    /// Element of a vector at an index given by a (u64) scalar node.
    public func vectorGet(_ vector: BuilderNode, index: BuilderNode) throws -> BuilderNode {
        try addNode(.vectorGet, dependencies: [vector, index])
    }
    /// Zips vectors of equal length into a vector of tuples.
    public func zip(_ vectors: [BuilderNode]) throws -> BuilderNode { try addNode(.zip, dependencies: vectors) }
    /// A vector of `count` copies of `a`.
    public func `repeat`(_ a: BuilderNode, count: Int) throws -> BuilderNode { try addNode(.repeat(count), dependencies: [a]) }
    /// Calls `graph` (an earlier graph with an output node) on `arguments`.
    public func call(_ graph: GraphBuilder, _ arguments: [BuilderNode]) throws -> BuilderNode {
        try addNode(.call, dependencies: arguments, graphs: [graph])
    }
    /// Iterates `graph` (state, input) → (state, output) over the vector `input`.
    public func iterate(_ graph: GraphBuilder, state: BuilderNode, input: BuilderNode) throws -> BuilderNode {
        try addNode(.iterate, dependencies: [state, input], graphs: [graph])
    }
    /// Splits an array along its first dimension into a vector.
    public func arrayToVector(_ a: BuilderNode) throws -> BuilderNode { try addNode(.arrayToVector, dependencies: [a]) }
    /// Stacks a vector of arrays into one array.
    public func vectorToArray(_ a: BuilderNode) throws -> BuilderNode { try addNode(.vectorToArray, dependencies: [a]) }
    /// A uniformly random permutation of `n` elements.
    public func randomPermutation(n: Int) throws -> BuilderNode { try addNode(.randomPermutation(n)) }
    /// Gathers entries of `input` at `indices` along `axis`.
    public func gather(_ input: BuilderNode, indices: BuilderNode, axis: Int) throws -> BuilderNode {
        try addNode(.gather(axis), dependencies: [input, indices])
    }
    /// Cuckoo hashing of binary rows with the given hash matrices.
    public func cuckooHash(_ input: BuilderNode, hashMatrices: BuilderNode) throws -> BuilderNode {
        try addNode(.cuckooHash, dependencies: [input, hashMatrices])
    }
    /// The inverse of a permutation.
    public func inversePermutation(_ a: BuilderNode) throws -> BuilderNode { try addNode(.inversePermutation, dependencies: [a]) }
    /// The permutation of a cuckoo hash table.
    public func cuckooToPermutation(_ a: BuilderNode) throws -> BuilderNode { try addNode(.cuckooToPermutation, dependencies: [a]) }
    /// Decomposes a switching map of `n` elements.
    public func decomposeSwitchingMap(_ a: BuilderNode, n: Int) throws -> BuilderNode {
        try addNode(.decomposeSwitchingMap(n), dependencies: [a])
    }
    /// Segmented cumulative sum of rows of `input`, restarting where `binary` is 0, from `first`.
    public func segmentCumSum(_ input: BuilderNode, binary: BuilderNode, first: BuilderNode) throws -> BuilderNode {
        try addNode(.segmentCumSum, dependencies: [input, binary, first])
    }
    /// Splits a table into `numShards` shards of `shardSize` rows by the hash of `headers`.
    public func shard(
        _ table: BuilderNode, numShards: UInt64, shardSize: UInt64, headers: [String], withColumnMasks: Bool = false
    ) throws -> BuilderNode {
        let config = JSONValue.object([
            ("num_shards", .int(numShards)), ("shard_size", .int(shardSize)),
            ("shard_headers", .array(headers.map { .string($0) })),
        ])
        return try addNode(.shard(withColumnMasks: withColumnMasks, config: config), dependencies: [table])
    }
    /// SQL join of two tables on the (left header, right header) pairs.
    public func join(
        _ a: BuilderNode, _ b: BuilderNode, type: JoinType, headers: [(String, String)], withColumnMasks: Bool = false
    ) throws -> BuilderNode {
        let arguments = JSONValue.array([.string(type.rawValue), .object(headers.map { ($0.0, .string($0.1)) })])
        return try addNode(.join(withColumnMasks: withColumnMasks, arguments: arguments), dependencies: [a, b])
    }
    /// Applies a permutation (or its inverse) along the first dimension.
    public func applyPermutation(_ a: BuilderNode, permutation: BuilderNode, inverse: Bool = false) throws -> BuilderNode {
        try addNode(.applyPermutation(inverse: inverse), dependencies: [a, permutation])
    }
    /// Sorts a named tuple by its column `key`.
    public func sort(_ a: BuilderNode, key: String) throws -> BuilderNode { try addNode(.sort(key: key), dependencies: [a]) }
    /// A custom operation (comparisons, Min, Max, Mux, ...) on `arguments`.
    public func custom(_ operation: CustomOperation, _ arguments: [BuilderNode]) throws -> BuilderNode {
        try addNode(.custom(operation), dependencies: arguments)
    }
    /// Passes `a` through, printing it with `message` in CipherCore's evaluator.
    public func print(_ a: BuilderNode, message: String) throws -> BuilderNode { try addNode(.print(message), dependencies: [a]) }
    /// Passes `a` through after checking that the bit `condition` is 1.
    public func assert(_ condition: BuilderNode, _ a: BuilderNode, message: String) throws -> BuilderNode {
        try addNode(.assert(message), dependencies: [condition, a])
    }
}
