import ConfideCore
import ConfideGraph

/// Rearranging operations on packed bit tensors without unpacking them: the layouts the planner's
/// bit manipulations use most (a leading index, a slice of leading rows, stacking and
/// concatenating along the first axis, a reshape, a rotation of the axes (a transpose)).
///
/// Each works on one packed component (an XOR share component or any packed bits), so applying
/// it to both components of a ``BinaryShare`` is a local operation. An operation outside these
/// layouts returns nil and the caller takes the general path through the evaluator.
enum PackedBitLayout {
    /// The result shape and the packed components of `op` on `inputs`, or nil when `op` is not one
    /// of the fast layouts.
    /// - Parameters:
    ///   - shapes: the inputs' shapes.
    ///   - components: per input, its packed words.
    static func apply(_ op: Operation, shapes: [[Int]], _ components: [[UInt64]]) -> (shape: [Int], words: [UInt64])? {
        switch op {
        case let .reshape(type):
            guard shapes.count == 1, let shape = type.shape, Tensor.elementCount(shape) == Tensor.elementCount(shapes[0]) else { return nil }
            return (shape, components[0])
        case let .get(index):
            guard shapes.count == 1, index.count <= shapes[0].count else { return nil }
            let shape = shapes[0]
            var offset = 0
            for (axis, i) in index.enumerated() {
                guard (0..<shape[axis]).contains(i) else { return nil }
                offset = offset * shape[axis] + i
            }
            let rest = Array(shape[index.count...])
            let inner = Tensor.elementCount(rest)
            return (rest, copy([(components[0], offset * inner, inner)]))
        case let .getSlice(elements):
            guard shapes.count == 1, elements.count == 1 || (elements.count == 2 && elements[1] == .ellipsis),
                case let .subArray(start, stop, step) = elements[0], step == nil || step == 1, let rows = shapes[0].first
            else { return nil }
            // Python's negative bounds; a slice that would visit a row outside the array, or no row, is
            // left to the evaluator (which reports it or gives the empty result).
            let lower = bound(start ?? 0, rows), upper = bound(stop ?? rows, rows)
            guard lower < upper, lower >= 0, upper <= rows else { return nil }
            let count = upper - lower
            let inner = Tensor.elementCount(Array(shapes[0].dropFirst()))
            return ([count] + shapes[0].dropFirst(), copy([(components[0], lower * inner, count * inner)]))
        case let .concatenate(axis):
            guard axis == 0, let first = shapes.first, !first.isEmpty,
                shapes.allSatisfy({ $0.count == first.count && Array($0.dropFirst()) == Array(first.dropFirst()) })
            else { return nil }
            let parts = zip(components, shapes).map { ($0, 0, Tensor.elementCount($1)) }
            return ([shapes.reduce(0) { $0 + $1[0] }] + first.dropFirst(), copy(parts))
        case let .stack(outer):
            guard let first = shapes.first, shapes.allSatisfy({ $0 == first }), Tensor.elementCount(outer) == shapes.count else { return nil }
            return (outer + first, copy(zip(components, shapes).map { ($0, 0, Tensor.elementCount($1)) }))
        case let .permuteAxes(axes):
            // A rotation of the axes is a transpose of the matrix [leading axes, the rest].
            guard shapes.count == 1, shapes[0].count >= 2 else { return nil }
            let shape = shapes[0], rank = shape.count
            if axes == [rank - 1] + Array(0..<(rank - 1)) {
                let rows = Tensor.elementCount(Array(shape[0..<(rank - 1)]))
                return ([shape[rank - 1]] + shape[0..<(rank - 1)], transpose(components[0], rows: rows, columns: shape[rank - 1]))
            }
            if axes == Array(1..<rank) + [0] {
                let columns = Tensor.elementCount(Array(shape[1...]))
                return (Array(shape[1...]) + [shape[0]], transpose(components[0], rows: shape[0], columns: columns))
            }
            return nil
        default:
            return nil
        }
    }

    /// A Python-style bound on `count` rows: a negative one counts from the end.
    private static func bound(_ i: Int, _ count: Int) -> Int {
        i < 0 ? i + count : i
    }

    /// The bit ranges (words, first bit, bit count) one after another, packed.
    static func copy(_ ranges: [([UInt64], Int, Int)]) -> [UInt64] {
        let total = ranges.reduce(0) { $0 + $1.2 }
        var out = [UInt64](repeating: 0, count: BinaryShare.wordCount(total))
        out.withUnsafeMutableBufferPointer { dst in
            var at = 0
            for (words, start, count) in ranges {
                words.withUnsafeBufferPointer { src in copyBits(src, from: start, count: count, to: dst, at: at) }
                at += count
            }
        }
        return out
    }

    /// ORs `count` bits of `src` from bit `start` into `dst` from bit `at` (`dst` zero there).
    static func copyBits(_ src: UnsafeBufferPointer<UInt64>, from start: Int, count: Int, to dst: UnsafeMutableBufferPointer<UInt64>, at: Int) {
        var p = start, q = at, remaining = count
        while remaining > 0 {
            let k = min(64 - (q & 63), remaining)
            let shift = p & 63
            var value = src[p >> 6] >> UInt64(shift)
            if shift != 0, shift + k > 64 { value |= src[(p >> 6) + 1] << UInt64(64 - shift) }
            if k < 64 { value &= (UInt64(1) << UInt64(k)) - 1 }
            dst[q >> 6] |= value << UInt64(q & 63)
            p += k
            q += k
            remaining -= k
        }
    }

    /// Each row of `width` bits shifted down by `d` (bit j becomes bit j + d), the top `d` bits
    /// filled with the row's top bit (`signed`: an arithmetic shift of two's-complement numbers) or
    /// zero: the bits of ⌊x / 2^d⌋ for each row's number x.
    static func shiftedRows(_ words: [UInt64], rows: Int, width k: Int, by d: Int, signed: Bool) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: words.count)
        words.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for row in 0..<rows {
                    let base = row * k
                    copyBits(src, from: base + d, count: k - d, to: dst, at: base)
                    guard signed, (src[(base + k - 1) >> 6] >> UInt64((base + k - 1) & 63)) & 1 == 1 else { continue }
                    for j in (base + k - d)..<(base + k) { dst[j >> 6] |= 1 << UInt64(j & 63) }
                }
            }
        }
        return out
    }

    /// The packed transpose of a rows × columns bit matrix.
    static func transpose(_ words: [UInt64], rows: Int, columns: Int) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: BinaryShare.wordCount(rows * columns))
        words.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows {
                    let base = r * columns
                    for c in 0..<columns {
                        let bit = (src[(base + c) >> 6] >> UInt64((base + c) & 63)) & 1
                        let target = c * rows + r
                        dst[target >> 6] |= bit << UInt64(target & 63)
                    }
                }
            }
        }
        return out
    }
}
