/// CipherCore's JSON for types: `{"Scalar":S}`, `{"Array":[[shape],S]}`, `{"Vector":[n,T]}`,
/// `{"Tuple":[T,...]}`, `{"NamedTuple":[["name",T],...]}`, where S is a scalar name (version 2) or a
/// `{"signed":bool,"modulus":int|null}` object (version 1).
extension ValueType {
    /// Reads a type in either spelling of the scalar type.
    /// - Throws: ``ConfideError`` `.invalidType` naming what was found.
    public init(json: JSONValue) throws {
        guard let (tag, body) = json.singleMember else {
            throw ConfideError(.invalidType, "expected a type object like {\"Scalar\":...}, found \(json.kindName)")
        }
        switch tag {
        case "Scalar":
            self = .scalar(try ScalarType(json: body))
        case "Array":
            guard let parts = body.arrayValue, parts.count == 2, let dims = parts[0].arrayValue else {
                throw ConfideError(.invalidType, "Array type must be [[shape], scalar]")
            }
            let shape = try dims.map { d -> Int in
                guard let v = d.integer(as: Int.self), v > 0 else { throw ConfideError(.invalidType, "array dimension must be a positive integer, found \(d.serialized())") }
                return v
            }
            guard !shape.isEmpty else { throw ConfideError(.invalidType, "array type with an empty shape") }
            self = .array(shape, try ScalarType(json: parts[1]))
        case "Vector":
            guard let parts = body.arrayValue, parts.count == 2, let n = parts[0].integer(as: Int.self), n >= 0 else {
                throw ConfideError(.invalidType, "Vector type must be [length, type]")
            }
            self = .vector(n, try ValueType(json: parts[1]))
        case "Tuple":
            guard let items = body.arrayValue else { throw ConfideError(.invalidType, "Tuple type must be a list of types") }
            self = .tuple(try items.map { try ValueType(json: $0) })
        case "NamedTuple":
            guard let items = body.arrayValue else { throw ConfideError(.invalidType, "NamedTuple type must be a list of [name, type]") }
            self = .namedTuple(try items.map { item in
                guard let pair = item.arrayValue, pair.count == 2, let name = pair[0].stringValue else {
                    throw ConfideError(.invalidType, "NamedTuple field must be [name, type]")
                }
                return NamedType(name, try ValueType(json: pair[1]))
            })
        default:
            throw ConfideError(.invalidType, "unknown type kind '\(tag)'")
        }
        try validate()
    }

    /// Writes the type for the given format version (1 or 2).
    /// - Throws: `.unsupportedVersion` when a 128-bit type is written as version 1.
    public func json(version: Int) throws -> JSONValue {
        switch self {
        case let .scalar(s): return .object([("Scalar", try s.json(version: version))])
        case let .array(shape, s): return .object([("Array", .array([.array(shape.map { .int($0) }), try s.json(version: version)]))])
        case let .vector(n, t): return .object([("Vector", .array([.int(n), try t.json(version: version)]))])
        case let .tuple(ts): return .object([("Tuple", .array(try ts.map { try $0.json(version: version) }))])
        case let .namedTuple(fs):
            return .object([("NamedTuple", .array(try fs.map { .array([.string($0.name), try $0.type.json(version: version)]) }))])
        }
    }
}

extension ScalarType {
    /// Reads `"u32"` (version 2) or `{"signed":false,"modulus":4294967296}` (version 1).
    public init(json: JSONValue) throws {
        switch json {
        case let .string(name):
            guard let s = ScalarType(rawValue: name) else { throw ConfideError(.invalidType, "unknown scalar type '\(name)'") }
            self = s
        case .object:
            guard let signed = json["signed"]?.boolValue, let modulusJSON = json["modulus"] else {
                throw ConfideError(.invalidType, "version 1 scalar type needs 'signed' and 'modulus'")
            }
            let modulus: UInt64?
            if case .null = modulusJSON { modulus = nil } else {
                guard let m = modulusJSON.integer(as: UInt64.self) else { throw ConfideError(.invalidType, "invalid modulus \(modulusJSON.serialized())") }
                modulus = m
            }
            guard let s = ScalarType(signed: signed, modulus: modulus) else {
                throw ConfideError(.invalidType, "unsupported scalar type {signed: \(signed), modulus: \(modulus.map(String.init) ?? "null")}")
            }
            self = s
        default:
            throw ConfideError(.invalidType, "expected a scalar type, found \(json.kindName)")
        }
    }

    /// The JSON of this scalar type in format `version`.
    public func json(version: Int) throws -> JSONValue {
        if version >= 2 { return .string(rawValue) }
        guard let modulus = v1Modulus else {
            throw ConfideError(.unsupportedVersion, "\(rawValue) cannot be written in format version 1")
        }
        return .object([("signed", .bool(isSigned)), ("modulus", modulus.map { .int($0) } ?? .null)])
    }
}
