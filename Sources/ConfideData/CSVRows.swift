import CSV
import ConfideCore

/// One row of a CSV table as a reader sees it: its cells, as text (headers) or read as numbers.
protocol CSVRow {
    var count: Int { get }
    /// The cell's text, for header names and for telling a header from data.
    func text(_ index: Int) -> String
    func residue(_ index: Int, _ number: NumberText) throws -> UInt128
    /// A blank line (one empty cell).
    var isBlank: Bool { get }
}

/// A row from CSV.swift's reader (any RFC 4180 file: quoted cells, escaped quotes).
struct LibraryRow: CSVRow {
    let cells: [String]
    var count: Int { cells.count }
    func text(_ index: Int) -> String { cells[index] }
    func residue(_ index: Int, _ number: NumberText) throws -> UInt128 { try number.residue(Substring(cells[index])) }
    var isBlank: Bool { cells.count <= 1 && cells.allSatisfy(\.isEmpty) }
}

/// Rows of a file without quotes, cut straight from its bytes: cells are byte ranges with the
/// spaces around them dropped, and integers are read without making strings. Lines end in LF or
/// CRLF; `line` is the true line number.
struct ByteRows {
    let bytes: UnsafeBufferPointer<UInt8>
    let delimiter: UInt8
    private var position = 0
    private(set) var line = 0
    private var cells: [Range<Int>] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
    }

    struct Row: CSVRow {
        let bytes: UnsafeBufferPointer<UInt8>
        let cells: [Range<Int>]
        var count: Int { cells.count }
        func text(_ index: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[cells[index]]), as: UTF8.self) }
        func residue(_ index: Int, _ number: NumberText) throws -> UInt128 {
            try number.residue(utf8: UnsafeBufferPointer(rebasing: bytes[cells[index]]))
        }
        var isBlank: Bool { cells.count == 1 && cells[0].isEmpty }
    }

    /// The next row, nil at the end of the file.
    mutating func next() -> Row? {
        guard position < bytes.count else { return nil }
        line += 1
        cells.removeAll(keepingCapacity: true)
        var start = position
        while true {
            var end = position
            while end < bytes.count, bytes[end] != delimiter, bytes[end] != 0x0A { end += 1 }
            var (low, high) = (start, end)
            while low < high, bytes[low] == 0x20 || bytes[low] == 0x09 { low += 1 }
            while high > low, bytes[high - 1] == 0x20 || bytes[high - 1] == 0x09 || bytes[high - 1] == 0x0D { high -= 1 }
            cells.append(low..<high)
            guard end < bytes.count, bytes[end] == delimiter else {
                position = end + 1
                return Row(bytes: bytes, cells: cells)
            }
            position = end + 1
            start = position
        }
    }
}
