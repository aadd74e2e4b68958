import ConfideCore

/// One party's part of a 2-out-of-3 replicated XOR sharing (ABY3 §2.2, "binary sharing") of a
/// tensor of k-bit integers, k the width of `scalarType`: every element's k bits are XOR-shared
/// inside one word (`UInt64` for k ≤ 64, `UInt128` for k = 128).
///
/// The secret is x = x_0 ⊕ x_1 ⊕ x_2 (bitwise); party i holds `first` = x_i and `second` =
/// x_{i+1}. Components are canonical: bits above k are zero. This is the word form of CipherCore's
/// A2B layout; ``binary()`` and ``init(binary:scalarType:)`` convert to and from the bit-tensor
/// layout `[..., k]` (bit 0, the least significant, first).
public struct BitwiseShare<W: RingWord>: Sendable {
    /// The integer type whose bits are shared (never `bit`).
    public let scalarType: ScalarType
    /// `[]` for a scalar.
    public private(set) var shape: [Int]
    /// x_i, this party's own component.
    public internal(set) var first: [W]
    /// x_{i+1}, the component this party shares with its successor.
    public internal(set) var second: [W]

    /// The number of elements.
    public var count: Int { first.count }

    /// Bits per element.
    public var bits: Int { scalarType.bits }

    /// Wraps two components of `scalarType[shape]`, masking them to the type's width.
    /// - Throws: `.typeMismatch` for `bit` or when `W` is not the storage of `scalarType`;
    ///   `.shapeMismatch` when the components do not have `shape`'s element count.
    public init(scalarType: ScalarType, shape: [Int], first: [W], second: [W]) throws {
        guard scalarType != .bit, W.stores(scalarType) else {
            throw ConfideError(.typeMismatch, "bitwise shares of \(scalarType) are not stored in \(W.bitWidth)-bit words")
        }
        let n = Tensor.elementCount(shape)
        guard first.count == n, second.count == n else {
            throw ConfideError(
                .shapeMismatch, "bitwise share components of \(first.count) and \(second.count) elements do not fit shape \(shape) (\(n) elements)")
        }
        let mask = W.mask(scalarType)
        self.init(
            unchecked: scalarType, shape: shape, first: mask == W.max ? first : first.map { $0 & mask },
            second: mask == W.max ? second : second.map { $0 & mask })
    }

    init(unchecked scalarType: ScalarType, shape: [Int], first: [W], second: [W]) {
        self.scalarType = scalarType
        self.shape = shape
        self.first = first
        self.second = second
    }

    /// Reads a share in CipherCore's A2B layout: a bit share of shape `[..., k]` whose last axis
    /// holds the k bits of one number, least significant first. Local.
    /// - Throws: `.typeMismatch` for `bit` or a `W` that does not store `scalarType`;
    ///   `.shapeMismatch` unless the last axis has `scalarType.bits` bits.
    public init(binary: BinaryShare, scalarType: ScalarType) throws {
        guard scalarType != .bit, W.stores(scalarType) else {
            throw ConfideError(.typeMismatch, "bitwise shares of \(scalarType) are not stored in \(W.bitWidth)-bit words")
        }
        guard let last = binary.shape.last, last == scalarType.bits else {
            throw ConfideError(.shapeMismatch, "a binary number of \(scalarType) needs a last axis of \(scalarType.bits) bits, found \(binary.type)")
        }
        let n = binary.count / last
        self.init(
            unchecked: scalarType, shape: Array(binary.shape.dropLast()),
            first: BitStream.unpackElements(binary.first, count: n, bits: last),
            second: BitStream.unpackElements(binary.second, count: n, bits: last))
    }

    /// The share in CipherCore's A2B layout: a bit share of shape `shape + [k]`, the bits of each
    /// element least significant first. Local.
    public func binary() -> BinaryShare {
        BinaryShare(
            unchecked: shape + [bits], first: BitStream.packElements(first, bits: bits),
            second: BitStream.packElements(second, bits: bits))
    }

    /// Bit `position` (0 = least significant) of every element, as a bit share of `shape`. Local.
    /// - Throws: `.invalidArgument` unless 0 ≤ position < k.
    public func bit(_ position: Int) throws -> BinaryShare {
        guard (0..<bits).contains(position) else {
            throw ConfideError(.invalidArgument, "bit \(position) does not exist in \(scalarType) (bits 0..<\(bits))")
        }
        return BinaryShare(
            unchecked: shape, first: BitStream.extractBit(first, position), second: BitStream.extractBit(second, position))
    }

    /// The same share viewed with another shape of the same element count (local).
    /// - Throws: `.shapeMismatch` when the element counts differ.
    public func reshaped(_ newShape: [Int]) throws -> BitwiseShare {
        guard Tensor.elementCount(newShape) == count else {
            throw ConfideError(.shapeMismatch, "cannot reshape a bitwise share of \(ValueType.tensor(shape, scalarType)) to shape \(newShape)")
        }
        var copy = self
        copy.shape = newShape
        return copy
    }
}

extension BitwiseShare: CustomStringConvertible {
    /// Names the type only: share components are never printed.
    public var description: String { "BitwiseShare(\(ValueType.tensor(shape, scalarType)))" }
}

