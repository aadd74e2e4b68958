/// A strict, bounded JSON parser (RFC 8259) producing ``JSONValue``.
///
/// It rejects input over `maxBytes` before parsing and nesting deeper than `maxDepth` containers,
/// so a huge or adversarial file fails fast with a clear error instead of exhausting memory. The
/// parser itself is iterative (no recursion per nesting level), so even a large `maxDepth` cannot
/// overflow the stack while parsing; keep it moderate anyway, because code that walks the
/// resulting tree (types, values) recurses once per level.
///
/// Numbers are kept as their source text (lossless for 128-bit integers); strings must be valid
/// UTF-8 without raw control characters, and `\u` escapes must pair surrogates correctly.
public struct JSONParser: Sendable {
    /// The most containers (arrays and objects) that may be nested; scalars at the top level
    /// have depth 0, `[1]` has depth 1.
    public var maxDepth: Int
    /// The largest accepted document, in UTF-8 bytes; a larger one is refused with `.tooLarge`
    /// before any parsing. The default, ``defaultMaxBytes`` (1 GiB), fits typed-value inputs of
    /// 10^7 elements; callers that read untrusted or size-bounded input pass a smaller cap.
    public var maxBytes: Int

    /// The default ``maxBytes``: 1 GiB.
    public static let defaultMaxBytes = 1 << 30

    /// A parser with the given nesting and size caps.
    /// - Parameters:
    ///   - maxDepth: the deepest nesting of containers accepted (see ``maxDepth``).
    ///   - maxBytes: the largest document accepted, in UTF-8 bytes (see ``maxBytes``).
    public init(maxDepth: Int = 256, maxBytes: Int = JSONParser.defaultMaxBytes) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }

    /// Parses a complete JSON document.
    /// - Throws: ``ConfideError`` with code `.malformedJSON` (naming the problem and its byte
    ///   offset) or `.tooLarge` (document over `maxBytes`, nesting over `maxDepth`).
    public func parse(_ text: String) throws -> JSONValue {
        var copy = text
        return try copy.withUTF8 { try parse(bytes: $0) }
    }

    /// Parses a complete JSON document from UTF-8 bytes.
    /// - Throws: as ``parse(_:)``.
    public func parse<C: Collection>(bytes: C) throws -> JSONValue where C.Element == UInt8 {
        let count = bytes.count
        guard count <= maxBytes else {
            throw ConfideError(.tooLarge, "JSON document of \(count) bytes exceeds the limit of \(maxBytes) bytes")
        }
        let depth = maxDepth
        let run: (UnsafeBufferPointer<UInt8>) throws -> JSONValue = { buffer in
            var state = JSONParserState(bytes: buffer, maxDepth: depth)
            return try state.parseDocument()
        }
        if let value = try bytes.withContiguousStorageIfAvailable(run) { return value }
        return try Array(bytes).withUnsafeBufferPointer(run)
    }
}

/// The parser's cursor and container stack.
///
/// Each open container is one ``Frame`` whose item array is appended to in place through
/// `stack[stack.count - 1]`, so its storage stays uniquely referenced and no array is copied per
/// element: parsing is linear in the input.
private struct JSONParserState {
    /// An open array (`members` unused) or object (`items` unused, `pendingKey` the key of the
    /// value being parsed).
    private struct Frame {
        let isObject: Bool
        var items: [JSONValue] = []
        var members: [(String, JSONValue)] = []
        var pendingKey = ""
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    private var stack: [Frame] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    func error(_ message: String) -> ConfideError {
        ConfideError(.malformedJSON, "\(message) at byte \(index)")
    }

    /// The byte at the cursor, described for error messages.
    var currentByteDescription: String {
        guard index < bytes.count else { return "end of input" }
        let c = bytes[index]
        if c >= 0x20, c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        let hex = String(c, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" : "")\(hex)"
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            let c = bytes[index]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { index += 1 } else { break }
        }
    }

    mutating func parseDocument() throws -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected trailing \(currentByteDescription)") }
        return value
    }

    private mutating func push(_ frame: Frame) throws {
        guard stack.count < maxDepth else {
            throw ConfideError(.tooLarge, "JSON nesting deeper than \(maxDepth) levels at byte \(index)")
        }
        stack.append(frame)
    }

