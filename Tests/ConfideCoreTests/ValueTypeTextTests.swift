import ConfideCore
import Testing

@Suite struct ValueTypeTextTests {
    @Test(arguments: [
        "u32", "i32[1000]", "u64[10, 3]", "(bit, u8)", "<i32{4}>", "()", "(\"age\": i32[5], \"income\": u64[5])",
        "<(bit[2], (\"x\": <u8{2}>))>{3}>", "i128[1, 1, 1]",
    ])
    func theDisplayFormParsesBack(_ text: String) throws {
        let fixed = text == "<(bit[2], (\"x\": <u8{2}>))>{3}>" ? "<(bit[2], (\"x\": <u8{2}>)){3}>" : text
        let type = try ValueType(parsing: fixed)
        #expect(type.description == fixed)
        #expect(try ValueType(parsing: type.description) == type)
    }

    @Test func fieldNamesMayBeUnquotedAndSpacesAreFree() throws {
        #expect(try ValueType(parsing: " ( age : i32[ 5 ] ,income:u64[5] ) ") == .namedTuple([.init("age", .array([5], .i32)), .init("income", .array([5], .u64))]))
    }

    @Test(arguments: [
        ("i33", "'i33' is not a scalar type"), ("u32[", "expected a dimension"), ("u32[0]", "non-positive dimension"), ("u32[2] x", "unexpected text"),
        ("(u8, ", "expected a type"), ("<u8{2}", "expected '>'"), ("(a: u8, u8)", "expected a field name"), ("", "expected a type"),
        ("u8[99999999999999999999]", "expected a dimension"),
    ])
    func badTypesAreRefusedNamingThePosition(_ text: String, _ expected: String) {
        let error = #expect(throws: ConfideError.self) { try ValueType(parsing: text) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func nestingIsBounded() {
        #expect(throws: ConfideError.self) { try ValueType(parsing: String(repeating: "(", count: 10_000)) }
    }
}
