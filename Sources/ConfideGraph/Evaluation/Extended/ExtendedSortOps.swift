import ConfideCore

/// `Sort(key)` and the custom operation `SortByIntegerKey(key)`: stable sorts of a named tuple of
/// arrays that share their first dimension, reordering every column by the key column.
enum ExtendedSortOps {
    /// `Sort(key)`: the key column is a two-dimensional bit array `[n, b]` whose rows are compared
    /// lexicographically, element 0 first (most significant), as CipherCore's evaluator does.
    static func sort(key: String, _ args: ExtendedArguments) throws -> Value {
        let (fields, n, keyField) = try keyedColumns(args, key: key)
        for field in fields where field.name == key {
            let t = field.value.tensor!
            guard t.scalarType == .bit, t.shape.count == 2 else {
                throw ConfideError(.typeMismatch, "\(args.op): the key column \"\(key)\" must be a two-dimensional bit array, found \(t.type)")
            }
        }
        let keyTensor = keyField.value.tensor!
        let order = stableOrder(count: n, packedRows: packRows(keyTensor.narrowWords!, rowLength: keyTensor.shape[1]))
        return permuted(fields, by: order)
    }

    /// The columns of the single named-tuple argument, their common length and the key column.
    /// - Throws: `.wrongInputCount`, `.typeMismatch` for a non-tuple or columns of different
    ///   lengths, `.invalidArgument` when no column is named `key`.
    private static func keyedColumns(_ args: ExtendedArguments, key: String) throws -> ([Value.NamedValue], Int, Value.NamedValue) {
        try args.expectCount(1)
        let fields = try args.namedTuple(0)
        let n = try commonLength(fields, op: args.op)
        guard let keyField = fields.first(where: { $0.name == key }) else {
            throw ConfideError(.invalidArgument, "\(args.op): the named tuple has no column named \"\(key)\"")
        }
        return (fields, n, keyField)
    }

    /// `SortByIntegerKey(key)`: the key column is a one-dimensional array of any scalar type, sorted
    /// by value (two's complement for signed types).
    static func sortByIntegerKey(_ op: CustomOperation, _ args: ExtendedArguments) throws -> Value {
        let key = try op.extendedString("key")
        let (fields, n, keyField) = try keyedColumns(args, key: key)
        for field in fields where field.name == key {
            let t = field.value.tensor!
            guard t.shape.count == 1 else {
                throw ConfideError(.typeMismatch, "\(args.op): the key column \"\(key)\" must be a one-dimensional array, found \(t.type)")
            }
        }
        let keyTensor = keyField.value.tensor!
        let s = keyTensor.scalarType
        let flip: UInt128 = s.isSigned ? UInt128(1) << UInt128(s.bits - 1) : 0
        let sortable = keyTensor.residues.map { $0 ^ flip }
        let order = (0..<n).sorted { sortable[$0] != sortable[$1] ? sortable[$0] < sortable[$1] : $0 < $1 }
        return permuted(fields, by: order)
    }

    /// Checks that every column is an array and that all share the first dimension, which is returned.
    private static func commonLength(_ fields: [Value.NamedValue], op: String) throws -> Int {
        var n: Int?
        for field in fields {
            guard let t = field.value.tensor, !t.shape.isEmpty, t.shape.allSatisfy({ $0 > 0 }) else {
                throw ConfideError(.typeMismatch, "\(op): column \"\(field.name)\" must be an array, found \(field.value.type)")
            }
            if let n, t.shape[0] != n {
                throw ConfideError(.shapeMismatch, "\(op): all columns must have the same first dimension \(n), column \"\(field.name)\" has type \(t.type)")
            }
            n = t.shape[0]
        }
        return n ?? 0
    }

    /// Each row of `rowLength` bits packed into ⌈rowLength/64⌉ words, element 0 in the top bit of the first word.
    private static func packRows(_ bits: [UInt64], rowLength: Int) -> (words: [UInt64], perRow: Int) {
        let perRow = (rowLength + 63) / 64
        let rows = rowLength == 0 ? 0 : bits.count / rowLength
        var words = [UInt64](repeating: 0, count: rows * perRow)
        bits.withUnsafeBufferPointer { b in
            for r in 0..<rows {
                for j in 0..<rowLength where b[r * rowLength + j] != 0 {
                    words[r * perRow + j / 64] |= UInt64(1) << UInt64(63 - j % 64)
                }
            }
        }
        return (words, perRow)
    }

    /// Row indices in stable lexicographic order of the packed rows.
    private static func stableOrder(count n: Int, packedRows: (words: [UInt64], perRow: Int)) -> [Int] {
        let (words, perRow) = packedRows
        return words.withUnsafeBufferPointer { w in
            (0..<n).sorted { a, b in
                for k in 0..<perRow where w[a * perRow + k] != w[b * perRow + k] {
                    return w[a * perRow + k] < w[b * perRow + k]
                }
                return a < b
            }
        }
    }

    /// Every column reordered along its first axis: row i of the result is row `order[i]`.
    private static func permuted(_ fields: [Value.NamedValue], by order: [Int]) -> Value {
        .namedTuple(fields.map { field in
            let t = field.value.tensor!
            let n = t.shape[0]
            return .init(field.name, .tensor(ExtendedPermutationOps.gatherRows(t, outer: 1, dim: n, inner: t.count / n, rows: order, shape: t.shape)))
        })
    }
}
