import ConfideCore

/// Indented JSON in which lists of plain numbers stay on one line, so arrays read as rows.
public enum ReadableJSON {
    public static func format(_ value: JSONValue) -> String {
        var out = ""
        write(value, level: 0, into: &out)
        return out
    }

    private static func isFlat(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let items): return items.allSatisfy { if case .number = $0 { return true } else { return isFlat($0) && !$0.isObject } }
        case .number, .bool, .null, .string: return true
        case .object: return false
        }
    }

    private static func write(_ value: JSONValue, level: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: level)
        switch value {
        case .array(let items) where !items.isEmpty && !isFlat(value):
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad + "  "
                write(item, level: level + 1, into: &out)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += pad + "]"
        case .object(let members) where !members.isEmpty:
            out += "{\n"
            for (i, (key, item)) in members.enumerated() {
                out += pad + "  " + JSONValue.string(key).serialized() + ": "
                write(item, level: level + 1, into: &out)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += pad + "}"
        default:
            out += flatText(value)
        }
    }

    private static func flatText(_ value: JSONValue) -> String {
        if case .array(let items) = value { return "[" + items.map(flatText).joined(separator: ", ") + "]" }
        return value.serialized()
    }
}

extension JSONValue {
    fileprivate var isObject: Bool { if case .object = self { return true } else { return false } }
}
