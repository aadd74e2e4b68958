/// CipherCore's JSON for types: `{"Scalar":S}`, `{"Array":[[shape],S]}`, `{"Vector":[n,T]}`,
/// `{"Tuple":[T,...]}`, `{"NamedTuple":[["name",T],...]}`, where S is a scalar name (version 2) or a
/// `{"signed":bool,"modulus":int|null}` object (version 1).
extension ValueType {
    /// Reads a type in either spelling of the scalar type, then validates it (see ``validate()``).
    /// - Throws: ``ConfideError`` `.invalidType` naming what was found, `.tooLarge` for oversized types.
    public init(json: JSONValue) throws {
        self = try ValueType.parseUnvalidated(json)
        try validate()
    }

    private static func parseUnvalidated(_ json: JSONValue) throws -> ValueType {
        guard let (tag, body) = json.singleMember else {
            throw ConfideError(.invalidType, "expected a type object like {\"Scalar\":...}, found \(json.abbreviated())")
        }
        switch tag {
        case "Scalar":
            return .scalar(try ScalarType(json: body))
        case "Array":
            guard let parts = body.arrayValue, parts.count == 2, let dims = parts[0].arrayValue else {
                throw ConfideError(.invalidType, "Array type must be [[shape], scalar], found \(body.abbreviated())")
            }
            let shape = try dims.map { d -> Int in
                guard let v = d.integer(as: Int.self), v > 0 else {
                    throw ConfideError(.invalidType, "array dimension must be a positive integer, found \(d.abbreviated())")
                }
                return v
            }
            guard !shape.isEmpty else { throw ConfideError(.invalidType, "array type with an empty shape") }
            return .array(shape, try ScalarType(json: parts[1]))
        case "Vector":
            guard let parts = body.arrayValue, parts.count == 2 else {
                throw ConfideError(.invalidType, "Vector type must be [length, type], found \(body.abbreviated())")
            }
            guard let n = parts[0].integer(as: Int.self), n >= 0 else {
                throw ConfideError(.invalidType, "vector length must be a non-negative integer, found \(parts[0].abbreviated())")
            }
            return .vector(n, try parseUnvalidated(parts[1]))
        case "Tuple":
            guard let items = body.arrayValue else {
                throw ConfideError(.invalidType, "Tuple type must be a list of types, found \(body.abbreviated())")
            }
            return .tuple(try items.map { try parseUnvalidated($0) })
        case "NamedTuple":
            guard let items = body.arrayValue else {
                throw ConfideError(.invalidType, "NamedTuple type must be a list of [name, type], found \(body.abbreviated())")
            }
            return .namedTuple(try items.map { item in
                guard let pair = item.arrayValue, pair.count == 2, let name = pair[0].stringValue else {
                    throw ConfideError(.invalidType, "NamedTuple field must be [name, type], found \(item.abbreviated())")
                }
                return NamedType(name, try parseUnvalidated(pair[1]))
            })
        default:
            throw ConfideError(.invalidType, "unknown type kind '\(tag)'")
        }
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
    /// - Throws: `.invalidType` naming what was found.
    public init(json: JSONValue) throws {
        switch json {
        case let .string(name):
            guard let s = ScalarType(rawValue: name) else { throw ConfideError(.invalidType, "unknown scalar type '\(name)'") }
            self = s
        case .object:
            guard let signed = json["signed"]?.boolValue, let modulusJSON = json["modulus"] else {
                throw ConfideError(.invalidType, "version 1 scalar type needs a boolean 'signed' and a 'modulus', found \(json.abbreviated())")
            }
            let modulus: UInt64?
            if case .null = modulusJSON { modulus = nil } else {
                guard let m = modulusJSON.integer(as: UInt64.self) else { throw ConfideError(.invalidType, "invalid modulus \(modulusJSON.abbreviated())") }
                modulus = m
            }
            guard let s = ScalarType(signed: signed, modulus: modulus) else {
                throw ConfideError(.invalidType, "unsupported scalar type {signed: \(signed), modulus: \(modulus.map(String.init) ?? "null")}")
            }
            self = s
        default:
            throw ConfideError(.invalidType, "expected a scalar type, found \(json.abbreviated())")
        }
    }

    /// The JSON of this scalar type in format `version`.
    /// - Throws: `.unsupportedVersion` when a 128-bit type is written as version 1.
    public func json(version: Int) throws -> JSONValue {
        if version >= 2 { return .string(rawValue) }
        guard let modulus = v1Modulus else {
            throw ConfideError(.unsupportedVersion, "\(rawValue) cannot be written in format version 1")
        }
        return .object([("signed", .bool(isSigned)), ("modulus", modulus.map { .int($0) } ?? .null)])
    }
}
