import ConfideCore

/// Rules of the table operations (Join, Shard, Sort): a table is a named tuple of columns whose
/// arrays share their first dimension (the rows).
extension TypeInference {
    /// The header of CipherCore's null column: a bit array marking which rows hold content.
    public static let nullColumnHeader = "row_mask_sentinel_639bcf36-a1b0-11ed-b93a-423c7c497182"

    /// One column of a table: an optional bit mask over the rows and the data array.
    struct TableColumn {
        var hasMask: Bool
        var dataShape: [Int]
        var scalar: ScalarType

        /// The column's type after changing its number of rows.
        func type(rows: Int) -> ValueType {
            var shape = dataShape
            shape[0] = rows
            let data = ValueType.array(shape, scalar)
            return hasMask ? .tuple([.array([rows], .bit), data]) : data
        }
    }

    /// CipherCore's `check_table_and_extract_column_types`.
    static func tableColumns(_ type: ValueType, hasNullColumn: Bool, hasColumnMasks: Bool, role: String) throws -> (headers: [String], columns: [String: TableColumn], rows: Int) {
        guard case let .namedTuple(fields) = type else {
            throw ConfideError(.typeMismatch, "\(role) must be a named tuple, found \(type)")
        }
        if hasNullColumn, fields.count < 2 {
            throw ConfideError(.typeMismatch, "\(role) must have at least two columns, one of them the null column")
        }
        if !hasNullColumn, fields.isEmpty {
            throw ConfideError(.typeMismatch, "\(role) must have at least one column")
        }
        var rows = 0
        var containsNull = false
        var columns: [String: TableColumn] = [:]
        for field in fields {
            let column = try tableColumn(field.type, header: field.name, hasColumnMask: hasColumnMasks, role: role)
            if rows == 0 { rows = column.dataShape[0] }
            guard column.dataShape[0] == rows else {
                throw ConfideError(.shapeMismatch, "\(role): columns have \(rows) and \(column.dataShape[0]) rows")
            }
            if field.name == nullColumnHeader, hasNullColumn {
                guard column.dataShape == [rows] else {
                    throw ConfideError(.shapeMismatch, "\(role): the null column has shape \(column.dataShape), expected [\(rows)]")
                }
                containsNull = true
            }
            columns[field.name] = column
        }
        if hasNullColumn, !containsNull {
            throw ConfideError(.typeMismatch, "\(role) must contain the null column")
        }
        return (fields.map(\.name), columns, rows)
    }

    /// CipherCore's `ColumnType::new`.
    private static func tableColumn(_ type: ValueType, header: String, hasColumnMask: Bool, role: String) throws -> TableColumn {
        var data = type
        var mask: ValueType?
        if hasColumnMask, header != nullColumnHeader {
            guard case let .tuple(parts) = type else {
                throw ConfideError(.typeMismatch, "\(role): column '\(header)' must be a (mask, data) tuple, found \(type)")
            }
            guard parts.count == 2 else {
                throw ConfideError(.typeMismatch, "\(role): column '\(header)' must be a tuple of two arrays, found \(type)")
            }
            mask = parts[0]
            data = parts[1]
        }
        guard case let .array(shape, scalar) = data else {
            if header == nullColumnHeader {
                throw ConfideError(.typeMismatch, "\(role): the null column must be a bit array, found \(data)")
            }
            throw ConfideError(.typeMismatch, "\(role): column '\(header)' must hold an array, found \(type)")
        }
        if let mask {
            guard mask == .array([shape[0]], .bit) else {
                throw ConfideError(.typeMismatch, "\(role): the mask of column '\(header)' must be bit[\(shape[0])], found \(mask)")
            }
        }
        if header == nullColumnHeader, scalar != .bit {
            throw ConfideError(.typeMismatch, "\(role): the null column must be binary, found \(data)")
        }
        return TableColumn(hasMask: mask != nil, dataShape: shape, scalar: scalar)
    }

