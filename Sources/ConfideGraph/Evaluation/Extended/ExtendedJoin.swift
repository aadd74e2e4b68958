import ConfideCore

/// `Join` and `JoinWithColumnMasks` with CipherCore's plaintext semantics.
///
/// A row of the first table `a` and one of the second table `b` match when both have content (null
/// bit 1), no empty key entry (mask 1 in every key column) and equal keys (the key columns' entries,
/// compared as residues). Keys must be unique among such rows of each table. The result has the
/// columns of `a`, then the non-key columns of `b`; a zero row has null bit 0, zero data and mask 0.
/// - Inner: `a.rows` rows; row i is a's row i with b's non-key entries of its match, or a zero row
///   when it has none.
/// - Left: `a.rows` rows; every a row with content is copied, with b's non-key entries of its match
///   or empty entries.
/// - Union: `a.rows + b.rows` rows; the a rows with content and no match are copied (empty entries in
///   b's columns), matched ones become zero rows; then every b row with content, its key in a's key
///   columns and a's other columns empty.
/// - Full: Union of `a` with Left(b, a): the matched rows appear once, among the b rows.
enum ExtendedJoin {
    static func evaluate(withColumnMasks: Bool, arguments: JSONValue, _ args: ExtendedArguments) throws -> Value {
        try args.expectCount(2)
        let resultType = try TypeInference.joinType(args.values[0].type, args.values[1].type, arguments: arguments, withColumnMasks: withColumnMasks)
        let (joinType, keys) = try TypeInference.joinArguments(arguments)
        let a = try JoinTable(args.values[0], hasColumnMasks: withColumnMasks)
        let b = try JoinTable(args.values[1], hasColumnMasks: withColumnMasks)
        return try join(joinType, a, b, keys: keys, resultType: resultType, roles: ("the first table", "the second table")).value
    }

    /// - Parameter keys: pairs (header in `a`, header in `b`).
    private static func join(
        _ joinType: String, _ a: JoinTable, _ b: JoinTable, keys: [(String, String)], resultType: ValueType, roles: (String, String)
    ) throws -> JoinTable {
        let keys0 = keys.map(\.0), keys1 = keys.map(\.1)
        _ = try a.keyIndex(keys0, role: roles.0)
        if joinType == "Full" {
            // Left(b, a): b's columns, then a's non-key columns with b's rows.
            guard case let .namedTuple(fields0) = resultType else { preconditionFailure("a checked join type is a named tuple") }
            var fields: [ValueType.NamedType] = []
            for header in b.headers {
                let type = keys1.contains(header) ? keyType(header, keys: keys, fields0) : fields0.first { $0.name == header }!.type
                fields.append(.init(header, rowsChanged(type, to: b.rows)))
            }
            for field in fields0 where a.hasColumn(field.name) && field.name != TypeInference.nullColumnHeader && !keys0.contains(field.name) {
                fields.append(.init(field.name, rowsChanged(field.type, to: b.rows)))
            }
            let left = try join("Left", b, a, keys: keys.map { ($0.1, $0.0) }, resultType: .namedTuple(fields), roles: (roles.1, roles.0))
            return try join("Union", a, left, keys: keys, resultType: resultType, roles: roles)
        }
        let match = try b.keyIndex(keys1, role: roles.1)
        let nonKeys1 = b.headers.filter { $0 != TypeInference.nullColumnHeader && !keys1.contains($0) }
        var result = JoinTable(empty: resultType, hasColumnMasks: a.hasColumnMasks)
        for row in 0..<a.rows {
            let partner = a.hasEmptyEntries(row, in: keys0) ? nil : match[a.key(row, keys0)]
            switch joinType {
            case "Inner":
                guard let partner else {
                    result.appendEmptyRow()
                    continue
                }
                for header in a.headers { result.copy(header, from: a, header, row: row) }
                for header in nonKeys1 { result.copy(header, from: b, header, row: partner) }
            case "Left":
                guard a.present[row] == 1 else {
                    result.appendEmptyRow()
                    continue
                }
                for header in a.headers { result.copy(header, from: a, header, row: row) }
                for header in nonKeys1 {
                    if let partner { result.copy(header, from: b, header, row: partner) } else { result.appendZero(header) }
                }
            default:
                guard a.present[row] == 1, partner == nil else {
                    result.appendEmptyRow()
                    continue
                }
                for header in a.headers { result.copy(header, from: a, header, row: row) }
                // In Full, b (a left join) repeats a's non-key columns: they are filled from a already.
                for header in nonKeys1 where !a.hasColumn(header) { result.appendZero(header) }
            }
        }
        guard joinType == "Union" else { return result }
        let keyOf = Dictionary(keys, uniquingKeysWith: { first, _ in first })
        for row in 0..<b.rows {
            guard b.present[row] == 1 else {
                result.appendEmptyRow()
                continue
            }
            for header in result.headers {
                if header == TypeInference.nullColumnHeader {
                    result.appendPresent(1)
                } else if let header1 = keyOf[header] {
                    result.copy(header, from: b, header1, row: row)
                } else if nonKeys1.contains(header) {
                    result.copy(header, from: b, header, row: row)
                } else {
                    result.appendZero(header)
                }
            }
        }
        return result
    }

    /// The type of b's key column `header1`: a's key column's type in the result.
    private static func keyType(_ header1: String, keys: [(String, String)], _ fields0: [ValueType.NamedType]) -> ValueType {
        let header0 = keys.first { $0.1 == header1 }!.0
        return fields0.first { $0.name == header0 }!.type
    }

    /// A column type with `rows` rows (the mask's too).
    private static func rowsChanged(_ type: ValueType, to rows: Int) -> ValueType {
        switch type {
        case let .array(shape, scalar): return .array([rows] + shape.dropFirst(), scalar)
        case let .tuple(parts): return .tuple(parts.map { rowsChanged($0, to: rows) })
        default: return type
        }
    }
}
