import Testing
@testable import ConfideCore

@Suite struct JSONValueTests {
    @Test func largeValuesPrintExactly() throws {
        let count = 200_000
        let numbers = (0..<count).map { i -> String in
            switch i {
            case 0: return String(UInt64.max)
            case 1: return String(Int128.min)
            case 2: return String(Int128.max)
            default: return String(i - 4)
            }
        }
        let value = JSONValue.array(numbers.map { .number($0) })
        let compact = value.serialized()
        #expect(compact == "[" + numbers.joined(separator: ",") + "]")
        #expect(try JSONParser().parse(compact) == value)
        let pretty = value.prettyPrinted()
        #expect(pretty == "[\n  " + numbers.joined(separator: ",\n  ") + "\n]")
        #expect(try JSONParser().parse(pretty) == value)
    }

    @Test func nestedValuesPrintWithIndentation() throws {
        let rows = (0..<1_000).map { r in JSONValue.array((0..<200).map { .int(r * 200 + $0) }) }
        let value = JSONValue.object([("rows", .array(rows)), ("empty", .array([])), ("none", .object([]))])
        let compact = value.serialized()
        #expect(compact.hasPrefix(#"{"rows":[[0,1,2,"#))
        #expect(compact.hasSuffix(#",199999]],"empty":[],"none":{}}"#))
        #expect(try JSONParser().parse(compact) == value)
        let pretty = value.prettyPrinted()
        #expect(pretty.hasPrefix("{\n  \"rows\": [\n    [\n      0,\n      1,"))
        #expect(pretty.hasSuffix("      199999\n    ]\n  ],\n  \"empty\": [],\n  \"none\": {}\n}"))
        #expect(try JSONParser().parse(pretty) == value)
    }

    @Test func stringsAndKeysAreEscapedOnlyWhenNeeded() throws {
        let plain = JSONValue.object([("plain key", .string("héllo 😀")), ("a\"b", .string("x\\y\u{1}"))])
        #expect(plain.serialized() == #"{"plain key":"héllo 😀","a\"b":"x\\y\u0001"}"#)
        let many = JSONValue.array((0..<50_000).map { .string($0 % 2 == 0 ? "s\($0)" : "t\n\($0)") })
        #expect(try JSONParser().parse(many.serialized()) == many)
    }
}
