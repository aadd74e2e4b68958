import ConfideCore

/// CipherCore's serde encoding of graph annotations: `"AssociativeOperation"`, `"OneBitState"`,
/// `"SmallState"`.
extension GraphAnnotation {
    /// Reads a graph annotation.
    /// - Throws: `.invalidGraph` naming an unknown annotation.
    public init(json: JSONValue) throws {
        var name = json.stringValue
        if name == nil, let (tag, body) = json.singleMember, body == .null { name = tag }
        guard let name else {
            throw ConfideError(.invalidGraph, "a graph annotation must be a name, found \(json.abbreviated())")
        }
        guard let annotation = GraphAnnotation(rawValue: name) else {
            throw ConfideError(.invalidGraph, "unknown graph annotation '\(name.count > 60 ? String(name.prefix(59)) + "…" : name)'")
        }
        self = annotation
    }

    /// The annotation's CipherCore JSON (the same in format versions 1 and 2).
    public func json() -> JSONValue { .string(rawValue) }
}