    /// The join type and the key header pairs (first table's header, second table's header) of a Join
    /// node's arguments, in the order of the JSON object.
    /// - Throws: `.invalidArgument` for malformed arguments, an unknown join type or no key header.
    public static func joinArguments(_ arguments: JSONValue) throws -> (joinType: String, keys: [(String, String)]) {
        guard let items = arguments.arrayValue, items.count == 2, let joinType = items[0].stringValue,
            let headerMembers = items[1].objectValue
        else {
            throw ConfideError(.invalidArgument, "Join arguments must be [join type, {header: header}], found \(arguments.abbreviated())")
        }
        guard ["Inner", "Left", "Union", "Full"].contains(joinType) else {
            throw ConfideError(.invalidArgument, "unknown join type '\(joinType)'")
        }
        var keyPairs: [(String, String)] = []
        for (header0, value) in headerMembers {
            guard let header1 = value.stringValue else {
                throw ConfideError(.invalidArgument, "Join header '\(header0)' must map to a string, found \(value.kindName)")
            }
            if let existing = keyPairs.firstIndex(where: { $0.0 == header0 }) {
                keyPairs[existing].1 = header1
            } else {
                keyPairs.append((header0, header1))
            }
        }
        guard !keyPairs.isEmpty else { throw ConfideError(.invalidArgument, "no column headers to join on") }
        return (joinType, keyPairs)
    }

    /// Join / JoinWithColumnMasks. `arguments` is CipherCore's JSON of the operation's arguments:
    /// `["Inner" | "Left" | "Union" | "Full", {"header of table 0": "header of table 1", ...}]`.
    public static func joinType(_ first: ValueType, _ second: ValueType, arguments: JSONValue, withColumnMasks: Bool) throws -> ValueType {
        let (joinType, keyPairs) = try joinArguments(arguments)
        let table0 = try tableColumns(first, hasNullColumn: true, hasColumnMasks: withColumnMasks, role: "the first table")
        let table1 = try tableColumns(second, hasNullColumn: true, hasColumnMasks: withColumnMasks, role: "the second table")
        var keyHeaders1 = Set<String>()
        for (header0, header1) in keyPairs {
            guard header0 != nullColumnHeader, header1 != nullColumnHeader else {
                throw ConfideError(.invalidArgument, "joining on the null column is forbidden")
            }
            guard let column0 = table0.columns[header0] else {
                throw ConfideError(.invalidArgument, "the first table has no column '\(header0)'")
            }
            guard let column1 = table1.columns[header1] else {
                throw ConfideError(.invalidArgument, "the second table has no column '\(header1)'")
            }
            guard column0.dataShape.dropFirst() == column1.dataShape.dropFirst() else {
                throw ConfideError(.shapeMismatch, "columns '\(header0)' and '\(header1)' have incompatible shapes \(column0.dataShape) and \(column1.dataShape)")
            }
            guard column0.scalar == column1.scalar else {
                throw ConfideError(.typeMismatch, "columns '\(header0)' and '\(header1)' have scalar types \(column0.scalar) and \(column1.scalar)")
            }
            keyHeaders1.insert(header1)
        }
        for header in table1.headers where header != nullColumnHeader && table0.columns[header] != nil && !keyHeaders1.contains(header) {
            throw ConfideError(.invalidArgument, "both tables have a column '\(header)' that is not joined on; rename one of them")
        }
        let rows: Int
        switch joinType {
        case "Inner", "Left": rows = table0.rows
        default: rows = try inferenceSum(table0.rows, table1.rows, what: "the joined table")
        }
        var result: [ValueType.NamedType] = []
        for header in table0.headers {
            result.append(.init(header, table0.columns[header]!.type(rows: rows)))
        }
        for header in table1.headers where table0.columns[header] == nil && !keyHeaders1.contains(header) {
            result.append(.init(header, table1.columns[header]!.type(rows: rows)))
        }
        return .namedTuple(result)
    }

