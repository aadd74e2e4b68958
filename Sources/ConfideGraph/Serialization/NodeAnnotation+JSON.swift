import ConfideCore

/// CipherCore's serde encoding of node annotations: unit variants are strings
/// (`"Private"`, `"PRFB2A"`, ...), `Send` is `{"Send":[sender, receiver]}`.
extension NodeAnnotation {
    /// Reads a node annotation.
    /// - Throws: `.invalidGraph` naming an unknown annotation or malformed `Send` parties.
    public init(json: JSONValue) throws {
        if let name = json.stringValue {
            guard let unit = NodeAnnotation.unitAnnotations[name] else {
                throw ConfideError(.invalidGraph, "unknown node annotation '\(name.count > 60 ? String(name.prefix(59)) + "…" : name)'")
            }
            self = unit
            return
        }
        guard let (tag, body) = json.singleMember else {
            throw ConfideError(.invalidGraph, "a node annotation must be a name or {\"Send\":[sender,receiver]}, found \(json.abbreviated())")
        }
        if let unit = NodeAnnotation.unitAnnotations[tag], body == .null {
            self = unit
            return
        }
        guard tag == "Send" else {
            throw ConfideError(.invalidGraph, "unknown node annotation '\(tag.count > 60 ? String(tag.prefix(59)) + "…" : tag)'")
        }
        guard let parties = body.arrayValue, parties.count == 2,
            let sender = parties[0].integer(as: UInt64.self), let receiver = parties[1].integer(as: UInt64.self),
            sender <= UInt64(Int.max), receiver <= UInt64(Int.max)
        else {
            throw ConfideError(.invalidGraph, "Send annotation needs [sender, receiver] party indices, found \(body.abbreviated())")
        }
        self = .send(from: Int(sender), to: Int(receiver))
    }

    /// The annotation's CipherCore JSON (the same in format versions 1 and 2).
    /// - Throws: `.invalidArgument` for a `Send` with a negative party index.
    public func json() throws -> JSONValue {
        switch self {
        case .associativeOperation: return .string("AssociativeOperation")
        case .private: return .string("Private")
        case .prfMultiplication: return .string("PRFMultiplication")
        case .prfB2A: return .string("PRFB2A")
        case .prfTruncate: return .string("PRFTruncate")
        case .mpcCall: return .string("MpcCall")
        case let .send(from, to):
            guard from >= 0, to >= 0 else {
                throw ConfideError(.invalidArgument, "Send annotation with a negative party index (\(from), \(to))")
            }
            return .object([("Send", .array([.int(from), .int(to)]))])
        }
    }

    private static let unitAnnotations: [String: NodeAnnotation] = [
        "AssociativeOperation": .associativeOperation, "Private": .private,
        "PRFMultiplication": .prfMultiplication, "PRFB2A": .prfB2A, "PRFTruncate": .prfTruncate, "MpcCall": .mpcCall,
    ]
}
