import ConfideCore
import ConfideGraph

/// What a secure `Join` / `JoinWithColumnMasks` node does, derived from its types alone, so that
/// the planner's execution (``SecureProgram/joined(_:_:arguments:withColumnMasks:outputType:party:)``)
/// and its cost estimate follow the same steps:
///
/// 1. each side's validity: its null column ANDed with its key columns' masks (``ABY3Party/andAll(_:)``);
/// 2. ``ABY3Party/joinMatch(_:_:injectionBits:)`` on the key columns, delivering b's non-key
///    columns to a (Inner, Left) or a's non-key columns to b (Full), masks included;
/// 3. the rows' factors: Inner keeps a's matched rows, Left a's rows with content; Union and Full keep
///    a's rows with content and no match (one AND), then b's rows with content;
/// 4. every kept column multiplied by its row factor, in one `mulAB` per scalar type and one
///    batched AND for the bit columns and masks (``ABY3Party/mulAB(_:_:)``, ``ABY3Party/andBBBatch(_:)``).
struct SecureJoinLayout {
    /// One column of a side: its header, data type and whether it carries a mask.
    struct Column {
        var header: String
        var scalar: ScalarType
        var shape: [Int]
        var hasMask: Bool
        var rowWidth: Int { shape.dropFirst().reduce(1, *) }
    }

    let joinType: String
    /// (header in a, header in b).
    let keys: [(String, String)]
    let withColumnMasks: Bool
    let rowsA: Int, rowsB: Int
    /// The non-null columns of each side, in table order.
    let columnsA: [Column], columnsB: [Column]

    /// - Throws: the type inference's errors for malformed tables; `.unsupportedOperation` for a
    ///   key column that is neither an integer vector nor a bit array.
    init(_ a: ValueType, _ b: ValueType, arguments: JSONValue, withColumnMasks: Bool) throws {
        _ = try TypeInference.joinType(a, b, arguments: arguments, withColumnMasks: withColumnMasks)
        (joinType, keys) = try TypeInference.joinArguments(arguments)
        self.withColumnMasks = withColumnMasks
        func columns(_ type: ValueType) -> (rows: Int, columns: [Column]) {
            guard case let .namedTuple(fields) = type else { return (0, []) }
            var rows = 0
            var result: [Column] = []
            for field in fields {
                var data = field.type
                if withColumnMasks, field.name != TypeInference.nullColumnHeader, case let .tuple(parts) = field.type { data = parts[1] }
                guard case let .array(shape, scalar) = data else { continue }
                rows = shape[0]
                if field.name != TypeInference.nullColumnHeader {
                    result.append(Column(header: field.name, scalar: scalar, shape: shape, hasMask: withColumnMasks))
                }
            }
            return (rows, result)
        }
        (rowsA, columnsA) = columns(a)
        (rowsB, columnsB) = columns(b)
        for (header, _) in keys {
            let column = columnsA.first { $0.header == header }!
            guard column.scalar == .bit || column.shape.count == 1 else {
                throw ConfideError(
                    .unsupportedOperation, "the key column '\(header)' has type \(column.scalar)\(column.shape): secure joins take integer vectors or bit arrays as keys")
            }
        }
    }

    var keysA: [String] { keys.map(\.0) }
    var keysB: [String] { keys.map(\.1) }
    var nonKeysA: [Column] { columnsA.filter { !keysA.contains($0.header) } }
    var nonKeysB: [Column] { columnsB.filter { !keysB.contains($0.header) } }
    /// b's columns that a receives (Inner, Left) and a's that b receives (Full).
    var deliveredToA: [Column] { joinType == "Inner" || joinType == "Left" ? nonKeysB : [] }
    var deliveredToB: [Column] { joinType == "Full" ? nonKeysA : [] }

    /// A key column as the join kernel takes it: its scalar type and elements per row.
    static func keyColumn(_ c: Column) -> ABY3Cost.JoinColumn { ABY3Cost.JoinColumn(c.scalar, rowWidth: c.rowWidth) }

    /// Delivered columns as payload columns: the data, then (with masks) the mask.
    func payload(_ columns: [Column]) -> [ABY3Cost.JoinColumn] {
        columns.flatMap { c in [ABY3Cost.JoinColumn(c.scalar, rowWidth: c.rowWidth)] + (c.hasMask ? [ABY3Cost.JoinColumn(.bit)] : []) }
    }

    /// The columns multiplied by a row factor (step 4): first every kept mask ANDed with its row's
    /// factor (one batch), then every kept data column times its row's factor or, with masks, its
    /// new mask (an empty entry holds zero data), and with masks the delivered data times its
    /// delivered mask.
    var factoredColumns: (masks: [Int], data: [(scalar: ScalarType, count: Int)]) {
        let kept = joinType == "Inner" || joinType == "Left" ? columnsA : columnsA + columnsB
        let delivered = withColumnMasks ? (joinType == "Full" ? deliveredToB : deliveredToA) : []
        let receiverRows = joinType == "Full" ? rowsB : rowsA
        return (
            kept.filter(\.hasMask).map { $0.shape[0] },
            kept.map { ($0.scalar, $0.shape.reduce(1, *)) } + delivered.map { ($0.scalar, receiverRows * $0.rowWidth) }
        )
    }

    /// The declared cost of the whole node.
    func cost(injectionBits: Int) -> KernelCost {
        var cost = KernelCost.free
        if withColumnMasks {
            for rows in [rowsA, rowsB] where rows > 0 { cost = cost + ABY3Cost.andAll(columns: 1 + keys.count, count: rows) }
        }
        let keyColumns = keysA.map { header in Self.keyColumn(columnsA.first { $0.header == header }!) }
        cost =
            cost
            + ABY3Cost.joinMatch(
                countA: rowsA, countB: rowsB, keys: keyColumns, payloadA: payload(deliveredToB), payloadB: payload(deliveredToA),
                injectionBits: injectionBits)
        if joinType == "Union" || joinType == "Full", rowsA > 0 { cost = cost + ABY3Cost.andBB(count: rowsA) }
        let factored = factoredColumns
        return cost + ABY3Cost.andBBBatch(counts: factored.masks.filter { $0 > 0 }) + Self.factorCost(factored.data)
    }

    /// Step 4's cost: one `mulAB` per scalar type (in ``ScalarType/allCases`` order) and one batched AND.
    static func factorCost(_ columns: [(scalar: ScalarType, count: Int)]) -> KernelCost {
        var cost = KernelCost.free
        for scalar in ScalarType.allCases where scalar != .bit {
            let count = columns.filter { $0.scalar == scalar }.reduce(0) { $0 + $1.count }
            if count > 0 { cost = cost + ABY3Cost.mulAB(count: count, scalar) }
        }
        return cost + ABY3Cost.andBBBatch(counts: columns.filter { $0.scalar == .bit && $0.count > 0 }.map(\.count))
    }
}
