import ConfideCore

#if !_endian(little)
#error("the wire codec copies words as little-endian bytes; Confide supports little-endian machines only")
#endif

/// The byte layout of share components on the wire: each element in the scalar type's width
/// (1, 2, 4, 8 or 16 bytes, little-endian); packed bits as ⌈n/8⌉ bytes.
enum WireCodec {
    /// Bytes per element of `scalarType` on the wire.
    static func byteWidth(_ scalarType: ScalarType) -> Int { scalarType.byteWidth }

    /// Encodes residues of `scalarType`.
    static func encode<W: RingWord>(_ words: [W], _ scalarType: ScalarType) -> [UInt8] {
        let width = byteWidth(scalarType)
        let total = words.count * width
        return [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
            words.withUnsafeBufferPointer { w in
                if width == MemoryLayout<W>.size {
                    UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(w))
                    initialized = total
                    return
                }
                let raw = UnsafeMutableRawBufferPointer(out)
                switch width {
                case 4:
                    for i in 0..<w.count { raw.storeBytes(of: UInt32(truncatingIfNeeded: w[i]), toByteOffset: 4 * i, as: UInt32.self) }
                    initialized = total
                    return
                case 2:
                    for i in 0..<w.count { raw.storeBytes(of: UInt16(truncatingIfNeeded: w[i]), toByteOffset: 2 * i, as: UInt16.self) }
                    initialized = total
                    return
                case 1:
                    for i in 0..<w.count { out[i] = UInt8(truncatingIfNeeded: w[i]) }
                    initialized = total
                    return
                default: break
                }
                var o = 0
                for word in w {
                    var v = word
                    for _ in 0..<width {
                        out[o] = UInt8(truncatingIfNeeded: v)
                        v >>= 8
                        o += 1
                    }
                }
            }
            initialized = total
        }
    }

    /// Decodes `count` residues of `scalarType`.
    /// - Throws: `.protocolViolation` when the byte count is not `count` elements.
    static func decode<W: RingWord>(_ bytes: [UInt8], count: Int, _ scalarType: ScalarType, from peer: Int, tag: MessageTag) throws -> [W] {
        let width = byteWidth(scalarType)
        guard bytes.count == count * width else {
            throw ConfideError(
                .protocolViolation, "party \(peer) sent \(bytes.count) bytes for tag \(tag), expected \(count * width) (\(count) × \(scalarType))")
        }
        return [W](unsafeUninitializedCapacity: count) { out, initialized in
            bytes.withUnsafeBufferPointer { b in
                if width == MemoryLayout<W>.size {
                    UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(b))
                    initialized = count
                    return
                }
                let raw = UnsafeRawBufferPointer(b)
                switch width {
                case 4:
                    for i in 0..<count { out[i] = W(raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) }
                    initialized = count
                    return
                case 2:
                    for i in 0..<count { out[i] = W(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
                    initialized = count
                    return
                case 1:
                    for i in 0..<count { out[i] = W(b[i]) }
                    initialized = count
                    return
                default: break
                }
                var o = 0
                for i in 0..<count {
                    var v = W.zero
                    for j in 0..<width { v |= W(b[o + j]) << (8 * j) }
                    out[i] = v
                    o += width
                }
            }
            initialized = count
        }
    }

    /// Encodes `count` packed bits.
    static func encodeBits(_ words: [UInt64], count: Int) -> [UInt8] {
        let total = (count + 7) / 8
        return [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
            words.withUnsafeBufferPointer { w in
                UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(w)[0..<total]))
            }
            initialized = total
        }
    }

    /// Decodes `count` packed bits.
    /// - Throws: `.protocolViolation` when the byte count is not ⌈count/8⌉.
    static func decodeBits(_ bytes: [UInt8], count: Int, from peer: Int, tag: MessageTag) throws -> [UInt64] {
        let total = (count + 7) / 8
        guard bytes.count == total else {
            throw ConfideError(.protocolViolation, "party \(peer) sent \(bytes.count) bytes for tag \(tag), expected \(total) (\(count) bits)")
        }
        var words = [UInt64](repeating: 0, count: BinaryShare.wordCount(count))
        words.withUnsafeMutableBytes { w in
            bytes.withUnsafeBytes { b in
                w.copyMemory(from: b)
            }
        }
        if let last = words.indices.last { words[last] &= BinaryShare.lastWordMask(count) }
        return words
    }
}
