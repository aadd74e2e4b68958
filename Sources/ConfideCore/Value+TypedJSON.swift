/// The human-readable typed-value JSON of CipherCore's `input.txt` files:
/// `{"kind":"scalar","type":"u32","value":3000}`, `{"kind":"array","type":"i32","value":[[1,2],[3,4]]}`,
/// `{"kind":"tuple","value":[...]}`, `{"kind":"vector","value":[...]}`,
/// `{"kind":"named tuple","value":[{"name":"a","value":{...}}]}`.
extension Value {
    /// Reads a typed value.
    /// - Parameter expected: when given, used for the element type of empty vectors.
    /// - Throws: `.invalidValue` / `.outOfRange` naming the problem.
    public init(typedJSON json: JSONValue, expected: ValueType? = nil) throws {
        guard case .object = json else { throw ConfideError(.invalidValue, "typed value must be an object, found \(json.kindName)") }
        guard let kind = json["kind"]?.stringValue else { throw ConfideError(.invalidValue, "typed value needs a string \"kind\"") }
        guard let body = json["value"] else { throw ConfideError(.invalidValue, "typed value of kind \(kind) needs a \"value\"") }
        switch kind {
        case "scalar", "array":
            guard let typeName = json["type"]?.stringValue else { throw ConfideError(.invalidValue, "\(kind) needs a \"type\"") }
            guard let s = ScalarType(rawValue: typeName) else { throw ConfideError(.invalidType, "unknown scalar type '\(typeName)'") }
            if kind == "scalar" {
                self = .tensor(.scalar(s, residue: try Value.parseNumber(body, s)))
            } else {
                var shape: [Int] = []
                var flat: [UInt128] = []
                try Value.parseNested(body, s, depth: 0, shape: &shape, out: &flat)
                guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
                    throw ConfideError(.invalidValue, "array value must be a non-empty (nested) list, found shape \(shape)")
                }
                self = .tensor(Tensor(s, shape: shape, residues: flat))
            }
        case "tuple":
            guard let items = body.arrayValue else { throw ConfideError(.invalidValue, "tuple value must be a list") }
            var expectedItems: [ValueType]? = nil
            if case let .tuple(ts)? = expected, ts.count == items.count { expectedItems = ts }
            self = .tuple(try items.enumerated().map { try Value(typedJSON: $1, expected: expectedItems?[$0]) })
        case "vector":
            guard let items = body.arrayValue else { throw ConfideError(.invalidValue, "vector value must be a list") }
            var elementType: ValueType? = nil
            if case let .vector(_, t)? = expected { elementType = t }
            let values = try items.map { try Value(typedJSON: $0, expected: elementType) }
            if let first = values.first {
                let t = first.type
                for (i, v) in values.enumerated() where v.type != t {
                    throw ConfideError(.typeMismatch, "vector element \(i) has type \(v.type), element 0 has \(t)")
                }
                elementType = t
            }
            guard let elementType else { throw ConfideError(.invalidValue, "cannot infer the element type of an empty vector") }
            self = .vector(elementType: elementType, values)
        case "named tuple":
            guard let items = body.arrayValue else { throw ConfideError(.invalidValue, "named tuple value must be a list") }
            var expectedFields: [ValueType.NamedType]? = nil
            if case let .namedTuple(fs)? = expected, fs.count == items.count { expectedFields = fs }
            self = .namedTuple(try items.enumerated().map { i, item in
                guard let name = item["name"]?.stringValue, let v = item["value"] else {
                    throw ConfideError(.invalidValue, "named tuple field must be {\"name\":..., \"value\":...}")
                }
                return .init(name, try Value(typedJSON: v, expected: expectedFields?[i].type))
            })
        default:
            throw ConfideError(.invalidValue, "unknown value kind '\(kind)'")
        }
    }

    private static func parseNumber(_ json: JSONValue, _ s: ScalarType) throws -> UInt128 {
        switch json {
        case let .number(text): return try s.parseResidue(text)
        case let .bool(b): return b ? 1 : 0
        default: throw ConfideError(.invalidValue, "expected a number for \(s), found \(json.kindName)")
        }
    }

    private static func parseNested(_ json: JSONValue, _ s: ScalarType, depth: Int, shape: inout [Int], out: inout [UInt128]) throws {
        guard depth < 64 else { throw ConfideError(.invalidValue, "array nested deeper than 64 levels") }
        if case let .array(items) = json {
            if depth == shape.count {
                guard out.isEmpty || depth > 0 else { throw ConfideError(.invalidValue, "ragged array") }
                if out.isEmpty, shape.count == depth { shape.append(items.count) }
            } else if depth > shape.count || shape[depth] != items.count {
                throw ConfideError(.invalidValue, "ragged array: expected \(depth < shape.count ? shape[depth] : 0) items at depth \(depth), found \(items.count)")
            }
            for item in items { try parseNested(item, s, depth: depth + 1, shape: &shape, out: &out) }
        } else {
            guard depth == shape.count else { throw ConfideError(.invalidValue, "ragged array: number at depth \(depth), expected a list") }
            out.append(try parseNumber(json, s))
        }
    }

    /// Writes the value as typed JSON; signed types print negative numbers.
    public func typedJSON() -> JSONValue {
        switch self {
        case let .tensor(t):
            let s = t.scalarType
            if t.shape.isEmpty {
                return .object([("kind", .string("scalar")), ("type", .string(s.rawValue)), ("value", .number(s.decimalString(t.residue(at: 0))))])
            }
            var index = 0
            func nest(_ axis: Int) -> JSONValue {
                if axis == t.shape.count {
                    defer { index += 1 }
                    return .number(s.decimalString(t.residue(at: index)))
                }
                return .array((0..<t.shape[axis]).map { _ in nest(axis + 1) })
            }
            return .object([("kind", .string("array")), ("type", .string(s.rawValue)), ("value", nest(0))])
        case let .tuple(vs):
            return .object([("kind", .string("tuple")), ("value", .array(vs.map { $0.typedJSON() }))])
        case let .vector(_, vs):
            return .object([("kind", .string("vector")), ("value", .array(vs.map { $0.typedJSON() }))])
        case let .namedTuple(fs):
            return .object([("kind", .string("named tuple")), ("value", .array(fs.map { .object([("name", .string($0.name)), ("value", $0.value.typedJSON())]) }))])
        }
    }

    /// Reads an `input.txt` document: a JSON array of typed values.
    public static func typedValues(fromJSONText text: String) throws -> [Value] {
        let json = try JSONParser().parse(text)
        guard let items = json.arrayValue else { throw ConfideError(.invalidValue, "inputs must be a JSON list of typed values, found \(json.kindName)") }
        return try items.enumerated().map { i, item in
            do { return try Value(typedJSON: item) } catch let e as ConfideError { throw e.prefixed("value \(i)") }
        }
    }
}
