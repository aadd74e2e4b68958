/// The human-readable typed-value JSON of CipherCore's `input.txt` files:
/// `{"kind":"scalar","type":"u32","value":3000}`, `{"kind":"array","type":"i32","value":[[1,2],[3,4]]}`,
/// `{"kind":"tuple","value":[...]}`, `{"kind":"vector","value":[...]}`,
/// `{"kind":"named tuple","value":[{"name":"a","value":{...}}]}`.
///
/// Numbers are written in the type's interpretation (negative for signed types, full 128-bit
/// range, `bit` as 0 or 1). Reading also accepts `true`/`false` for 1/0 (as CipherCore does) and
/// rejects integers outside the type's range. An empty vector has element type `()` unless an
/// expected type says otherwise. Error messages name the position of the offending value and the
/// types involved, never the number itself.
extension Value {
    /// Reads a typed value.
    /// - Parameter expected: when given, the value must have exactly this type; it also supplies
    ///   the element type of empty vectors.
    /// - Throws: `.invalidValue` for malformed JSON values, `.invalidType` for unknown scalar type
    ///   names, `.outOfRange` for integers outside the type's range (naming the position and the
    ///   type), `.typeMismatch` naming both types when the value is not of the `expected` type or
    ///   a vector mixes element types.
    public init(typedJSON json: JSONValue, expected: ValueType? = nil) throws {
        let value = try Value.parseTypedJSON(json, hint: expected)
        if let expected {
            let found = value.type
            guard found == expected else {
                throw ConfideError(.typeMismatch, "expected type \(expected), found \(found)")
            }
        }
        self = value
    }

    private static func parseTypedJSON(_ json: JSONValue, hint: ValueType?) throws -> Value {
        guard case .object = json else { throw ConfideError(.invalidValue, "typed value must be an object, found \(json.kindName)") }
        guard let kind = json["kind"]?.stringValue else { throw ConfideError(.invalidValue, "typed value needs a string \"kind\"") }
        guard let body = json["value"] else { throw ConfideError(.invalidValue, "typed value of kind \(kind) needs a \"value\"") }
        switch kind {
        case "scalar", "array":
            guard let typeJSON = json["type"] else { throw ConfideError(.invalidValue, "\(kind) needs a \"type\"") }
            guard let typeName = typeJSON.stringValue else {
                throw ConfideError(.invalidType, "\(kind) \"type\" must be a scalar type name, found \(typeJSON.kindName)")
            }
            guard let s = ScalarType(rawValue: typeName) else {
                throw ConfideError(.invalidType, "unknown scalar type '\(typeName)' (expected one of \(ScalarType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if kind == "scalar" {
                guard body.numberText != nil || body.boolValue != nil else {
                    throw ConfideError(.invalidValue, "scalar of type \(s) needs a number, found \(body.kindName)")
                }
                return .tensor(.scalar(s, residue: try parseTypedNumber(body, s)))
            }
            return .tensor(try parseTypedArray(body, s))
        case "tuple":
            guard let items = body.arrayValue else { throw ConfideError(.invalidValue, "tuple value must be a list, found \(body.kindName)") }
            var hints: [ValueType]? = nil
            if case let .tuple(ts)? = hint, ts.count == items.count { hints = ts }
            return .tuple(try parseTypedChildren(items) { hints?[$0] })
        case "vector":
            guard let items = body.arrayValue else { throw ConfideError(.invalidValue, "vector value must be a list, found \(body.kindName)") }
            var elementHint: ValueType? = nil
            if case let .vector(_, t)? = hint { elementHint = t }
            let values = try parseTypedChildren(items) { _ in elementHint }
            guard let first = values.first else { return .vector(elementType: elementHint ?? .tuple([]), []) }
            let t = first.type
            for (i, v) in values.enumerated() {
                let found = v.type
                guard found == t else {
                    throw ConfideError(.typeMismatch, "vector element \(i) has type \(found), element 0 has type \(t)")
                }
            }
            return .vector(elementType: t, values)
        case "named tuple":
            guard let items = body.arrayValue else { throw ConfideError(.invalidValue, "named tuple value must be a list, found \(body.kindName)") }
            var hints: [ValueType.NamedType]? = nil
            if case let .namedTuple(fs)? = hint, fs.count == items.count { hints = fs }
            var fields: [NamedValue] = []
            fields.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                guard case .object = item, let name = item["name"]?.stringValue, let v = item["value"] else {
                    throw ConfideError(.invalidValue, "named tuple field \(i) must be {\"name\": string, \"value\": typed value}")
                }
                do {
                    fields.append(.init(name, try parseTypedJSON(v, hint: hints?[i].type)))
                } catch let e as ConfideError {
                    throw e.prefixed("field \(i) (\"\(name)\")")
                }
            }
            return .namedTuple(fields)
        default:
            throw ConfideError(.invalidValue, "unknown value kind '\(kind)' (expected scalar, array, tuple, vector or named tuple)")
        }
    }

