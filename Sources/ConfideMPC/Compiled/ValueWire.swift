import ConfideCore

/// The bytes of a value on a party link in compiled-graph execution: the value.proto leaves (each
/// scalar or array little-endian, bit arrays packed 8 per byte) concatenated in type order. Both
/// ends know the type, so no framing is needed and the size is `GraphSummary.encodedByteCount`.
enum ValueWire {
    static func append(_ value: Value, to bytes: inout [UInt8]) {
        switch value {
        case let .tensor(t): bytes.append(contentsOf: t.littleEndianBytes())
        default: for child in value.children ?? [] { append(child, to: &bytes) }
        }
    }

    /// Reads a value of `type` at `offset`, advancing it.
    /// - Throws: `.protocolViolation` when the bytes run out or do not decode as `type`.
    static func read(_ type: ValueType, from bytes: [UInt8], offset: inout Int, peer: Int, tag: MessageTag) throws -> Value {
        switch type {
        case .scalar, .array:
            let scalarType = type.scalarType!, shape = type.shape!
            let size = Tensor.encodedByteCount(scalarType, count: Tensor.elementCount(shape))
            guard offset + size <= bytes.count else {
                throw ConfideError(.protocolViolation, "party \(peer) sent too few bytes for tag \(tag)")
            }
            do {
                let t = try Tensor(littleEndianBytes: Array(bytes[offset..<(offset + size)]), scalarType: scalarType, shape: shape)
                offset += size
                return .tensor(t)
            } catch let error as ConfideError {
                throw ConfideError(.protocolViolation, "party \(peer) sent a malformed \(type) for tag \(tag)", cause: error.message)
            }
        case let .tuple(types):
            return .tuple(try types.map { try read($0, from: bytes, offset: &offset, peer: peer, tag: tag) })
        case let .namedTuple(fields):
            return .namedTuple(try fields.map { .init($0.name, try read($0.type, from: bytes, offset: &offset, peer: peer, tag: tag)) })
        case let .vector(count, element):
            return .vector(elementType: element, try (0..<count).map { _ in try read(element, from: bytes, offset: &offset, peer: peer, tag: tag) })
        }
    }
}
