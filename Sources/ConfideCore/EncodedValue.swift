/// CipherCore's untyped value tree, as in `value.proto`: a byte leaf per scalar or array, and a
/// vector node per tuple, named tuple or vector (children in type order).
///
/// Integers are little-endian, `bits/8` bytes each, row-major; `bit` arrays are packed 8 per byte,
/// least significant bit first.
public indirect enum EncodedValue: Sendable, Equatable {
    case bytes([UInt8])
    case vector([EncodedValue])
}

extension Value {
    /// Encodes the value as CipherCore's byte/vector tree.
    public func encoded() -> EncodedValue {
        switch self {
        case let .tensor(t): return .bytes(t.littleEndianBytes())
        case .tuple, .namedTuple, .vector: return .vector((children ?? []).map { $0.encoded() })
        }
    }

    /// Decodes a byte/vector tree of the given type.
    /// - Throws: `.typeMismatch` when the tree's shape or byte lengths do not match the type.
    public init(decoding encoded: EncodedValue, as type: ValueType) throws {
        switch (type, encoded) {
        case let (.scalar(s), .bytes(b)):
            self = .tensor(try Tensor(littleEndianBytes: b, scalarType: s, shape: []))
        case let (.array(shape, s), .bytes(b)):
            self = .tensor(try Tensor(littleEndianBytes: b, scalarType: s, shape: shape))
        case let (.tuple(ts), .vector(items)):
            guard ts.count == items.count else { throw ConfideError(.typeMismatch, "tuple of \(ts.count) elements encoded with \(items.count)") }
            self = .tuple(try zip(ts, items).map { try Value(decoding: $1, as: $0) })
        case let (.namedTuple(fs), .vector(items)):
            guard fs.count == items.count else { throw ConfideError(.typeMismatch, "named tuple of \(fs.count) fields encoded with \(items.count)") }
            self = .namedTuple(try zip(fs, items).map { .init($0.name, try Value(decoding: $1, as: $0.type)) })
        case let (.vector(n, t), .vector(items)):
            guard n == items.count else { throw ConfideError(.typeMismatch, "vector of \(n) elements encoded with \(items.count)") }
            self = .vector(elementType: t, try items.map { try Value(decoding: $0, as: t) })
        case (.scalar, .vector), (.array, .vector):
            throw ConfideError(.typeMismatch, "expected bytes for \(type), found a vector")
        default:
            throw ConfideError(.typeMismatch, "expected a vector for \(type), found bytes")
        }
    }
}

extension Tensor {
    /// Number of bytes in the encoding of `count` elements of `scalarType`.
    public static func encodedByteCount(_ scalarType: ScalarType, count: Int) -> Int {
        scalarType == .bit ? (count + 7) / 8 : count * scalarType.byteWidth
    }

    /// CipherCore's byte encoding of the elements.
    public func littleEndianBytes() -> [UInt8] {
        let n = count
        if scalarType == .bit {
            var out = [UInt8](repeating: 0, count: (n + 7) / 8)
            for i in 0..<n where residue(at: i) & 1 == 1 { out[i >> 3] |= UInt8(1) << UInt8(i & 7) }
            return out
        }
        let width = scalarType.byteWidth
        var out = [UInt8](repeating: 0, count: n * width)
        out.withUnsafeMutableBufferPointer { o in
            switch storage {
            case let .narrow(a):
                for i in 0..<n {
                    var v = a[i]
                    for j in 0..<width { o[i * width + j] = UInt8(truncatingIfNeeded: v); v >>= 8 }
                }
            case let .wide(a):
                for i in 0..<n {
                    var v = a[i]
                    for j in 0..<width { o[i * width + j] = UInt8(truncatingIfNeeded: v); v >>= 8 }
                }
            }
        }
        return out
    }

    /// Decodes CipherCore's byte encoding.
    /// - Throws: `.typeMismatch` when the byte count does not match the type (unused padding bits
    ///   of a bit array must be zero).
    public init(littleEndianBytes bytes: [UInt8], scalarType: ScalarType, shape: [Int]) throws {
        let n = Tensor.elementCount(shape)
        let expected = Tensor.encodedByteCount(scalarType, count: n)
        guard bytes.count == expected else {
            throw ConfideError(.typeMismatch, "\(ValueType.tensor(shape, scalarType)) needs \(expected) bytes, found \(bytes.count)")
        }
        if scalarType == .bit {
            var words = [UInt64](repeating: 0, count: n)
            for i in 0..<n { words[i] = UInt64((bytes[i >> 3] >> UInt8(i & 7)) & 1) }
            if n % 8 != 0, bytes[n / 8] >> UInt8(n % 8) != 0 {
                throw ConfideError(.typeMismatch, "bit array of \(n) elements has non-zero padding bits")
            }
            self.init(unchecked: .bit, shape: shape, storage: .narrow(words))
            return
        }
        let width = scalarType.byteWidth
        if scalarType.isWide {
            var words = [UInt128](repeating: 0, count: n)
            for i in 0..<n {
                var v: UInt128 = 0
                for j in stride(from: width - 1, through: 0, by: -1) { v = v << 8 | UInt128(bytes[i * width + j]) }
                words[i] = v
            }
            self.init(unchecked: scalarType, shape: shape, storage: .wide(words))
        } else {
            var words = [UInt64](repeating: 0, count: n)
            bytes.withUnsafeBufferPointer { b in
                for i in 0..<n {
                    var v: UInt64 = 0
                    for j in stride(from: width - 1, through: 0, by: -1) { v = v << 8 | UInt64(b[i * width + j]) }
                    words[i] = v
                }
            }
            self.init(unchecked: scalarType, shape: shape, storage: .narrow(words))
        }
    }
}
