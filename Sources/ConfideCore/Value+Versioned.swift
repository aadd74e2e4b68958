/// The versioned, string-encoded values inside graphs (Constant operations):
/// `{"version":N,"data":"{\"body\":{\"Bytes\":[7,0,0,0]}}"}`; vectors as `{"body":{"Vector":[...]}}`
/// whose items are again `{"body":...}` objects.
extension EncodedValue {
    /// Reads a versioned value (version 1 or 2; the body format is the same).
    /// - Throws: `.unsupportedVersion` for other versions, `.malformedJSON` when `data` is not
    ///   JSON, `.invalidValue` when a field or the body is malformed.
    public init(versionedJSON json: JSONValue) throws {
        guard let version = json["version"]?.integer(as: Int.self) else { throw ConfideError(.invalidValue, "versioned value needs an integer \"version\"") }
        guard version == 1 || version == 2 else { throw ConfideError(.unsupportedVersion, "value version \(version) is not supported (1 or 2)") }
        guard let data = json["data"]?.stringValue else { throw ConfideError(.invalidValue, "versioned value needs a string \"data\"") }
        let body: JSONValue
        do { body = try JSONParser().parse(data) } catch let e as ConfideError { throw e.prefixed("versioned value data") }
        try self.init(bodyJSON: body)
    }

    /// Reads `{"body":{"Bytes":[...]}}` or `{"body":{"Vector":[...]}}`.
    /// - Throws: `.invalidValue` naming what is malformed (a byte outside 0...255, an unknown tag).
    public init(bodyJSON json: JSONValue) throws {
        guard let body = json["body"], let (tag, content) = body.singleMember else {
            throw ConfideError(.invalidValue, "value must be {\"body\":{\"Bytes\"|\"Vector\":...}}, found \(json.kindName)")
        }
        guard let items = content.arrayValue else { throw ConfideError(.invalidValue, "value body \(tag) must be a list, found \(content.kindName)") }
        switch tag {
        case "Bytes":
            var bytes = [UInt8]()
            bytes.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                guard let b = item.integer(as: UInt8.self), item.numberText?.first != "-" else {
                    throw ConfideError(.invalidValue, "value byte \(i) is not an integer in 0...255")
                }
                bytes.append(b)
            }
            self = .bytes(bytes)
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

extension Value {
    /// Reads a versioned constant value (as in a graph's `Constant` operation) of a known type.
    /// - Throws: the errors of ``EncodedValue/init(versionedJSON:)`` and
    ///   ``Value/init(decoding:as:)``.
    public init(versionedJSON json: JSONValue, as type: ValueType) throws {
        try self.init(decoding: try EncodedValue(versionedJSON: json), as: type)
    }

    /// The versioned, string-encoded form of the value's byte tree.
    public func versionedJSON(version: Int) -> JSONValue {
        encoded().versionedJSON(version: version)
    }
}
