/// CipherCore's byte encoding of a scalar or array (the `bytes` leaf of `value.proto`).
///
/// Integers are little-endian, `bits/8` bytes each, row-major, two's complement modulo 2^bits;
/// `bit` tensors are packed 8 per byte, least significant bit first, with zero padding bits.
extension Tensor {
    /// Number of bytes in the encoding of `count` elements of `scalarType` (saturating).
    public static func encodedByteCount(_ scalarType: ScalarType, count: Int) -> Int {
        if scalarType == .bit { return count / 8 + (count % 8 == 0 ? 0 : 1) }
        let (r, o) = count.multipliedReportingOverflow(by: scalarType.byteWidth)
        return o ? .max : r
    }

    /// CipherCore's byte encoding of the elements.
    public func littleEndianBytes() -> [UInt8] {
        let n = count
        let byteCount = Tensor.encodedByteCount(scalarType, count: n)
        return [UInt8](unsafeUninitializedCapacity: byteCount) { out, initialized in
            switch storage {
            case let .narrow(a):
                a.withUnsafeBufferPointer { src in
                    switch scalarType.bits {
                    case 1: Tensor.packBits(src, into: out)
                    case 8: for i in 0..<n { out[i] = UInt8(truncatingIfNeeded: src[i]) }
                    case 16: Tensor.storeLittleEndian(src, as: UInt16.self, into: out)
                    case 32: Tensor.storeLittleEndian(src, as: UInt32.self, into: out)
                    default: Tensor.storeLittleEndian(src, as: UInt64.self, into: out)
                    }
                }
            case let .wide(a):
                a.withUnsafeBufferPointer { src in
                    let raw = UnsafeMutableRawBufferPointer(out)
                    for i in 0..<n {
                        raw.storeBytes(of: src[i].littleEndian, toByteOffset: i * 16, as: UInt128.self)
                    }
                }
            }
            initialized = byteCount
        }
    }

    private static func packBits(_ src: UnsafeBufferPointer<UInt64>, into out: UnsafeMutableBufferPointer<UInt8>) {
        let n = src.count
        var i = 0
        var byte = 0
        while i < n {
            var packed: UInt8 = 0
            let end = min(i + 8, n)
            var shift: UInt8 = 0
            while i < end {
                packed |= UInt8(truncatingIfNeeded: src[i] & 1) << shift
                shift += 1
                i += 1
            }
            out[byte] = packed
            byte += 1
        }
    }

    private static func storeLittleEndian<W: FixedWidthInteger>(
        _ src: UnsafeBufferPointer<UInt64>, as _: W.Type, into out: UnsafeMutableBufferPointer<UInt8>
    ) {
        let raw = UnsafeMutableRawBufferPointer(out)
        let width = MemoryLayout<W>.size
        for i in 0..<src.count {
            raw.storeBytes(of: W(truncatingIfNeeded: src[i]).littleEndian, toByteOffset: i * width, as: W.self)
        }
    }

    /// Decodes CipherCore's byte encoding.
    /// - Throws: `.invalidType` for a shape with a non-positive dimension or too many elements;
    ///   `.typeMismatch` when the byte count does not match the type or when the unused padding
    ///   bits of a bit tensor are not zero.
    public init(littleEndianBytes bytes: [UInt8], scalarType: ScalarType, shape: [Int]) throws {
        let type = ValueType.tensor(shape, scalarType)
        try type.validate()
        let n = Tensor.elementCount(shape)
        let expected = Tensor.encodedByteCount(scalarType, count: n)
        guard bytes.count == expected else {
            throw ConfideError(.typeMismatch, "\(type) needs \(expected) bytes, found \(bytes.count)")
        }
        if scalarType == .bit {
            if n % 8 != 0, bytes[n / 8] >> UInt8(n % 8) != 0 {
                throw ConfideError(.typeMismatch, "\(type) has non-zero padding bits")
            }
            let words = [UInt64](unsafeUninitializedCapacity: n) { out, initialized in
                bytes.withUnsafeBufferPointer { b in
                    for i in 0..<n { out[i] = UInt64((b[i >> 3] >> UInt8(i & 7)) & 1) }
                }
                initialized = n
            }
            self.init(unchecked: .bit, shape: shape, storage: .narrow(words))
            return
        }
        switch scalarType.bits {
        case 8:
            let words = [UInt64](unsafeUninitializedCapacity: n) { out, initialized in
                bytes.withUnsafeBufferPointer { b in
                    for i in 0..<n { out[i] = UInt64(b[i]) }
                }
                initialized = n
            }
            self.init(unchecked: scalarType, shape: shape, storage: .narrow(words))
        case 16: self.init(unchecked: scalarType, shape: shape, storage: .narrow(Tensor.loadLittleEndian(bytes, n, as: UInt16.self)))
        case 32: self.init(unchecked: scalarType, shape: shape, storage: .narrow(Tensor.loadLittleEndian(bytes, n, as: UInt32.self)))
        case 64: self.init(unchecked: scalarType, shape: shape, storage: .narrow(Tensor.loadLittleEndian(bytes, n, as: UInt64.self)))
        default:
            let words = [UInt128](unsafeUninitializedCapacity: n) { out, initialized in
                bytes.withUnsafeBytes { raw in
                    for i in 0..<n {
                        out[i] = UInt128(littleEndian: raw.loadUnaligned(fromByteOffset: i * 16, as: UInt128.self))
                    }
                }
                initialized = n
            }
            self.init(unchecked: scalarType, shape: shape, storage: .wide(words))
        }
    }

    private static func loadLittleEndian<W: FixedWidthInteger>(_ bytes: [UInt8], _ n: Int, as _: W.Type) -> [UInt64] {
        let width = MemoryLayout<W>.size
        return [UInt64](unsafeUninitializedCapacity: n) { out, initialized in
            bytes.withUnsafeBytes { raw in
                for i in 0..<n {
                    out[i] = UInt64(truncatingIfNeeded: W(littleEndian: raw.loadUnaligned(fromByteOffset: i * width, as: W.self)))
                }
            }
            initialized = n
        }
    }
}
