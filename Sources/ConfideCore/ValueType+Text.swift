extension ValueType {
    /// Parses CipherCore's display form of a type, as ``description`` prints it: `u32`, `i32[1000]`,
    /// `u64[10, 3]`, `(bit, u8)`, `<i32{4}>`, and named tuples `("age": i32[5], "income": u64[5])`,
    /// where the quotes around field names may be left out (`(age: i32[5], income: u64[5])`).
    /// Spaces are allowed between tokens.
    /// - Throws: `.invalidType` naming the position and what was expected there; the type's own
    ///   checks (positive dimensions, size limits) from ``validate()``.
    public init(parsing text: String) throws {
        var parser = TypeTextParser(Array(text.utf8), text: text)
        let type = try parser.parseType()
        parser.skipSpaces()
        guard parser.atEnd else { throw parser.failure("unexpected text after the type") }
        try type.validate()
        self = type
    }
}

/// A recursive-descent reader of ``ValueType``'s display form, bounded in depth.
private struct TypeTextParser {
    let bytes: [UInt8]
    let text: String
    var position = 0
    var depth = 0
    static let maxDepth = 64

    init(_ bytes: [UInt8], text: String) {
        self.bytes = bytes
        self.text = text
    }

    var atEnd: Bool { position >= bytes.count }

    func failure(_ message: String) -> ConfideError {
        ConfideError(.invalidType, "type '\(text.prefix(200))': \(message) at character \(position + 1)")
    }

    mutating func skipSpaces() {
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t") { position += 1 }
    }

    mutating func take(_ c: Character) -> Bool {
        skipSpaces()
        guard position < bytes.count, bytes[position] == c.asciiValue! else { return false }
        position += 1
        return true
    }

    mutating func expect(_ c: Character) throws {
        guard take(c) else { throw failure("expected '\(c)'") }
    }

    mutating func word() -> String {
        skipSpaces()
        let start = position
        while position < bytes.count, Self.isWordByte(bytes[position]) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }

    mutating func integer() throws -> Int {
        skipSpaces()
        let start = position
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") { position += 1 }
        guard position > start, position - start <= 18, let n = Int(String(decoding: bytes[start..<position], as: UTF8.self)) else {
            throw failure("expected a dimension (a positive integer)")
        }
        return n
    }

    mutating func parseType() throws -> ValueType {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw failure("types nest deeper than \(Self.maxDepth) levels") }
        if take("(") { return try parseTuple() }
        if take("<") {
            let element = try parseType()
            try expect("{")
            let count = try integer()
            try expect("}")
            try expect(">")
            return .vector(count, element)
        }
        let name = word()
        guard let scalar = ScalarType(rawValue: name) else {
            throw failure(name.isEmpty ? "expected a type" : "'\(name.prefix(40))' is not a scalar type (\(ScalarType.allCases.map(\.rawValue).joined(separator: " ")))")
        }
        guard take("[") else { return .scalar(scalar) }
        var shape = [try integer()]
        while take(",") { shape.append(try integer()) }
        try expect("]")
        return .array(shape, scalar)
    }

    /// After `(`: `)`, a list of types, or a list of `name: type` fields.
    mutating func parseTuple() throws -> ValueType {
        if take(")") { return .tuple([]) }
        if let field = try fieldName() {
            var fields = [ValueType.NamedType(field, try parseType())]
            while take(",") {
                guard let next = try fieldName() else { throw failure("expected a field name followed by ':'") }
                fields.append(.init(next, try parseType()))
            }
            try expect(")")
            return .namedTuple(fields)
        }
        var types = [try parseType()]
        while take(",") { types.append(try parseType()) }
        try expect(")")
        return .tuple(types)
    }

    /// A `"name":` or `name:` at the cursor, consumed; nil (cursor unchanged) when there is none.
    mutating func fieldName() throws -> String? {
        let saved = position
        skipSpaces()
        if take("\"") {
            let start = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "\"") { position += 1 }
            guard position < bytes.count else { throw failure("unterminated field name") }
            let name = String(decoding: bytes[start..<position], as: UTF8.self)
            position += 1
            try expect(":")
            return name
        }
        let name = word()
        if !name.isEmpty, take(":") { return name }
        position = saved
        return nil
    }
}
