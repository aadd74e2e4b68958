/// A parsed JSON document that keeps numbers as their exact source text and objects in source order.
///
/// CipherCore's formats carry 128-bit integers and double-encoded strings; a lossless tree makes
/// both exact. Use ``JSONParser`` to read and ``JSONValue/serialized()`` to write.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, kept as its source text (for example `"-12"`, `"3.5e2"`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Builds a number from an integer.
    public static func int<T: BinaryInteger>(_ v: T) -> JSONValue { .number(String(v)) }

    /// The value of `key` in an object, or nil.
    public subscript(key: String) -> JSONValue? {
        if case let .object(members) = self {
            for (k, v) in members where k == key { return v }
        }
        return nil
    }

    /// A short name of the JSON kind, for error messages.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a } else { return nil } }
    public var objectValue: [(String, JSONValue)]? { if case let .object(o) = self { return o } else { return nil } }
    public var stringValue: String? { if case let .string(s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case let .bool(b) = self { return b } else { return nil } }
    public var numberText: String? { if case let .number(n) = self { return n } else { return nil } }

    /// The number as a non-negative/negative integer that fits `T`, or nil.
    public func integer<T: FixedWidthInteger>(as: T.Type = T.self) -> T? {
        guard case let .number(text) = self else { return nil }
        return T(text, radix: 10)
    }

    /// Object with exactly one member (CipherCore's enum encoding): that member's key and value.
    public var singleMember: (String, JSONValue)? {
        if case let .object(m) = self, m.count == 1 { return m[0] }
        return nil
    }

    /// Compact JSON text cut to at most `maxLength` characters (with `…`), for error messages
    /// about structure (types, graph fields). Do not use it on values that may be secret.
    public func abbreviated(maxLength: Int = 60) -> String {
        let text = serialized()
        guard text.count > maxLength else { return text }
        return String(text.prefix(max(0, maxLength - 1))) + "…"
    }

    /// Compact JSON text.
    public func serialized() -> String {
        var out = ""
        out.reserveCapacity(64)
        write(into: &out, indent: nil, level: 0)
        return out
    }

    /// Indented JSON text (two spaces).
    public func prettyPrinted() -> String {
        var out = ""
        write(into: &out, indent: "  ", level: 0)
        return out
    }

    /// Appends the value's text to `out`; `indent` nil for compact text. Containers are written
    /// element by element straight into `out` (their line breaks made once per container), so the
    /// cost is linear in the text written; recursion is one level per nesting level.
    private func write(into out: inout String, indent: String?, level: Int) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(n): out += n
        case let .string(s): JSONValue.writeString(s, into: &out)
        case let .array(items):
            if items.isEmpty { out += "[]"; return }
            let (itemBreak, closeBreak) = JSONValue.lineBreaks(indent: indent, level: level)
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                out += itemBreak
                item.write(into: &out, indent: indent, level: level + 1)
            }
            out += closeBreak
            out += "]"
        case let .object(members):
            if members.isEmpty { out += "{}"; return }
            let (itemBreak, closeBreak) = JSONValue.lineBreaks(indent: indent, level: level)
            out += "{"
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { out += "," }
                out += itemBreak
                JSONValue.writeString(k, into: &out)
                out += indent == nil ? ":" : ": "
                v.write(into: &out, indent: indent, level: level + 1)
            }
            out += closeBreak
            out += "}"
        }
    }

    /// The line break and indentation before each item of a container at `level` and before its
    /// closing bracket; empty for compact text.
    private static func lineBreaks(indent: String?, level: Int) -> (item: String, close: String) {
        guard let indent else { return ("", "") }
        return ("\n" + String(repeating: indent, count: level + 1), "\n" + String(repeating: indent, count: level))
    }

    /// Writes `s` as a JSON string literal, escaping as serde_json does (`\"`, `\\`, `\b`, `\f`,
    /// `\n`, `\r`, `\t`, other control characters as `\u00XX`).
    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
