/// How CipherCore turns a stream of random bytes into a value of a given type (random.rs).
///
/// Values are drawn in type order (tuple, named tuple and vector children left to right). A scalar
/// or array takes the next ⌈bits/8⌉ stream bytes as its byte encoding, where bits is the total
/// size of the tensor; for `bit` tensors the last byte is shifted right by the number of unused
/// bits so that the padding is zero.
enum CipherCoreRandomLayout {
    /// Draws a value of `type` from `source`.
    /// - Throws: `.invalidType` / `.tooLarge` when the type is malformed or too large.
    static func value<S: CipherCoreByteSource>(of type: ValueType, from source: inout S) throws -> Value {
        try type.validate()
        return draw(type, from: &source)
    }

    private static func draw<S: CipherCoreByteSource>(_ type: ValueType, from source: inout S) -> Value {
        switch type {
        case let .scalar(s): return .tensor(tensor(s, shape: [], from: &source))
        case let .array(shape, s): return .tensor(tensor(s, shape: shape, from: &source))
        case let .tuple(ts): return .tuple(ts.map { draw($0, from: &source) })
        case let .namedTuple(fs): return .namedTuple(fs.map { .init($0.name, draw($0.type, from: &source)) })
        case let .vector(n, t): return .vector(elementType: t, (0..<n).map { _ in draw(t, from: &source) })
        }
    }

    /// Draws one scalar or array (the shape must already be validated).
    static func tensor<S: CipherCoreByteSource>(_ scalarType: ScalarType, shape: [Int], from source: inout S) -> Tensor {
        let n = Tensor.elementCount(shape)
        switch scalarType {
        case .bit:
            var bytes = [UInt8](repeating: 0, count: (n + 7) / 8)
            bytes.withUnsafeMutableBytes { source.fill($0) }
            if n % 8 != 0 { bytes[bytes.count - 1] >>= UInt8(8 - n % 8) }
            let words = [UInt64](unsafeUninitializedCapacity: n) { out, initialized in
                bytes.withUnsafeBufferPointer { b in
                    for i in 0..<n { out[i] = UInt64((b[i >> 3] >> UInt8(i & 7)) & 1) }
                }
                initialized = n
            }
            return Tensor(unchecked: .bit, shape: shape, storage: .narrow(words))
        case .u8, .i8: return narrow(UInt8.self, scalarType, shape, n, &source)
        case .u16, .i16: return narrow(UInt16.self, scalarType, shape, n, &source)
        case .u32, .i32: return narrow(UInt32.self, scalarType, shape, n, &source)
        case .u64, .i64: return narrow(UInt64.self, scalarType, shape, n, &source)
        case .u128, .i128:
            var words = [UInt128](repeating: 0, count: n)
            words.withUnsafeMutableBytes { source.fill($0) }
            #if _endian(big)
            for i in words.indices { words[i] = UInt128(littleEndian: words[i]) }
            #endif
            return Tensor(unchecked: scalarType, shape: shape, storage: .wide(words))
        }
    }

    private static func narrow<W: FixedWidthInteger & UnsignedInteger, S: CipherCoreByteSource>(
        _: W.Type, _ scalarType: ScalarType, _ shape: [Int], _ n: Int, _ source: inout S
    ) -> Tensor {
        var words = [W](repeating: 0, count: n)
        words.withUnsafeMutableBytes { source.fill($0) }
        if W.self == UInt64.self, let wide = words as? [UInt64] {
            #if _endian(big)
            return Tensor(unchecked: scalarType, shape: shape, storage: .narrow(wide.map { UInt64(littleEndian: $0) }))
            #else
            return Tensor(unchecked: scalarType, shape: shape, storage: .narrow(wide))
            #endif
        }
        return Tensor(unchecked: scalarType, shape: shape, storage: .narrow(words.map { UInt64(W(littleEndian: $0)) }))
    }

    /// CipherCore's PRF permutation (random.rs `output_permutation`): starting from the identity,
    /// for i = 1..<n swap positions i and j, j drawn uniformly from 0...i by rejection sampling
    /// over ⌈log2(i+1)/8⌉ + 1 little-endian stream bytes.
    static func prfPermutation<S: CipherCoreByteSource>(count n: Int, from source: inout S) -> [UInt64] {
        var a = (0..<n).map { UInt64($0) }
        if n < 2 { return a }
        for i in 1..<n {
            let modulus = UInt64(i + 1)
            // Bits of the next power of two at or above the modulus, rounded up to bytes, plus one byte.
            let bits = UInt64.bitWidth - (modulus - 1).leadingZeroBitCount
            let needBytes = (bits + 7) / 8 + 1
            let maxValue: UInt64 = needBytes >= 8 ? .max : (1 << UInt64(8 * needBytes)) - 1
            let numBiased = maxValue == .max ? (maxValue % modulus + 1) % modulus : (maxValue + 1) % modulus
            let rejectionBound = maxValue - numBiased
            var r: UInt64
            repeat { r = source.nextLittleEndian(byteCount: needBytes) } while r > rejectionBound
            a.swapAt(i, Int(r % modulus))
        }
        return a
    }
}
