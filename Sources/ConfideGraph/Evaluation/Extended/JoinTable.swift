import ConfideCore

/// A table as `Join` reads and writes it: a named tuple of columns sharing their first dimension
/// (the rows), one of them CipherCore's null column (``TypeInference/nullColumnHeader``), a bit per
/// row marking the rows that hold content. With column masks every other column is a
/// `(bit[rows] mask, data)` tuple, a 0 in the mask marking an empty entry.
struct JoinTable {
    struct Column {
        var scalar: ScalarType
        /// The shape of one row's entry (the data shape without the rows).
        var rowShape: [Int]
        /// Scalar elements per row.
        var rowSize: Int
        /// Row-major residues, `rowSize` per row.
        var data: [UInt128]
        /// Per row, 1 where the entry is present (column masks only).
        var mask: [UInt8]?
    }

    /// Headers in the table's order, the null column's included.
    let headers: [String]
    private(set) var columns: [String: Column]
    /// The null column.
    private(set) var present: [UInt8]
    let hasColumnMasks: Bool

    var rows: Int { present.count }

    /// Reads a table value whose type ``TypeInference/joinType(_:_:arguments:withColumnMasks:)`` has checked.
    init(_ value: Value, hasColumnMasks: Bool) throws {
        guard case let .namedTuple(fields) = value else { throw ConfideError(.typeMismatch, "a table must be a named tuple, found \(value.type)") }
        self.hasColumnMasks = hasColumnMasks
        headers = fields.map(\.name)
        columns = [:]
        present = []
        for field in fields {
            if field.name == TypeInference.nullColumnHeader {
                present = field.value.tensor!.residues.map { UInt8(truncatingIfNeeded: $0) }
                continue
            }
            var mask: [UInt8]?
            var data = field.value
            if hasColumnMasks, case let .tuple(parts) = field.value {
                mask = parts[0].tensor!.residues.map { UInt8(truncatingIfNeeded: $0) }
                data = parts[1]
            }
            let t = data.tensor!
            let rowShape = Array(t.shape.dropFirst())
            columns[field.name] = Column(scalar: t.scalarType, rowShape: rowShape, rowSize: Tensor.elementCount(rowShape), data: t.residues, mask: mask)
        }
    }

    /// An empty table of the given (checked) type, to be filled row by row.
    init(empty type: ValueType, hasColumnMasks: Bool) {
        guard case let .namedTuple(fields) = type else { preconditionFailure("a checked table type is a named tuple") }
        self.hasColumnMasks = hasColumnMasks
        headers = fields.map(\.name)
        columns = [:]
        present = []
        for field in fields where field.name != TypeInference.nullColumnHeader {
            var data = field.type
            if hasColumnMasks, case let .tuple(parts) = field.type { data = parts[1] }
            guard case let .array(shape, scalar) = data else { preconditionFailure("a checked column is an array") }
            let rowShape = Array(shape.dropFirst())
            let rowSize = Tensor.elementCount(rowShape)
            var column = Column(scalar: scalar, rowShape: rowShape, rowSize: rowSize, data: [], mask: hasColumnMasks ? [] : nil)
            column.data.reserveCapacity(shape[0] * rowSize)
            column.mask?.reserveCapacity(shape[0])
            columns[field.name] = column
        }
    }

    func hasColumn(_ header: String) -> Bool { header == TypeInference.nullColumnHeader || columns[header] != nil }

    /// Whether the row is empty (its null bit is 0) or has an empty entry (mask 0) in one of `headers`.
    func hasEmptyEntries(_ row: Int, in headers: [String]) -> Bool {
        if present[row] == 0 { return true }
        return headers.contains { columns[$0]!.mask?[row] == 0 }
    }

    /// The key of a row: the entries of `headers` one after another.
    func key(_ row: Int, _ headers: [String]) -> [UInt128] {
        var key: [UInt128] = []
        for header in headers {
            let column = columns[header]!
            key.append(contentsOf: column.data[(row * column.rowSize)..<((row + 1) * column.rowSize)])
        }
        return key
    }

    /// The row of each key among the rows with content and no empty key entry.
    /// - Throws: `.invalidValue` when two such rows have the same key (CipherCore's Join needs unique keys).
    func keyIndex(_ headers: [String], role: String) throws -> [[UInt128]: Int] {
        var index: [[UInt128]: Int] = [:]
        for row in 0..<rows where !hasEmptyEntries(row, in: headers) {
            if let earlier = index.updateValue(row, forKey: key(row, headers)) {
                throw ConfideError(.invalidValue, "rows \(earlier) and \(row) of \(role) have the same key; Join needs unique keys among the rows with content")
            }
        }
        return index
    }

    // MARK: filling

    /// Appends a row with 0 in the null column and zero (empty) entries everywhere.
    mutating func appendEmptyRow() {
        present.append(0)
        for header in columns.keys { appendZero(header) }
    }

    mutating func appendPresent(_ bit: UInt8) { present.append(bit) }

    /// Appends an empty (zero, mask 0) entry to one column.
    mutating func appendZero(_ header: String) {
        columns[header]!.data.append(contentsOf: repeatElement(0, count: columns[header]!.rowSize))
        columns[header]!.mask?.append(0)
    }

    /// Appends the entry of `source`'s column `sourceHeader` in `row` to column `header` (the null bit
    /// for the null column); an entry with mask 0 is appended as an empty entry.
    mutating func copy(_ header: String, from source: JoinTable, _ sourceHeader: String, row: Int) {
        if header == TypeInference.nullColumnHeader {
            present.append(source.present[row])
            return
        }
        let column = source.columns[sourceHeader]!
        if let mask = column.mask, mask[row] == 0 {
            appendZero(header)
            return
        }
        columns[header]!.data.append(contentsOf: column.data[(row * column.rowSize)..<((row + 1) * column.rowSize)])
        columns[header]!.mask?.append(1)
    }

    /// The table as a named tuple, columns in header order.
    var value: Value {
        .namedTuple(
            headers.map { header in
                if header == TypeInference.nullColumnHeader {
                    return .init(header, .tensor(Tensor(.bit, shape: [rows], residues: present.map { UInt128($0) })))
                }
                let column = columns[header]!
                let data = Value.tensor(Tensor(column.scalar, shape: [rows] + column.rowShape, residues: column.data))
                guard let mask = column.mask else { return .init(header, data) }
                return .init(header, .tuple([.tensor(Tensor(.bit, shape: [rows], residues: mask.map { UInt128($0) })), data]))
            })
    }
}
