import Foundation
import Testing
@testable import ConfideCore

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser().parse(text) }

    @Test func scalarsAndContainers() throws {
        #expect(try parse("null") == .null)
        #expect(try parse(" true ") == .bool(true))
        #expect(try parse("\n\t\rfalse") == .bool(false))
        #expect(try parse(#""hi""#) == .string("hi"))
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{}") == .object([]))
        #expect(try parse("[ 1 , [ ] , { } ]") == .array([.number("1"), .array([]), .object([])]))
        #expect(try parse(#"{"b":1,"a":[true,null]}"#) == .object([("b", .number("1")), ("a", .array([.bool(true), .null]))]))
        #expect(try parse(#" { "k" : "v" } "#)["k"] == .string("v"))
    }

    @Test(arguments: ["0", "-0", "7", "-12", "3.25", "-0.5", "1e3", "1E+3", "2.5e-10", "170141183460469231731687303715884105728",
                      "340282366920938463463374607431768211456", "-340282366920938463463374607431768211456", "1e999999999",
                      "123456789012345678901234567890.123456789e-99999"])
    func numbersAreKeptAsText(_ text: String) throws {
        #expect(try parse(text) == .number(text))
        #expect(try parse("[\(text)]").serialized() == "[\(text)]")
    }

    @Test func integersFromText() throws {
        #expect(try parse("170141183460469231731687303715884105727").integer(as: Int128.self) == .max)
        #expect(try parse("340282366920938463463374607431768211455").integer(as: UInt128.self) == .max)
        #expect(try parse("340282366920938463463374607431768211456").integer(as: UInt128.self) == nil)
        #expect(try parse("1e999999999").integer(as: Int.self) == nil)
        #expect(try parse("1.0").integer(as: Int.self) == nil)
        #expect(try parse("-5").integer(as: Int8.self) == -5)
        #expect(try parse("\"5\"").integer(as: Int.self) == nil)
    }

    @Test func stringEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d""#) == .string("a\"b\\c/d"))
        #expect(try parse(#""\b\f\n\r\t""#) == .string("\u{08}\u{0C}\n\r\t"))
        #expect(try parse(#""\u00e9\u00E9""#) == .string("éé"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse(#""x\uD834\uDD1Ey""#) == .string("x𝄞y"))
        #expect(try parse("\"héllo 😀 世界\"") == .string("héllo 😀 世界"))
        #expect(try parse(#""\u2028""#) == .string("\u{2028}"))
        #expect(try parse(#"{"\u0061":1}"#)["a"] == .number("1"))
    }

    @Test(arguments: [
        "", " ", "[", "]", "{", "}", "[1,2", "[1 2]", "[1,]", "[,1]", "{\"a\"}", "{\"a\":}", "{a:1}", "{\"a\":1,}", "{\"a\" 1}",
        "{,}", "{1:2}", "tru", "nul", "fals", "True", "NULL", "nan", "NaN", "Infinity", "-Infinity", "01", "-01", "00", "1.", ".5",
        "-", "--1", "1e", "1e+", "1E-", "+1", "0x10", "1.5.2", "'a'", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\ud800\"",
        "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\ud800\\\"", "\"\\ud800x\"", "\"a\nb\"", "\"\t\"", "\"\u{1F}\"", "[1] x", "{}{}", "[] []",
        "\"\\\"", "[1 /*c*/]", "// c\n1", "[1]\u{0}", "\u{FEFF}[]", "[\"a\" \"b\"]", "{\"a\":1 \"b\":2}", "truex", "[true false]",
    ])
    func malformedInputs(_ text: String) {
        let error = #expect(throws: ConfideError.self) { try parse(text) }
        #expect(error?.code == .malformedJSON)
        #expect(error?.message.contains("at byte") == true)
    }

    @Test(arguments: [
        [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
        [0x22, 0xE2, 0x82, 0x22], [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], [0x22, 0x5C, 0x6E, 0xFF, 0x22], [0xFF], [0x5B, 0xC3],
    ] as [[UInt8]])
    func invalidUTF8(_ bytes: [UInt8]) {
        let error = #expect(throws: ConfideError.self) { try JSONParser().parse(bytes: bytes) }
        #expect(error?.code == .malformedJSON)
    }

    @Test(arguments: [
        ("[1,2,x]", 5), ("[1 2]", 3), ("{\"a\":1,}", 7), ("  @", 2), ("[1,2", 4), ("01", 0), ("[1] x", 4), ("\"ab\\q\"", 3),
    ])
    func errorOffsets(_ text: String, _ offset: Int) {
        let error = #expect(throws: ConfideError.self) { try parse(text) }
        #expect(error?.message.hasSuffix("at byte \(offset)") == true, "\(error?.message ?? "")")
    }

    @Test func errorsDescribeTheOffendingByte() {
        let control = #expect(throws: ConfideError.self) { try JSONParser().parse(bytes: [0x5B, 0x01, 0x5D]) }
        #expect(control?.message.contains("0x01") == true)
        let letter = #expect(throws: ConfideError.self) { try parse("[x]") }
        #expect(letter?.message.contains("'x'") == true)
    }

    @Test func deepNestingFailsCleanly() {
        for opener in ["[", "{\"a\":"] {
            let deep = String(repeating: opener, count: 10_000)
            let error = #expect(throws: ConfideError.self) { try parse(deep) }
            #expect(error?.code == .tooLarge)
            #expect(error?.message.contains("256") == true)
            let closed = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            let closedError = #expect(throws: ConfideError.self) { try parse(closed) }
            #expect(closedError?.code == .tooLarge)
        }
        // A large limit cannot overflow the stack while parsing either.
        let huge = String(repeating: "[", count: 200_000)
        let error = #expect(throws: ConfideError.self) { try JSONParser(maxDepth: 1 << 30).parse(huge) }
        #expect(error?.code == .malformedJSON)
    }

    @Test func depthLimitIsExact() throws {
        let parser = JSONParser(maxDepth: 3)
        #expect(try parser.parse("[[[1]]]") == .array([.array([.array([.number("1")])])]))
        #expect(try parser.parse(#"{"a":[{"b":2}]}"#)["a"] != nil)
        #expect(try parser.parse("[[[[]]]]").serialized() == "[[[[]]]]")
        #expect(throws: ConfideError.self) { try parser.parse("[[[[1]]]]") }
        #expect(throws: ConfideError.self) { try parser.parse(#"{"a":[{"b":[2]}]}"#) }
        #expect(try JSONParser(maxDepth: 0).parse("5") == .number("5"))
        #expect(try JSONParser(maxDepth: 0).parse("[]") == .array([]))
        #expect(throws: ConfideError.self) { try JSONParser(maxDepth: 0).parse("[1]") }
    }

    @Test func moderateDepthWorks() throws {
        let depth = 1000
        let text = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        var value = try JSONParser(maxDepth: depth).parse(text)
        var levels = 0
        while case let .array(items) = value { levels += 1; value = items[0] }
        #expect(levels == depth)
        #expect(value == .number("1"))
    }

    @Test func maxBytes() throws {
        let parser = JSONParser(maxBytes: 10)
        #expect(try parser.parse("[1,2,3,45]") == .array(["1", "2", "3", "45"].map { .number($0) }))
        let error = #expect(throws: ConfideError.self) { try parser.parse("[1,2,3,456]") }
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("11 bytes") == true)
        #expect(throws: ConfideError.self) { try parser.parse("\"ééééé\"") }
    }

    /// Number texts that must survive parsing and printing exactly: u64 max, i128 min and max,
    /// zero, minus one, then pseudo-random u64 values up to `count` in all.
    static func numberTexts(count: Int) -> [String] {
        var texts = [String(UInt64.max), String(Int128.min), String(Int128.max), "0", "-1", String(UInt128.max)]
        var rng = CoreTestsRNG(seed: 18)
        while texts.count < count { texts.append(String(rng.next() >> (rng.next() % 64))) }
        return Array(texts.prefix(count))
    }

    @Test func largeArrayParsesAndRoundTrips() throws {
        let texts = Self.numberTexts(count: 200_000)
        let text = "[" + texts.joined(separator: ",") + "]"
        let value = try parse(text)
        let items = try #require(value.arrayValue)
        #expect(items.count == texts.count)
        #expect(items.map(\.numberText) == texts)
        #expect(items[0].integer(as: UInt64.self) == .max)
        #expect(items[1].integer(as: Int128.self) == .min)
        #expect(items[2].integer(as: Int128.self) == .max)
        #expect(items[4].integer(as: Int.self) == -1)
        let printed = value.serialized()
        #expect(printed == text)
        #expect(try parse(printed) == value)
        #expect(try parse(value.prettyPrinted()) == value)
    }

    @Test func nestedArraysOfArraysRoundTrip() throws {
        let texts = Self.numberTexts(count: 200_000)
        let rows = stride(from: 0, to: texts.count, by: 400).map { "[" + texts[$0..<($0 + 400)].joined(separator: ",") + "]" }
        let text = "[" + rows.joined(separator: ",") + "]"
        let value = try parse(text)
        let outer = try #require(value.arrayValue)
        #expect(outer.count == 500)
        #expect(outer.allSatisfy { $0.arrayValue?.count == 400 })
        #expect(outer.flatMap { $0.arrayValue ?? [] }.map(\.numberText) == texts)
        #expect(value.serialized() == text)
        #expect(try parse(value.serialized()) == value)

        let deep = "[" + (0..<2_000).map { i in "[[\(texts[i])],[],[[\(i)]]]" }.joined(separator: ",") + "]"
        let deepValue = try JSONParser(maxDepth: 4).parse(deep)
        #expect(deepValue.serialized() == deep)
        #expect(deepValue.arrayValue?[1999] == .array([.array([.number(texts[1999])]), .array([]), .array([.array([.number("1999")])])]))
    }

    @Test func largeObjectKeepsKeyOrder() throws {
        let keys = (0..<50_000).reversed().map { "k\($0)" }
        let text = "{" + keys.enumerated().map { i, k in "\"\(k)\":[\(i),{\"\(k)\":\(k.count)}]" }.joined(separator: ",") + "}"
        let value = try parse(text)
        let members = try #require(value.objectValue)
        #expect(members.map(\.0) == keys)
        #expect(members[49_999].1 == .array([.number("49999"), .object([("k0", .number("2"))])]))
        #expect(value.serialized() == text)
        #expect(try parse(value.prettyPrinted()) == value)
    }

    @Test func depthLimitHoldsAfterLargeSiblings() throws {
        let wide = "[" + Self.numberTexts(count: 10_000).joined(separator: ",") + "]"
        let parser = JSONParser(maxDepth: 3)
        #expect(try parser.parse("[\(wide),[\(wide)],{\"a\":\(wide)}]").arrayValue?.count == 3)
        let text = "[\(wide),[[\(wide)]]]"
        let error = #expect(throws: ConfideError.self) { try parser.parse(text) }
        #expect(error?.code == .tooLarge)
        #expect(error?.message == "JSON nesting deeper than 3 levels at byte \(wide.utf8.count + 5)")
        let object = #expect(throws: ConfideError.self) { try parser.parse("{\"a\":\(wide),\"b\":[{\"c\":[1]}]}") }
        #expect(object?.code == .tooLarge)
    }

    @Test func sizeCapIsASetting() throws {
        #expect(JSONParser().maxBytes == 1 << 30)
        #expect(JSONParser.defaultMaxBytes == 1 << 30)
        let text = "[" + Self.numberTexts(count: 1_000).joined(separator: ",") + "]"
        let size = text.utf8.count
        #expect(try JSONParser(maxBytes: size).parse(text).arrayValue?.count == 1_000)
        var parser = JSONParser()
        parser.maxBytes = size - 1
        let error = #expect(throws: ConfideError.self) { try parser.parse(text) }
        #expect(error?.code == .tooLarge)
        #expect(error?.message == "JSON document of \(size) bytes exceeds the limit of \(size - 1) bytes")
        let bytes = #expect(throws: ConfideError.self) { try parser.parse(bytes: Array(text.utf8)) }
        #expect(bytes?.code == .tooLarge)
    }

    @Test func nonContiguousBytes() throws {
        let bytes = Array("[\"a\",1]".utf8).lazy.map { $0 }
        #expect(try JSONParser().parse(bytes: bytes) == .array([.string("a"), .number("1")]))
        #expect(try JSONParser().parse(bytes: Array("{}".utf8)[...]) == .object([]))
    }

    @Test func serializationRoundTrips() throws {
        let texts = [
            #"{"a":[1,-2.5e3,true,false,null,"x\"y\\z"],"b":{},"c":[],"d":{"e":[[]]}}"#,
            #"["\u0001\u001f","\b\f\n\r\t","é😀","\/"]"#,
        ]
        for text in texts {
            let v = try parse(text)
            #expect(try parse(v.serialized()) == v)
            #expect(try parse(v.prettyPrinted()) == v)
        }
        #expect(JSONValue.string("\u{1}\u{1F}\u{8}\u{C}\n\"\\/é").serialized() == #""\u0001\u001f\b\f\n\"\\/é""#)
        #expect(JSONValue.object([("a", .array([.int(1), .null]))]).prettyPrinted() == "{\n  \"a\": [\n    1,\n    null\n  ]\n}")
        #expect(JSONValue.array([]).prettyPrinted() == "[]")
    }

    @Test func valueHelpers() throws {
        let v = try parse(#"{"Scalar":"u8"}"#)
        #expect(v.singleMember?.0 == "Scalar")
        #expect(try parse(#"{"a":1,"b":2}"#).singleMember == nil)
        #expect(try parse(#"{"a":1,"a":2}"#)["a"] == .number("1"))
        #expect(v["missing"] == nil)
        #expect(JSONValue.array([])["a"] == nil)
        #expect(JSONValue.int(-5) == .number("-5"))
        #expect(JSONValue.int(UInt128.max) == .number("340282366920938463463374607431768211455"))
        #expect(JSONValue.object([("a", .null), ("b", .null)]) != .object([("b", .null), ("a", .null)]))
        #expect(JSONValue.number("1") != .number("1.0"))
        #expect(JSONValue.null.kindName == "null" && JSONValue.object([]).kindName == "object")
        #expect(JSONValue.string(String(repeating: "x", count: 100)).abbreviated(maxLength: 10).count == 10)
        #expect(JSONValue.string("ab").abbreviated(maxLength: 10) == "\"ab\"")
    }

    @Test func parsesTheShippedGraphsQuickly() throws {
        for name in ["two_millionaires", "two_millionaires_v0"] {
            let outer = try parseFile("/work/shared/ciphercore-examples/\(name)/graph.json")
            #expect(outer["version"] == .number("1"))
            let inner = try parse(#require(outer["data"]?.stringValue))
            #expect(inner["graphs"]?.arrayValue?.isEmpty == false)
            #expect(try parse(inner.serialized()) == inner)
        }
    }

    private func parseFile(_ path: String) throws -> JSONValue {
        var bytes: [UInt8] = []
        guard let file = fopen(path, "rb") else { throw ConfideError(.io, "cannot open \(path)") }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return try JSONParser().parse(bytes: bytes)
    }
}