    private static func parseTypedChildren(_ items: [JSONValue], hint: (Int) -> ValueType?) throws -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            do {
                out.append(try parseTypedJSON(item, hint: hint(i)))
            } catch let e as ConfideError {
                throw e.prefixed("element \(i)")
            }
        }
        return out
    }

    private static func parseTypedNumber(_ json: JSONValue, _ s: ScalarType) throws -> UInt128 {
        switch json {
        case let .number(text): return try s.parseResidue(text)
        case let .bool(b): return b ? 1 : 0
        default: throw ConfideError(.invalidValue, "expected a number of type \(s), found \(json.kindName)")
        }
    }

    /// Reads a (nested) list of numbers: the shape comes from the first item at every depth, and
    /// every list must match it.
    private static func parseTypedArray(_ body: JSONValue, _ s: ScalarType) throws -> Tensor {
        var shape: [Int] = []
        var probe = body
        while case let .array(items) = probe {
            guard !items.isEmpty else {
                throw ConfideError(.invalidValue, "array of type \(s) has an empty list at depth \(shape.count)")
            }
            shape.append(items.count)
            probe = items[0]
        }
        guard !shape.isEmpty else {
            throw ConfideError(.invalidValue, "array of type \(s) needs a (nested) list of numbers, found \(body.kindName)")
        }
        let total = Tensor.elementCount(shape)
        guard total <= ValueType.maxScalarCount else {
            throw ConfideError(.tooLarge, "array of type \(s) with shape \(shape) is too large")
        }
        var reader = TypedArrayReader(scalarType: s, shape: shape)
        if s.isWide {
            var words: [UInt128] = []
            words.reserveCapacity(min(total, 1 << 20))
            try reader.read(body, depth: 0) { words.append($0) }
            return Tensor(unchecked: s, shape: shape, storage: .wide(words))
        }
        var words: [UInt64] = []
        words.reserveCapacity(min(total, 1 << 20))
        try reader.read(body, depth: 0) { words.append(UInt64(truncatingIfNeeded: $0)) }
        return Tensor(unchecked: s, shape: shape, storage: .narrow(words))
    }

    /// Walks a nested list against a fixed shape, tracking the position for error messages.
    private struct TypedArrayReader {
        let scalarType: ScalarType
        let shape: [Int]
        var position: [Int]

        init(scalarType: ScalarType, shape: [Int]) {
            self.scalarType = scalarType
            self.shape = shape
            self.position = []
            self.position.reserveCapacity(shape.count)
        }

        private var positionText: String { "[\(position.map(String.init).joined(separator: ", "))]" }

        mutating func read(_ json: JSONValue, depth: Int, _ emit: (UInt128) -> Void) throws {
            if depth == shape.count {
                switch json {
                case .number, .bool:
                    do { emit(try Value.parseTypedNumber(json, scalarType)) } catch let e as ConfideError {
                        throw e.prefixed("array element \(positionText)")
                    }
                default:
                    throw ConfideError(.invalidValue, "ragged array: expected a number at \(positionText), found \(json.kindName)")
                }
                return
            }
            guard case let .array(items) = json else {
                throw ConfideError(.invalidValue, "ragged array: expected a list of \(shape[depth]) items at \(positionText), found \(json.kindName)")
            }
            guard items.count == shape[depth] else {
                throw ConfideError(.invalidValue, "ragged array: list at \(positionText) has \(items.count) items, expected \(shape[depth])")
            }
            position.append(0)
            for (i, item) in items.enumerated() {
                position[depth] = i
                try read(item, depth: depth + 1, emit)
            }
            position.removeLast()
        }
    }

    /// Writes the value as typed JSON, key order `kind`, `type`, `value` as CipherCore does;
    /// numbers in the type's interpretation.
    public func typedJSON() -> JSONValue {
        switch self {
        case let .tensor(t):
            let s = t.scalarType
            if t.shape.isEmpty {
                return .object([("kind", .string("scalar")), ("type", .string(s.rawValue)), ("value", .number(s.decimalString(t.residue(at: 0))))])
            }
            var leaves: [JSONValue] = []
            leaves.reserveCapacity(t.count)
            switch t.storage {
            case let .narrow(a): for w in a { leaves.append(.number(s.decimalString(UInt128(w)))) }
            case let .wide(a): for w in a { leaves.append(.number(s.decimalString(w))) }
            }
            // Group the flat leaves into nested lists, innermost axis first.
            for axis in stride(from: t.shape.count - 1, to: 0, by: -1) {
                let width = t.shape[axis]
                var grouped: [JSONValue] = []
                grouped.reserveCapacity(leaves.count / width)
                var start = 0
                while start < leaves.count {
                    grouped.append(.array(Array(leaves[start..<(start + width)])))
                    start += width
                }
                leaves = grouped
            }
            return .object([("kind", .string("array")), ("type", .string(s.rawValue)), ("value", .array(leaves))])
        case let .tuple(vs):
            return .object([("kind", .string("tuple")), ("value", .array(vs.map { $0.typedJSON() }))])
        case let .vector(_, vs):
            return .object([("kind", .string("vector")), ("value", .array(vs.map { $0.typedJSON() }))])
        case let .namedTuple(fs):
            return .object([("kind", .string("named tuple")), ("value", .array(fs.map { .object([("name", .string($0.name)), ("value", $0.value.typedJSON())]) }))])
        }
    }

    /// Reads an `input.txt` document: a JSON array of typed values.
    /// - Throws: ``ConfideError`` from ``JSONParser`` or ``init(typedJSON:expected:)``, prefixed
    ///   with `value i` for the i-th value; `.invalidValue` when the document is not a list.
    public static func typedValues(fromJSONText text: String) throws -> [Value] {
        try typedValues(fromJSONText: text, expected: nil)
    }

    /// Reads an `input.txt` document whose values must have the `expected` types, in order.
    /// - Parameters:
    ///   - expected: the types of the values, in order; nil accepts any values.
    ///   - maxBytes: the largest document accepted, in UTF-8 bytes (default
    ///     ``JSONParser/defaultMaxBytes``, 1 GiB); a larger one is refused with `.tooLarge`.
    /// - Throws: `.wrongInputCount` when the number of values differs from `expected.count`, and
    ///   the errors of ``typedValues(fromJSONText:)`` (a wrong type is `.typeMismatch`, naming
    ///   both types).
    public static func typedValues(
        fromJSONText text: String, expected: [ValueType]?, maxBytes: Int = JSONParser.defaultMaxBytes
    ) throws -> [Value] {
        try typedValues(fromJSON: try JSONParser(maxBytes: maxBytes).parse(text), expected: expected)
    }

    /// The values of a parsed `input.txt` document; see ``typedValues(fromJSONText:expected:maxBytes:)``.
    public static func typedValues(fromJSON json: JSONValue, expected: [ValueType]? = nil) throws -> [Value] {
        guard let items = json.arrayValue else { throw ConfideError(.invalidValue, "inputs must be a JSON list of typed values, found \(json.kindName)") }
        if let expected, expected.count != items.count {
            throw ConfideError(.wrongInputCount, "expected \(expected.count) values, found \(items.count)")
        }
        return try items.enumerated().map { i, item in
            do { return try Value(typedJSON: item, expected: expected?[i]) } catch let e as ConfideError { throw e.prefixed("value \(i)") }
        }
    }
}
