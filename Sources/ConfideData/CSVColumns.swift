import ConfideCore

/// The cells of a CSV table as they are read, kept in the contiguous storage of the value's
/// tensors (64-bit words, or 128-bit for u128/i128), then assembled into the value of a ``CSVLayout``.
struct CSVColumns {
    private enum Buffer {
        case narrow([UInt64])
        case wide([UInt128])
    }

    private let layout: CSVLayout
    private var buffers: [Buffer]
    private let readers: [NumberText]
    /// For each layout column: its part and its column within the part.
    private let placement: [(part: Int, offset: Int)]

    init(_ layout: CSVLayout, fractionalBits: Int?) throws {
        self.layout = layout
        buffers = layout.parts.map { part in
            let count = part.shape.reduce(1, *)
            return part.scalarType.isWide ? .wide([UInt128](repeating: 0, count: count)) : .narrow([UInt64](repeating: 0, count: count))
        }
        readers = try layout.parts.map { try NumberText($0.scalarType, fractionalBits: fractionalBits) }
        placement = layout.parts.enumerated().flatMap { index, part in (0..<part.width).map { (index, $0) } }
    }

    /// How the cells of layout column `column` are read.
    func number(column: Int) -> NumberText { readers[placement[column].part] }

    /// Stores the residue of data row `row` (from 0) in layout column `column`.
    mutating func set(row: Int, column: Int, residue: UInt128) {
        let (part, offset) = placement[column]
        let index = row * layout.parts[part].width + offset
        switch buffers[part] {
        case var .narrow(words):
            buffers[part] = .narrow([])
            words[index] = UInt64(truncatingIfNeeded: residue)
            buffers[part] = .narrow(words)
        case var .wide(words):
            buffers[part] = .wide([])
            words[index] = residue
            buffers[part] = .wide(words)
        }
    }

    /// The value read so far, shaped by the layout.
    var value: Value {
        let tensors = zip(layout.parts, buffers).map { part, buffer -> Value in
            switch buffer {
            case let .narrow(words): return .tensor(Tensor(part.scalarType, shape: part.shape, narrow: words))
            case let .wide(words): return .tensor(Tensor(part.scalarType, shape: part.shape, wide: words))
            }
        }
        switch layout.type {
        case .scalar, .array: return tensors[0]
        case .namedTuple: return .namedTuple(zip(layout.parts, tensors).map { .init($0.name!, $1) })
        default: return .tuple(tensors)
        }
    }
}
