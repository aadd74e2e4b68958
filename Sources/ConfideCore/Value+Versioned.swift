/// The versioned, string-encoded values inside graphs (Constant operations):
/// `{"version":N,"data":"{\"body\":{\"Bytes\":[7,0,0,0]}}"}`; vectors as `{"body":{"Vector":[...]}}`
/// whose items are again `{"body":...}` objects.
extension EncodedValue {
    /// Reads a versioned value (version 1 or 2; the body format is the same).
    public init(versionedJSON json: JSONValue) throws {
        guard let version = json["version"]?.integer(as: Int.self) else { throw ConfideError(.invalidValue, "versioned value needs an integer \"version\"") }
        guard version == 1 || version == 2 else { throw ConfideError(.unsupportedVersion, "value version \(version) is not supported (1 or 2)") }
        guard let data = json["data"]?.stringValue else { throw ConfideError(.invalidValue, "versioned value needs a string \"data\"") }
        try self.init(bodyJSON: try JSONParser().parse(data))
    }

    /// Reads `{"body":{"Bytes":[...]}}` or `{"body":{"Vector":[...]}}`.
    public init(bodyJSON json: JSONValue) throws {
        guard let body = json["body"], let (tag, content) = body.singleMember else {
            throw ConfideError(.invalidValue, "value must be {\"body\":{\"Bytes\"|\"Vector\":...}}")
        }
        guard let items = content.arrayValue else { throw ConfideError(.invalidValue, "value body \(tag) must be a list") }
        switch tag {
        case "Bytes":
            self = .bytes(try items.map {
                guard let b = $0.integer(as: UInt8.self) else { throw ConfideError(.invalidValue, "byte out of range: \($0.serialized())") }
                return b
            })
        case "Vector":
            self = .vector(try items.map { try EncodedValue(bodyJSON: $0) })
        default:
            throw ConfideError(.invalidValue, "unknown value body '\(tag)'")
        }
    }

    /// `{"body":...}` JSON.
    public func bodyJSON() -> JSONValue {
        switch self {
        case let .bytes(b): return .object([("body", .object([("Bytes", .array(b.map { .int($0) }))]))])
        case let .vector(items): return .object([("body", .object([("Vector", .array(items.map { $0.bodyJSON() }))]))])
        }
    }

    /// The versioned, string-encoded form.
    public func versionedJSON(version: Int) -> JSONValue {
        .object([("version", .int(version)), ("data", .string(bodyJSON().serialized()))])
    }
}