/// Local bit-layout helpers for packed bit streams (64 bits per word, least significant first):
/// element-major packing of k-bit numbers and the even/odd compaction of the carry tree. All are
/// linear over XOR, so they apply to share components.
enum BitStream {
    /// Packs the low `bits` bits of every word, element-major: bit b of element e lands at stream
    /// position e·bits + b. `bits` is a power of two ≤ 128 that fits `W`.
    static func packElements<W: RingWord>(_ words: [W], bits: Int) -> [UInt64] {
        let n = words.count
        var out = [UInt64](repeating: 0, count: BinaryShare.wordCount(n * bits))
        out.withUnsafeMutableBufferPointer { o in
            words.withUnsafeBufferPointer { w in
                if bits == 128 {
                    for i in 0..<n {
                        o[2 * i] = UInt64(truncatingIfNeeded: w[i])
                        o[2 * i + 1] = UInt64(truncatingIfNeeded: w[i] >> 64)
                    }
                } else if bits == 64 {
                    for i in 0..<n { o[i] = UInt64(truncatingIfNeeded: w[i]) }
                } else {
                    let perWord = 64 / bits
                    let mask: UInt64 = (1 << UInt64(bits)) - 1
                    for i in 0..<n {
                        o[i / perWord] |= (UInt64(truncatingIfNeeded: w[i]) & mask) << UInt64((i % perWord) * bits)
                    }
                }
            }
        }
        return out
    }

    /// The inverse of ``packElements(_:bits:)``: `count` numbers of `bits` bits.
    static func unpackElements<W: RingWord>(_ stream: [UInt64], count n: Int, bits: Int) -> [W] {
        [W](unsafeUninitializedCapacity: n) { out, initialized in
            stream.withUnsafeBufferPointer { s in
                if bits == 128 {
                    for i in 0..<n { out[i] = W(truncatingIfNeeded: s[2 * i]) | (W(truncatingIfNeeded: s[2 * i + 1]) << 64) }
                } else if bits == 64 {
                    for i in 0..<n { out[i] = W(truncatingIfNeeded: s[i]) }
                } else {
                    let perWord = 64 / bits
                    let mask: UInt64 = (1 << UInt64(bits)) - 1
                    for i in 0..<n { out[i] = W(truncatingIfNeeded: (s[i / perWord] >> UInt64((i % perWord) * bits)) & mask) }
                }
            }
            initialized = n
        }
    }

    /// Bit `position` of every word, packed.
    static func extractBit<W: RingWord>(_ words: [W], _ position: Int) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: BinaryShare.wordCount(words.count))
        out.withUnsafeMutableBufferPointer { o in
            words.withUnsafeBufferPointer { w in
                for i in 0..<w.count { o[i >> 6] |= (UInt64(truncatingIfNeeded: w[i] >> position) & 1) << UInt64(i & 63) }
            }
        }
        return out
    }

    /// The even-position bits of a word, compacted into its low 32 bits.
    @inline(__always)
    static func compactEven(_ word: UInt64) -> UInt64 {
        var x = word & 0x5555_5555_5555_5555
        x = (x | (x >> 1)) & 0x3333_3333_3333_3333
        x = (x | (x >> 2)) & 0x0F0F_0F0F_0F0F_0F0F
        x = (x | (x >> 4)) & 0x00FF_00FF_00FF_00FF
        x = (x | (x >> 8)) & 0x0000_FFFF_0000_FFFF
        x = (x | (x >> 16)) & 0x0000_0000_FFFF_FFFF
        return x
    }

    /// The bits at even (`odd` false) or odd positions of a stream of `bitCount` bits (even),
    /// compacted: a stream of bitCount/2 bits in the same order.
    static func halve(_ stream: [UInt64], bitCount: Int, odd: Bool) -> [UInt64] {
        let outWords = BinaryShare.wordCount(bitCount / 2)
        let shift: UInt64 = odd ? 1 : 0
        return [UInt64](unsafeUninitializedCapacity: outWords) { out, initialized in
            stream.withUnsafeBufferPointer { s in
                for j in 0..<outWords {
                    let lo = compactEven(s[2 * j] >> shift)
                    let hi = 2 * j + 1 < s.count ? compactEven(s[2 * j + 1] >> shift) : 0
                    out[j] = lo | (hi << 32)
                }
            }
            initialized = outWords
        }
    }

    /// Bits [start, start + count) of a stream, packed from position 0.
    static func slice(_ stream: [UInt64], start: Int, count: Int) -> [UInt64] {
        let outWords = BinaryShare.wordCount(count)
        var out = [UInt64](unsafeUninitializedCapacity: outWords) { out, initialized in
            stream.withUnsafeBufferPointer { s in
                let offset = start >> 6, shift = UInt64(start & 63)
                for j in 0..<outWords {
                    let lo = s[offset + j] >> shift
                    let hi = shift != 0 && offset + j + 1 < s.count ? s[offset + j + 1] << (64 - shift) : 0
                    out[j] = lo | hi
                }
            }
            initialized = outWords
        }
        if let last = out.indices.last { out[last] &= BinaryShare.lastWordMask(count) }
        return out
    }

    /// Element-wise XOR of equally long streams.
    @inline(__always)
    static func xor<W: RingWord>(_ a: [W], _ b: [W]) -> [W] { ABY3Party.zipWords(a, b) { $0 ^ $1 } }
}
