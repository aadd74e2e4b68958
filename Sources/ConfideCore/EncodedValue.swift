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
    /// Encodes the value as CipherCore's byte/vector tree (see ``Tensor/littleEndianBytes()``).
    public func encoded() -> EncodedValue {
        switch self {
        case let .tensor(t): return .bytes(t.littleEndianBytes())
        case .tuple, .namedTuple, .vector: return .vector((children ?? []).map { $0.encoded() })
        }
    }

    /// Decodes a byte/vector tree of the given type.
    /// - Throws: `.invalidType` / `.tooLarge` when the type is malformed; `.typeMismatch` when the
    ///   tree's shape, child counts or byte lengths do not match the type, or when a bit array's
    ///   padding bits are not zero.
    public init(decoding encoded: EncodedValue, as type: ValueType) throws {
        try type.validate()
        try self.init(decodingValidated: encoded, as: type)
    }

    private init(decodingValidated encoded: EncodedValue, as type: ValueType) throws {
        switch (type, encoded) {
        case let (.scalar(s), .bytes(b)):
            self = .tensor(try Tensor(littleEndianBytes: b, scalarType: s, shape: []))
        case let (.array(shape, s), .bytes(b)):
            self = .tensor(try Tensor(littleEndianBytes: b, scalarType: s, shape: shape))
        case let (.tuple(ts), .vector(items)):
            guard ts.count == items.count else { throw ConfideError(.typeMismatch, "tuple of \(ts.count) elements encoded with \(items.count)") }
            self = .tuple(try Value.decodeChildren(items, ts))
        case let (.namedTuple(fs), .vector(items)):
            guard fs.count == items.count else { throw ConfideError(.typeMismatch, "named tuple of \(fs.count) fields encoded with \(items.count)") }
            let values = try Value.decodeChildren(items, fs.map(\.type))
            self = .namedTuple(zip(fs, values).map { .init($0.name, $1) })
        case let (.vector(n, t), .vector(items)):
            guard n == items.count else { throw ConfideError(.typeMismatch, "vector of \(n) elements encoded with \(items.count)") }
            self = .vector(elementType: t, try Value.decodeChildren(items, [ValueType](repeating: t, count: n)))
        case (.scalar, .vector), (.array, .vector):
            throw ConfideError(.typeMismatch, "expected bytes for \(type), found a vector")
        default:
            throw ConfideError(.typeMismatch, "expected a vector for \(type), found bytes")
        }
    }

    /// Decodes children in order; an error is prefixed with the child's index.
    private static func decodeChildren(_ items: [EncodedValue], _ types: [ValueType]) throws -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for (i, (item, t)) in zip(items, types).enumerated() {
            do {
                out.append(try Value(decodingValidated: item, as: t))
            } catch let e as ConfideError {
                throw e.prefixed("element \(i)")
            }
        }
        return out
    }
}
