import ConfideCore

/// Row operations on shares along the first dimension (local, no communication): slices,
/// concatenation and zero rows, for kernels that stack and split tables.
extension ArithmeticShare {
    /// The elements per row (the product of the dimensions after the first; 1 for a vector).
    var rowWidth: Int { shape.count <= 1 ? 1 : shape.dropFirst().reduce(1, *) }

    /// Rows `range` of the first dimension.
    func rows(_ range: Range<Int>) -> ArithmeticShare {
        let w = rowWidth
        let elements = (range.lowerBound * w)..<(range.upperBound * w)
        return ArithmeticShare(
            unchecked: scalarType, shape: [range.count] + shape.dropFirst(), first: Array(first[elements]), second: Array(second[elements]))
    }

    /// A share of `rows` zero rows shaped like this share's rows (the zero sharing: both components zero).
    func zeroRows(_ rows: Int) -> ArithmeticShare {
        let n = rows * rowWidth
        return ArithmeticShare(unchecked: scalarType, shape: [rows] + shape.dropFirst(), first: [W](repeating: 0, count: n), second: [W](repeating: 0, count: n))
    }

    /// The rows of `parts` one after another.
    /// - Throws: `.typeMismatch` when the parts differ in scalar type or row shape.
    static func concatenatedRows(_ parts: [ArithmeticShare]) throws -> ArithmeticShare {
        guard let head = parts.first else { throw ConfideError(.invalidArgument, "concatenating rows needs at least one share") }
        var first: [W] = [], second: [W] = []
        first.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        second.reserveCapacity(first.capacity)
        for part in parts {
            guard part.scalarType == head.scalarType, part.shape.dropFirst() == head.shape.dropFirst(), !part.shape.isEmpty else {
                throw ConfideError(.typeMismatch, "cannot stack the rows of \(part.type) under \(head.type)")
            }
            first += part.first
            second += part.second
        }
        let rows = parts.reduce(0) { $0 + $1.shape[0] }
        return ArithmeticShare(unchecked: head.scalarType, shape: [rows] + head.shape.dropFirst(), first: first, second: second)
    }
}

extension BinaryShare {
    /// The bits per row (the product of the dimensions after the first; 1 for a vector).
    var rowWidth: Int { shape.count <= 1 ? 1 : shape.dropFirst().reduce(1, *) }

    /// Rows `range` of the first dimension.
    func rows(_ range: Range<Int>) -> BinaryShare {
        let w = rowWidth
        let start = range.lowerBound * w, n = range.count * w
        return BinaryShare(
            unchecked: [range.count] + shape.dropFirst(), first: PackedBitLayout.copy([(first, start, n)]),
            second: PackedBitLayout.copy([(second, start, n)]))
    }

    /// `rows` zero rows shaped like this share's rows.
    func zeroRows(_ rows: Int) -> BinaryShare {
        let words = BinaryShare.wordCount(rows * rowWidth)
        return BinaryShare(unchecked: [rows] + shape.dropFirst(), first: [UInt64](repeating: 0, count: words), second: [UInt64](repeating: 0, count: words))
    }

    /// The rows of `parts` one after another.
    /// - Throws: `.typeMismatch` when the parts differ in row shape.
    static func concatenatedRows(_ parts: [BinaryShare]) throws -> BinaryShare {
        guard let head = parts.first else { throw ConfideError(.invalidArgument, "concatenating rows needs at least one share") }
        for part in parts where part.shape.dropFirst() != head.shape.dropFirst() || part.shape.isEmpty {
            throw ConfideError(.typeMismatch, "cannot stack the rows of \(part.type) under \(head.type)")
        }
        let rows = parts.reduce(0) { $0 + $1.shape[0] }
        return BinaryShare(
            unchecked: [rows] + head.shape.dropFirst(), first: PackedBitLayout.copy(parts.map { ($0.first, 0, $0.count) }),
            second: PackedBitLayout.copy(parts.map { ($0.second, 0, $0.count) }))
    }

    /// The lowest bit of every element of an arithmetic share, as a bit share (local: the lowest
    /// bit of x_0 + x_1 + x_2 is the XOR of the components' lowest bits).
    static func lowestBits<W: RingWord>(_ x: ArithmeticShare<W>) -> BinaryShare {
        BinaryShare(
            unchecked: x.shape, first: pack(x.first.map { UInt64(truncatingIfNeeded: $0 & 1) }),
            second: pack(x.second.map { UInt64(truncatingIfNeeded: $0 & 1) }))
    }

    /// Each bit repeated `times` times in place (bit i becomes bits i·times ..< (i+1)·times).
    func repeatingEachBit(_ times: Int) -> BinaryShare {
        func spread(_ words: [UInt64]) -> [UInt64] {
            let bits = BinaryShare.unpack(words, count: count)
            var out = [UInt64](repeating: 0, count: count * times)
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<count where bits[i] != 0 { for j in (i * times)..<((i + 1) * times) { o[j] = 1 } }
            }
            return BinaryShare.pack(out)
        }
        if times == 1 { return self }
        return BinaryShare(unchecked: [count * times], first: spread(first), second: spread(second))
    }
}

extension SharedTensor {
    /// Rows `range` of the first dimension (local).
    func rows(_ range: Range<Int>) -> SharedTensor {
        switch self {
        case let .arithmetic64(s): return .arithmetic64(s.rows(range))
        case let .arithmetic128(s): return .arithmetic128(s.rows(range))
        case let .binary(s): return .binary(s.rows(range))
        }
    }

    /// `rows` zero rows shaped like this share's rows (local).
    func zeroRows(_ rows: Int) -> SharedTensor {
        switch self {
        case let .arithmetic64(s): return .arithmetic64(s.zeroRows(rows))
        case let .arithmetic128(s): return .arithmetic128(s.zeroRows(rows))
        case let .binary(s): return .binary(s.zeroRows(rows))
        }
    }

    /// The rows of `parts` (all of one sharing, scalar type and row shape) one after another.
    /// - Throws: `.typeMismatch` when the parts differ.
    static func concatenatedRows(_ parts: [SharedTensor]) throws -> SharedTensor {
        switch parts.first {
        case .arithmetic64?: return .arithmetic64(try ArithmeticShare.concatenatedRows(try parts.map { try $0.arithmetic64("a stacked column") }))
        case .arithmetic128?: return .arithmetic128(try ArithmeticShare.concatenatedRows(try parts.map { try $0.arithmetic128("a stacked column") }))
        case .binary?: return .binary(try BinaryShare.concatenatedRows(try parts.map { try $0.binary("a stacked column") }))
        case nil: throw ConfideError(.invalidArgument, "concatenating rows needs at least one share")
        }
    }
}