    /// Parses one value (with all its nested containers) starting at the cursor.
    private mutating func parseValue() throws -> JSONValue {
        let base = stack.count
        var value: JSONValue
        while true {
            // Start a value: either a scalar, an empty container, or open a container.
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: "["):
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    value = .array([])
                } else {
                    try push(Frame(isObject: false))
                    continue
                }
            case UInt8(ascii: "{"):
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    value = .object([])
                } else {
                    let key = try parseKey()
                    try push(Frame(isObject: true, pendingKey: key))
                    continue
                }
            default:
                value = try parseScalar()
            }
            // Complete values into their containers until one expects another value.
            var needsValue = false
            while stack.count > base {
                skipWhitespace()
                let top = stack.count - 1
                if stack[top].isObject {
                    let key = stack[top].pendingKey
                    stack[top].members.append((key, value))
                    guard index < bytes.count else { throw error("unexpected end of input in object") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        skipWhitespace()
                        stack[top].pendingKey = try parseKey()
                        needsValue = true
                    } else if bytes[index] == UInt8(ascii: "}") {
                        index += 1
                        value = .object(stack.removeLast().members)
                    } else {
                        throw error("expected ',' or '}' but found \(currentByteDescription)")
                    }
                } else {
                    stack[top].items.append(value)
                    guard index < bytes.count else { throw error("unexpected end of input in array") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        needsValue = true
                    } else if bytes[index] == UInt8(ascii: "]") {
                        index += 1
                        value = .array(stack.removeLast().items)
                    } else {
                        throw error("expected ',' or ']' but found \(currentByteDescription)")
                    }
                }
                if needsValue { break }
            }
            if !needsValue { return value }
        }
    }

    /// Parses `"key"` and the following `:` (whitespace before the key already skipped).
    private mutating func parseKey() throws -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
            throw error("expected a string key but found \(currentByteDescription)")
        }
        let key = try parseString()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
            throw error("expected ':' but found \(currentByteDescription)")
        }
        index += 1
        return key
    }

    private mutating func parseScalar() throws -> JSONValue {
        switch bytes[index] {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected \(currentByteDescription)")
        }
    }

    private mutating func expect(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        let lit = literal.utf8Start
        for i in 0..<count {
            guard index + i < bytes.count else {
                index += i
                throw error("unexpected end of input in literal")
            }
            guard bytes[index + i] == lit[i] else {
                index += i
                throw error("invalid literal")
            }
        }
        index += count
    }

    private mutating func skipDigits() {
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
    }

    private mutating func parseNumber() throws -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        skipDigits()
        guard index > digitsStart else { throw error("invalid number: expected a digit") }
        if bytes[digitsStart] == 0x30, index - digitsStart > 1 {
            index = digitsStart
            throw error("invalid number: leading zero")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fracStart = index
            skipDigits()
            guard index > fracStart else { throw error("invalid number: expected a digit after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let expStart = index
            skipDigits()
            guard index > expStart else { throw error("invalid number: expected a digit in the exponent") }
        }
        return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }

    private mutating func parseString() throws -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                guard let s = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self) else {
                    index = start
                    throw error("invalid UTF-8 in string")
                }
                index += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw error("unescaped control character in string") }
            index += 1
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                guard let s = String(validating: out, as: UTF8.self) else {
                    index = start
                    throw error("invalid UTF-8 in string")
                }
                index += 1
                return s
            }
            if c < 0x20 { throw error("unescaped control character in string") }
            if c != UInt8(ascii: "\\") { out.append(c); index += 1; continue }
            index += 1
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try parseHex4()
                if (0xD800..<0xDC00).contains(code) {
                    guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired high surrogate in \\u escape")
                    }
                    index += 2
                    let low = try parseHex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("high surrogate not followed by a low surrogate") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(code) {
                    throw error("unpaired low surrogate in \\u escape")
                }
                guard let scalar = Unicode.Scalar(code) else { throw error("invalid code point in \\u escape") }
                UTF8.encode(scalar) { out.append($0) }
            default:
                index -= 1
                let found = currentByteDescription
                index -= 1
                throw error("invalid escape: backslash followed by \(found)")
            }
        }
        throw error("unterminated string")
    }
}