    /// Most shards a Shard node may produce (the result is a tuple with one element per shard).
    static let shardCountLimit = 1 << 16

    /// Shard / ShardWithColumnMasks. `config` is CipherCore's JSON of the `ShardConfig`:
    /// `{"num_shards": n, "shard_size": m, "shard_headers": ["header", ...]}`.
    static func shardType(_ input: ValueType, config: JSONValue, withColumnMasks: Bool) throws -> ValueType {
        guard let shards = config["num_shards"]?.integer(as: UInt64.self),
            let size = config["shard_size"]?.integer(as: UInt64.self),
            let headerValues = config["shard_headers"]?.arrayValue
        else {
            throw ConfideError(.invalidArgument, "Shard needs {num_shards, shard_size, shard_headers}, found \(config.abbreviated())")
        }
        var shardHeaders: [String] = []
        for value in headerValues {
            guard let header = value.stringValue else {
                throw ConfideError(.invalidArgument, "shard headers must be strings, found \(value.kindName)")
            }
            shardHeaders.append(header)
        }
        let table = try tableColumns(input, hasNullColumn: false, hasColumnMasks: withColumnMasks, role: "the sharded table")
        let (capacity, overflow) = shards.multipliedReportingOverflow(by: size)
        if !overflow, UInt64(table.rows) > capacity {
            throw ConfideError(.shapeMismatch, "\(table.rows) rows do not fit in \(shards) shards of \(size) rows")
        }
        guard !shardHeaders.isEmpty else { throw ConfideError(.invalidArgument, "at least one shard header is needed") }
        guard Set(shardHeaders).count == shardHeaders.count else {
            throw ConfideError(.invalidArgument, "shard headers \(shardHeaders) contain duplicates")
        }
        for header in shardHeaders where table.columns[header] == nil {
            throw ConfideError(.invalidArgument, "the table has no column '\(header)' to shard by")
        }
        guard shards <= UInt64(shardCountLimit) else {
            throw ConfideError(.tooLarge, "\(shards) shards are more than the \(shardCountLimit) supported")
        }
        guard size <= UInt64(Int.max) else {
            throw ConfideError(.tooLarge, "shard size \(size) does not fit in a 64-bit integer")
        }
        let rows = Int(size)
        let data = ValueType.namedTuple(table.headers.map { .init($0, table.columns[$0]!.type(rows: rows)) })
        let shard = withColumnMasks ? data : ValueType.tuple([.array([rows], .bit), data])
        _ = try inferenceProduct(try validate(shard), Int(shards), what: "\(shards) shards of type \(shard)")
        return .tuple(Array(repeating: shard, count: Int(shards)))
    }

    /// Sort(key): a named tuple of arrays with one first dimension; the key column is a 2-D bit array.
    static func sortType(_ input: ValueType, key: String) throws -> ValueType {
        guard case let .namedTuple(fields) = input else {
            throw ConfideError(.typeMismatch, "Sort needs a named tuple, found \(input)")
        }
        var rows: Int?
        var foundKey = false
        for field in fields {
            guard case let .array(shape, scalar) = field.type else {
                throw ConfideError(.typeMismatch, "column '\(field.name)' must be an array, found \(field.type)")
            }
            if field.name == key {
                foundKey = true
                guard shape.count == 2, scalar == .bit else {
                    throw ConfideError(.typeMismatch, "the key column '\(key)' must be a 2-dimensional bit array, found \(field.type)")
                }
            }
            if let rows, rows != shape[0] {
                throw ConfideError(.shapeMismatch, "column '\(field.name)' has \(shape[0]) rows, expected \(rows)")
            }
            rows = shape[0]
        }
        guard foundKey else { throw ConfideError(.invalidArgument, "there is no column named '\(key)'") }
        return input
    }
}
