import CSV
import ConfideCore
import Foundation

/// One graph input read from a CSV file, typed by the graph's input type (see ``CSVLayout`` for
/// how types map onto columns).
///
/// The first row is a header when `header` says so, or, by default, when any of its cells is not
/// a number. Without `columns`, a named tuple takes its fields from the header columns of the
/// same names (other columns are ignored) and any other type takes every column in order; with
/// `columns`, exactly the named header columns are taken, in that order. Cells may have spaces
/// around them; blank lines are skipped. A file with quotes is parsed by the CSV.swift library
/// (RFC 4180 quoting); a file without any is cut straight from its bytes, about 30x faster.
///
/// Errors name the file, the line (counted from 1, header and blank lines included; in a file with
/// quotes it is the row number, which differs when a quoted cell spans lines), and the column by
/// number and header name. They never quote a cell's text.
public struct CSVInput: Sendable {
    public var path: String
    public var columns: [String]?
    public var header: Bool?
    public var fractionalBits: Int?
    public var delimiter: Character

    public init(path: String, columns: [String]? = nil, header: Bool? = nil, fractionalBits: Int? = nil, delimiter: Character = ",") {
        self.path = path
        self.columns = columns
        self.header = header
        self.fractionalBits = fractionalBits
        self.delimiter = delimiter
    }

    /// Reads the file as one value of `type`.
    /// - Parameter maxBytes: the largest file accepted (default ``InputFile/maxBytes``).
    /// - Throws: `.io` (unreadable), `.tooLarge`, `.invalidType` (a type that does not fit a table),
    ///   `.invalidValue` (malformed CSV, a missing column, a wrong row or column count, a non-number),
    ///   `.outOfRange` (a number the type cannot hold); every message starts with the path.
    public func read(as type: ValueType, maxBytes: Int = InputFile.maxBytes) throws -> Value {
        do {
            return try readUnprefixed(type, maxBytes: maxBytes)
        } catch let error as ConfideError {
            throw error.message.hasPrefix(path) ? error : error.prefixed(path)
        }
    }

    private func readUnprefixed(_ type: ValueType, maxBytes: Int) throws -> Value {
        let layout = try CSVLayout(type)
        let size = try InputFile.size(of: path)
        guard size <= maxBytes else {
            throw ConfideError(.tooLarge, "\(size) bytes is over the limit of \(maxBytes) bytes for an input file")
        }
        guard let scalar = delimiter.unicodeScalars.first, delimiter.unicodeScalars.count == 1 else {
            throw ConfideError(.invalidArgument, "the delimiter must be one character")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfideError(.io, "cannot read the file") }
        let bytes = [UInt8](data)
        // A file without quotes (the usual numeric table) is cut from its bytes; any other goes
        // through CSV.swift, which knows quoting.
        if scalar.isASCII, !bytes.contains(UInt8(ascii: "\"")) {
            return try bytes.withUnsafeBufferPointer { buffer in
                var rows = ByteRows(buffer, delimiter: UInt8(scalar.value))
                return try read(layout) { () -> (ByteRows.Row, Int)? in rows.next().map { ($0, rows.line) } }
            }
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: String(decoding: bytes, as: UTF8.self), hasHeaderRow: false, trimFields: true, delimiter: scalar)
        } catch {
            throw ConfideError(.io, "cannot read the file")
        }
        var line = 0
        let value = try read(layout) { () -> (LibraryRow, Int)? in
            line += 1
            return reader.next().map { (LibraryRow(cells: $0), line) }
        }
        if let error = Self.failure(reader) { throw Self.malformed(error, line: line) }
        return value
    }

    /// Reads a table from `next` (a row and its line number), header detection included.
    private func read<Row: CSVRow>(_ layout: CSVLayout, next: () throws -> (Row, Int)?) throws -> Value {
        var first: (row: Row, line: Int)?
        while let (row, line) = try next() {
            if !row.isBlank {
                first = (row, line)
                break
            }
        }
        guard let first else {
            throw ConfideError(.invalidValue, "the file has no rows; type \(layout.type) needs \(layout.rows)")
        }
        let width = first.row.count
        let names = (0..<width).map { first.row.text($0) }
        let hasHeader = header ?? names.contains { !NumberText.looksNumeric(Substring($0)) }
        let selection = try select(layout, header: hasHeader ? names : nil, width: width)
        var table = try CSVColumns(layout, fractionalBits: fractionalBits)
        let numbers = selection.indices.map { table.number(column: $0) }
        var rows = 0
        func take(_ row: Row, line: Int) throws {
            guard row.count == width else {
                throw ConfideError(.invalidValue, "line \(line): expected \(width) fields, found \(row.count)")
            }
            guard rows < layout.rows else {
                throw ConfideError(.invalidValue, "line \(line): more data rows than the \(layout.rows) that type \(layout.type) has")
            }
            for (k, column) in selection.enumerated() {
                do {
                    table.set(row: rows, column: k, residue: try row.residue(column, numbers[k]))
                } catch let error as ConfideError {
                    let name = hasHeader ? " ('\(names[column].prefix(64))')" : ""
                    throw error.prefixed("line \(line), column \(column + 1)\(name)")
                }
            }
            rows += 1
        }
        if !hasHeader { try take(first.row, line: first.line) }
        while let (row, line) = try next() {
            if row.isBlank { continue }
            try take(row, line: line)
        }
        guard rows == layout.rows else {
            throw ConfideError(.invalidValue, "expected \(layout.rows) data row\(layout.rows == 1 ? "" : "s") for type \(layout.type), found \(rows)")
        }
        return table.value
    }

    /// The file columns that feed the layout's columns, in layout order.
    private func select(_ layout: CSVLayout, header: [String]?, width: Int) throws -> [Int] {
        func index(of name: String) throws -> Int {
            guard let header else {
                throw ConfideError(.invalidValue, "the file has no header row, so column '\(name.prefix(64))' cannot be found (the first row is all numbers)")
            }
            guard let i = header.firstIndex(of: name) else {
                throw ConfideError(.invalidValue, "no column '\(name.prefix(64))' (the header has: \(header.map { String($0.prefix(64)) }.joined(separator: ", ")))")
            }
            return i
        }
        if let columns {
            guard columns.count == layout.width else {
                throw ConfideError(.invalidValue, "\(columns.count) columns are named, type \(layout.type) takes \(layout.width)")
            }
            return try columns.map(index(of:))
        }
        if layout.isNamed { return try layout.parts.map { try index(of: $0.name!) } }
        guard width == layout.width else {
            throw ConfideError(.invalidValue, "expected \(layout.width) column\(layout.width == 1 ? "" : "s") for type \(layout.type), found \(width)")
        }
        return Array(0..<width)
    }

    /// The reader's error, if it is one: CSV.swift reports the end of a file stream on Linux as
    /// `.cannotReadFile` (a read of zero bytes), which is not a failure.
    private static func failure(_ reader: CSVReader) -> (any Error)? {
        if case .cannotReadFile? = reader.error as? CSVError { return nil }
        return reader.error
    }

    private static func malformed(_ error: any Error, line: Int) -> ConfideError {
        let why: String
        switch error as? CSVError {
        case .unicodeDecoding?: why = "the text is not valid UTF-8"
        default: why = "cannot read the file"
        }
        return ConfideError(.invalidValue, "line \(line): \(why)")
    }
}
