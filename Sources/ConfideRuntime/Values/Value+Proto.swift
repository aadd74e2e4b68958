import ConfideCore
import ConfideProtos
import Foundation

extension Ciphercore_Value {
    /// The value.proto tree of a value: a `bytes` leaf per scalar or array, a `vector` per tuple,
    /// named tuple or vector (children in type order).
    public init(_ value: Value) {
        self.init(encoded: value.encoded())
    }

    init(encoded: EncodedValue) {
        self.init()
        switch encoded {
        case let .bytes(bytes):
            var leaf = Ciphercore_BytesValue()
            leaf.data = Data(bytes)
            self.value = .bytes(leaf)
        case let .vector(items):
            var node = Ciphercore_VectorValue()
            node.value = items.map { Ciphercore_Value(encoded: $0) }
            self.value = .vector(node)
        }
    }

    /// The untyped tree, at most `maxDepth` levels deep.
    /// - Throws: `.typeMismatch` for a value with neither `bytes` nor `vector` set; `.tooLarge` when nested deeper than `maxDepth`.
    func encodedTree(maxDepth: Int = 64) throws -> EncodedValue {
        guard maxDepth > 0 else { throw ConfideError(.tooLarge, "the value is nested more than 64 levels deep") }
        switch value {
        case let .bytes(leaf)?: return .bytes([UInt8](leaf.data))
        case let .vector(node)?: return .vector(try node.value.map { try $0.encodedTree(maxDepth: maxDepth - 1) })
        case nil: throw ConfideError(.typeMismatch, "a Value with neither bytes nor vector set")
        }
    }
}

extension Value {
    /// Decodes a value.proto tree of the given type.
    /// - Throws: `.typeMismatch` when the tree does not match `type` (shape, child counts, byte lengths).
    public init(proto: Ciphercore_Value, as type: ValueType) throws {
        try self.init(decoding: try proto.encodedTree(), as: type)
    }
}

extension Ciphercore_TypedValue {
    /// A typed value: the tree and the type as graph-JSON text (version 2 spelling).
    /// - Throws: the type's serialization errors (none for a valid value).
    public init(_ value: Value) throws {
        self.init()
        self.value = Ciphercore_Value(value)
        self.typeJson = try value.type.json(version: 2).serialized()
    }

    /// The value and its type, checked against `expected` when given.
    /// - Parameter what: how errors name this value (for example "party 0's data node key 'test', value 1").
    /// - Throws: `.invalidType` for a malformed `type_json`; `.typeMismatch` naming `what` with the
    ///   expected and found types, or when the tree does not match its type.
    public func decoded(expected: ValueType?, what: String) throws -> Value {
        let type: ValueType
        do {
            type = try ValueType(json: try JSONParser(maxBytes: 1 << 20).parse(typeJson))
        } catch let error as ConfideError {
            throw error.prefixed("\(what): type_json")
        }
        if let expected, expected != type {
            throw ConfideError(.typeMismatch, "\(what) has type \(type), expected \(expected)")
        }
        do {
            return try Value(proto: value, as: type)
        } catch let error as ConfideError {
            throw error.prefixed(what)
        }
    }
}
