import Testing
@testable import ConfideCore

@Suite struct ValueTypeJSONTests {
    private func type(_ text: String) throws -> ValueType {
        try ValueType(json: JSONParser().parse(text))
    }

    @Test func version2Spellings() throws {
        #expect(try type(#"{"Scalar":"u32"}"#) == .scalar(.u32))
        #expect(try type(#"{"Array":[[10,10],"u32"]}"#) == .array([10, 10], .u32))
        #expect(try type(#"{"Vector":[3,{"Scalar":"bit"}]}"#) == .vector(3, .scalar(.bit)))
        #expect(try type(#"{"Tuple":[]}"#) == .tuple([]))
        #expect(try type(#"{"Tuple":[{"Scalar":"i8"},{"Array":[[2],"i128"]}]}"#) == .tuple([.scalar(.i8), .array([2], .i128)]))
        #expect(try type(#"{"NamedTuple":[["a",{"Scalar":"u64"}],["b",{"Tuple":[]}]]}"#)
            == .namedTuple([.init("a", .scalar(.u64)), .init("b", .tuple([]))]))
    }

    @Test func version1Spellings() throws {
        #expect(try type(#"{"Scalar":{"signed":false,"modulus":4294967296}}"#) == .scalar(.u32))
        #expect(try type(#"{"Scalar":{"signed":true,"modulus":4294967296}}"#) == .scalar(.i32))
        #expect(try type(#"{"Scalar":{"signed":false,"modulus":null}}"#) == .scalar(.u64))
        #expect(try type(#"{"Scalar":{"signed":true,"modulus":null}}"#) == .scalar(.i64))
        #expect(try type(#"{"Array":[[128],{"signed":false,"modulus":2}]}"#) == .array([128], .bit))
        #expect(try type(#"{"Scalar":{"modulus":256,"signed":true}}"#) == .scalar(.i8))
        #expect(try type(#"{"Scalar":{"signed":false,"modulus":65536}}"#) == .scalar(.u16))
    }

    @Test func scalarTypeJSONExact() throws {
        #expect(try ScalarType.u32.json(version: 2).serialized() == #""u32""#)
        #expect(try ScalarType.u32.json(version: 1).serialized() == #"{"signed":false,"modulus":4294967296}"#)
        #expect(try ScalarType.u64.json(version: 1).serialized() == #"{"signed":false,"modulus":null}"#)
        #expect(try ScalarType.i64.json(version: 1).serialized() == #"{"signed":true,"modulus":null}"#)
        #expect(try ScalarType.bit.json(version: 1).serialized() == #"{"signed":false,"modulus":2}"#)
        #expect(try ValueType.array([10, 10], .u32).json(version: 2).serialized() == #"{"Array":[[10,10],"u32"]}"#)
        #expect(try ValueType.namedTuple([.init("a", .vector(2, .scalar(.i8)))]).json(version: 2).serialized()
            == #"{"NamedTuple":[["a",{"Vector":[2,{"Scalar":"i8"}]}]]}"#)
    }

    @Test(arguments: coreTestsAllScalarTypes)
    func scalarRoundTripsInBothVersions(_ s: ScalarType) throws {
        for t in [ValueType.scalar(s), .array([3, 1], s), .vector(2, .array([4], s)), .tuple([.scalar(s), .scalar(.bit)])] {
            #expect(try ValueType(json: t.json(version: 2)) == t)
            let text = try t.json(version: 2).serialized()
            #expect(try type(text) == t)
            if s.isWide {
                let error = #expect(throws: ConfideError.self) { try t.json(version: 1) }
                #expect(error?.code == .unsupportedVersion)
                #expect(error?.message.contains(s.rawValue) == true)
            } else {
                #expect(try ValueType(json: t.json(version: 1)) == t)
            }
        }
    }

    @Test func sampleTypesRoundTrip() throws {
        for t in coreTestsSampleTypes {
            #expect(try type(t.json(version: 2).serialized()) == t)
        }
    }

    @Test(arguments: [
        (#""u32""#, #"found "u32""#),
        (#"{"Scalar":"u33"}"#, "u33"),
        (#"{"Scalar":7}"#, "7"),
        (#"{"Scalar":{"signed":true,"modulus":2}}"#, "modulus: 2"),
        (#"{"Scalar":{"signed":false,"modulus":3}}"#, "modulus: 3"),
        (#"{"Scalar":{"signed":false,"modulus":18446744073709551616}}"#, "18446744073709551616"),
        (#"{"Scalar":{"signed":"no","modulus":2}}"#, "\"no\""),
        (#"{"Scalar":{"modulus":2}}"#, "modulus"),
        (#"{"Array":[[],"u8"]}"#, "empty shape"),
        (#"{"Array":[[0],"u8"]}"#, "found 0"),
        (#"{"Array":[[-3],"u8"]}"#, "found -3"),
        (#"{"Array":[[2.5],"u8"]}"#, "found 2.5"),
        (#"{"Array":[[2],"u8",1]}"#, "[[2],\"u8\",1]"),
        (#"{"Array":"u8"}"#, "\"u8\""),
        (#"{"Vector":[-1,{"Scalar":"u8"}]}"#, "found -1"),
        (#"{"Vector":[2]}"#, "[2]"),
        (#"{"Tuple":{"Scalar":"u8"}}"#, "{\"Scalar\":\"u8\"}"),
        (#"{"NamedTuple":[[1,{"Scalar":"u8"}]]}"#, "[1,{\"Scalar\":\"u8\"}]"),
        (#"{"Matrix":[2,2]}"#, "Matrix"),
        (#"{"Scalar":"u8","Tuple":[]}"#, "{\"Scalar\":\"u8\",\"Tuple\":[]}"),
        (#"[]"#, "[]"),
        (#"null"#, "null"),
        (#"{"Tuple":[{"Scalar":"x"}]}"#, "'x'"),
    ])
    func invalidTypesNameWhatWasFound(_ text: String, _ found: String) throws {
        let json = try JSONParser().parse(text)
        let error = #expect(throws: ConfideError.self) { try ValueType(json: json) }
        #expect(error?.code == .invalidType)
        #expect(error?.message.contains(found) == true, "\(error?.message ?? "")")
    }

    @Test func oversizedTypesAreRejected() throws {
        let error = #expect(throws: ConfideError.self) { try type(#"{"Array":[[4294967296,4294967296],"u64"]}"#) }
        #expect(error?.code == .tooLarge)
        let vectorError = #expect(throws: ConfideError.self) { try type(#"{"Vector":[9223372036854775807,{"Vector":[9223372036854775807,{"Tuple":[]}]}]}"#) }
        #expect(vectorError?.code == .tooLarge)
    }

    @Test func abbreviatesLongFoundText() throws {
        let long = "{\"Tuple\":\"" + String(repeating: "x", count: 500) + "\"}"
        let error = #expect(throws: ConfideError.self) { try type(long) }
        #expect(error?.code == .invalidType)
        #expect((error?.message.count ?? 1000) < 200)
    }

    @Test func deepTypesParse() throws {
        var text = #"{"Scalar":"u8"}"#
        for _ in 0..<60 { text = #"{"Tuple":["# + text + "]}" }
        var expected: ValueType = .scalar(.u8)
        for _ in 0..<60 { expected = .tuple([expected]) }
        #expect(try type(text) == expected)
    }
}
