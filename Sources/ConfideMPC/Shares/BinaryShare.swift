import ConfideCore

/// One party's part of a 2-out-of-3 replicated XOR sharing (ABY3 §2.2) of a bit tensor.
///
/// The secret is b = b_0 ⊕ b_1 ⊕ b_2; party i holds `first` = b_i and `second` = b_{i+1}. Bits are
/// packed 64 to a word in row-major element order, least significant bit first; the unused high
/// bits of the last word are zero.
public struct BinaryShare: Sendable {
    /// `[]` for a scalar.
    public private(set) var shape: [Int]
    /// The number of bits.
    public let count: Int
    /// b_i, packed.
    public internal(set) var first: [UInt64]
    /// b_{i+1}, packed.
    public internal(set) var second: [UInt64]

    /// The number of words that hold `count` bits.
    public static func wordCount(_ count: Int) -> Int { (count + 63) >> 6 }

    /// The mask of the used bits of the last word (all ones when the last word is full).
    static func lastWordMask(_ count: Int) -> UInt64 {
        let r = count & 63
        return r == 0 ? .max : (UInt64(1) << UInt64(r)) - 1
    }

    /// The CipherCore type of the shared value.
    public var type: ValueType { .tensor(shape, .bit) }

    /// Wraps two packed components.
    /// - Throws: `.shapeMismatch` when the word counts do not fit `shape`.
    public init(shape: [Int], first: [UInt64], second: [UInt64]) throws {
        let n = Tensor.elementCount(shape)
        let words = BinaryShare.wordCount(n)
        guard first.count == words, second.count == words else {
            throw ConfideError(
                .shapeMismatch, "packed components of \(first.count) and \(second.count) words do not fit shape \(shape) (\(words) words)")
        }
        self.init(unchecked: shape, first: first, second: second)
        clearUnusedBits()
    }

    init(unchecked shape: [Int], first: [UInt64], second: [UInt64]) {
        self.shape = shape
        self.count = Tensor.elementCount(shape)
        self.first = first
        self.second = second
    }

    /// Zeroes the bits past `count` in the last word of both components.
    mutating func clearUnusedBits() {
        guard let last = first.indices.last else { return }
        let mask = BinaryShare.lastWordMask(count)
        first[last] &= mask
        second[last] &= mask
    }

    /// The same share with another shape of the same bit count (local, no communication).
    /// - Throws: `.shapeMismatch` when the counts differ.
    public func reshaped(_ newShape: [Int]) throws -> BinaryShare {
        guard Tensor.elementCount(newShape) == count else {
            throw ConfideError(.shapeMismatch, "cannot reshape \(type) to shape \(newShape)")
        }
        var copy = self
        copy.shape = newShape
        return copy
    }

    /// Packs one bit per element (bit tensor residues 0/1) into words.
    public static func pack(_ bits: [UInt64]) -> [UInt64] {
        let n = bits.count
        return [UInt64](unsafeUninitializedCapacity: wordCount(n)) { out, initialized in
            bits.withUnsafeBufferPointer { b in
                var w = 0
                var start = 0
                while start < n {
                    let end = min(start + 64, n)
                    var word: UInt64 = 0
                    var shift: UInt64 = 0
                    for i in start..<end {
                        word |= (b[i] & 1) << shift
                        shift &+= 1
                    }
                    out[w] = word
                    w += 1
                    start = end
                }
            }
            initialized = wordCount(n)
        }
    }

    /// The packed bits of several columns of `count` bits each, one after another, as one packed
    /// column of `parts.count · count` bits (words shifted into place; no unpacking).
    public static func concatenated(_ parts: [[UInt64]], count: Int) -> [UInt64] {
        let total = parts.count * count
        var out = [UInt64](repeating: 0, count: wordCount(total))
        out.withUnsafeMutableBufferPointer { o in
            for (j, part) in parts.enumerated() {
                let offset = j * count
                part.withUnsafeBufferPointer { w in
                    for k in 0..<wordCount(count) {
                        let valid = min(64, count - k * 64)
                        let word = valid == 64 ? w[k] : w[k] & ((1 << UInt64(valid)) - 1)
                        let bit = offset + k * 64
                        let (index, shift) = (bit >> 6, UInt64(bit & 63))
                        o[index] |= word << shift
                        if shift > 0, index + 1 < o.count { o[index + 1] |= word >> (64 - shift) }
                    }
                }
            }
        }
        return out
    }

    /// Unpacks `count` bits into one word (0 or 1) per element.
    public static func unpack(_ words: [UInt64], count: Int) -> [UInt64] {
        [UInt64](unsafeUninitializedCapacity: count) { out, initialized in
            words.withUnsafeBufferPointer { w in
                for i in 0..<count { out[i] = (w[i >> 6] >> UInt64(i & 63)) & 1 }
            }
            initialized = count
        }
    }
}

extension BinaryShare: CustomStringConvertible {
    /// Names the type only: share components are never printed.
    public var description: String { "BinaryShare(\(type))" }
}
