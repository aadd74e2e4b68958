import Foundation
import Testing
@testable import ConfideCore

@Suite struct TypedJSONTests {
    private func parse(_ text: String, expected: ValueType? = nil) throws -> Value {
        try Value(typedJSON: JSONParser().parse(text), expected: expected)
    }

    /// Strings from CipherCore's typed_value_serialization.rs tests: each parses to the given
    /// type and bytes and serializes back to exactly the same text.
    static let cipherCoreExamples: [(String, ValueType, EncodedValue)] = [
        (#"{"kind":"scalar","type":"bit","value":0}"#, .scalar(.bit), .bytes([0])),
        (#"{"kind":"array","type":"bit","value":[0]}"#, .array([1], .bit), .bytes([0])),
        (#"{"kind":"scalar","type":"u8","value":123}"#, .scalar(.u8), .bytes([123])),
        (#"{"kind":"array","type":"u8","value":[123]}"#, .array([1], .u8), .bytes([123])),
        (#"{"kind":"scalar","type":"i8","value":-123}"#, .scalar(.i8), .bytes([133])),
        (#"{"kind":"array","type":"i8","value":[-123]}"#, .array([1], .i8), .bytes([133])),
        (#"{"kind":"scalar","type":"u16","value":1234}"#, .scalar(.u16), .bytes([210, 4])),
        (#"{"kind":"scalar","type":"i16","value":-1234}"#, .scalar(.i16), .bytes([46, 251])),
        (#"{"kind":"scalar","type":"u32","value":123456}"#, .scalar(.u32), .bytes([64, 226, 1, 0])),
        (#"{"kind":"array","type":"i32","value":[-123456]}"#, .array([1], .i32), .bytes([192, 29, 254, 255])),
        (#"{"kind":"scalar","type":"u64","value":123456}"#, .scalar(.u64), .bytes([64, 226, 1, 0, 0, 0, 0, 0])),
        (#"{"kind":"array","type":"i64","value":[-123456]}"#, .array([1], .i64), .bytes([192, 29, 254, 255, 255, 255, 255, 255])),
        (#"{"kind":"scalar","type":"u128","value":120892581961447099616}"#, .scalar(.u128),
         .bytes([224, 204, 217, 15, 199, 186, 184, 141, 6, 0, 0, 0, 0, 0, 0, 0])),
        (#"{"kind":"array","type":"i128","value":[-120892581961447099616]}"#, .array([1], .i128),
         .bytes([32, 51, 38, 240, 56, 69, 71, 114, 249, 255, 255, 255, 255, 255, 255, 255])),
        (#"{"kind":"array","type":"i32","value":[[-123456,123456],[13579,-13579]]}"#, .array([2, 2], .i32),
         .bytes([192, 29, 254, 255, 64, 226, 1, 0, 11, 53, 0, 0, 245, 202, 255, 255])),
        (#"{"kind":"tuple","value":[{"kind":"scalar","type":"i32","value":-123456},{"kind":"tuple","value":[]}]}"#,
         .tuple([.scalar(.i32), .tuple([])]), .vector([.bytes([192, 29, 254, 255]), .vector([])])),
        (#"{"kind":"named tuple","value":[{"name":"field1","value":{"kind":"scalar","type":"i32","value":-123456}},{"name":"field2","value":{"kind":"tuple","value":[]}}]}"#,
         .namedTuple([.init("field1", .scalar(.i32)), .init("field2", .tuple([]))]), .vector([.bytes([192, 29, 254, 255]), .vector([])])),
        (#"{"kind":"vector","value":[{"kind":"scalar","type":"i32","value":-123456},{"kind":"scalar","type":"i32","value":123456}]}"#,
         .vector(2, .scalar(.i32)), .vector([.bytes([192, 29, 254, 255]), .bytes([64, 226, 1, 0])])),
        (#"{"kind":"vector","value":[]}"#, .vector(0, .tuple([])), .vector([])),
    ]

    @Test(arguments: cipherCoreExamples)
    func cipherCoreExamplesRoundTripExactly(_ text: String, _ type: ValueType, _ encoded: EncodedValue) throws {
        let v = try parse(text)
        #expect(v.type == type)
        #expect(v.encoded() == encoded)
        #expect(v.typedJSON().serialized() == text)
    }

    @Test func documentedExamples() throws {
        #expect(try parse(#"{"kind":"scalar","type":"u32","value":3000}"#) == .scalar(.u32, 3000))
        let a = try parse(#"{"kind":"array","type":"i32","value":[[1,2],[3,4]]}"#)
        #expect(a == .tensor(Tensor(.i32, shape: [2, 2], wrapping: [1, 2, 3, 4])))
        let n = try parse(#"{"kind":"named tuple","value":[{"name":"a","value":{"kind":"scalar","type":"bit","value":1}}]}"#)
        #expect(n == .namedTuple([.init("a", .scalar(.bit, 1))]))
    }

    @Test func outputFormatting() {
        #expect(Value.scalar(.bit, 1).typedJSON().serialized() == #"{"kind":"scalar","type":"bit","value":1}"#)
        #expect(Value.tensor(Tensor(.bit, shape: [3], narrow: [1, 0, 1])).typedJSON().serialized()
            == #"{"kind":"array","type":"bit","value":[1,0,1]}"#)
        #expect(Value.scalar(.u128, .max).typedJSON().serialized()
            == #"{"kind":"scalar","type":"u128","value":340282366920938463463374607431768211455}"#)
        #expect(Value.scalar(.i128, UInt128(1) << 127).typedJSON().serialized()
            == #"{"kind":"scalar","type":"i128","value":-170141183460469231731687303715884105728}"#)
        #expect(Value.scalar(.i8, 255).typedJSON().serialized() == #"{"kind":"scalar","type":"i8","value":-1}"#)
        #expect(Value.tensor(Tensor(.u8, shape: [2, 1, 3], narrow: [1, 2, 3, 4, 5, 6])).typedJSON().serialized()
            == #"{"kind":"array","type":"u8","value":[[[1,2,3]],[[4,5,6]]]}"#)
        #expect(Value.vector(elementType: .scalar(.u8), []).typedJSON().serialized() == #"{"kind":"vector","value":[]}"#)
    }

    @Test(arguments: coreTestsAllScalarTypes)
    func edgeValuesRoundTrip(_ s: ScalarType) throws {
        let edges = coreTestsEdgeResidues(s)
        for r in edges {
            let v = Value.scalar(s, r)
            #expect(try parse(v.typedJSON().serialized()) == v)
        }
        let a = Value.tensor(Tensor(s, shape: [edges.count, 1], residues: edges))
        #expect(try parse(a.typedJSON().serialized()) == a)
        #expect(try parse(a.typedJSON().prettyPrinted()) == a)
    }

    @Test func randomValuesOfEveryTypeRoundTrip() throws {
        var rng = CoreTestsRNG(seed: 99)
        for t in coreTestsSampleTypes {
            let v = coreTestsRandomValue(t, &rng)
            #expect(try parse(v.typedJSON().serialized(), expected: t) == v, "\(t)")
        }
    }

    @Test func signedNumbersAndBooleans() throws {
        #expect(try parse(#"{"kind":"scalar","type":"i64","value":-9223372036854775808}"#) == .scalar(.i64, UInt128(1) << 63))
        #expect(try parse(#"{"kind":"scalar","type":"bit","value":true}"#) == .scalar(.bit, 1))
        #expect(try parse(#"{"kind":"array","type":"bit","value":[true,false,1,0]}"#)
            == .tensor(Tensor(.bit, shape: [4], narrow: [1, 0, 1, 0])))
        #expect(try parse(#"{"kind":"scalar","type":"u8","value":true}"#) == .scalar(.u8, 1))
        #expect(try parse(#"{"kind":"scalar","type":"u8","value":-0}"#) == .scalar(.u8, 0))
        // Unknown extra fields (CipherCore's own tests put a "type" on a tuple) are ignored.
        #expect(try parse(#"{"kind":"tuple","type":"i32","value":[]}"#) == .tuple([]))
    }

    @Test(arguments: [
        (#"{"kind":"scalar","type":"u8","value":256}"#, "u8", "0...255"),
        (#"{"kind":"scalar","type":"i8","value":-129}"#, "i8", "-128...127"),
        (#"{"kind":"scalar","type":"u32","value":-1}"#, "u32", "0...4294967295"),
        (#"{"kind":"scalar","type":"bit","value":2}"#, "bit", "0...1"),
        (#"{"kind":"scalar","type":"u128","value":340282366920938463463374607431768211456}"#, "u128", "u128"),
        (#"{"kind":"array","type":"u8","value":[[1,2],[3,999]]}"#, "[1, 1]", "u8"),
        (#"{"kind":"array","type":"i16","value":[1,2,40000]}"#, "[2]", "i16"),
        (#"{"kind":"tuple","value":[{"kind":"scalar","type":"u8","value":1},{"kind":"array","type":"u8","value":[300]}]}"#, "element 1", "[0]"),
        (#"{"kind":"named tuple","value":[{"name":"x","value":{"kind":"scalar","type":"bit","value":7}}]}"#, "\"x\"", "bit"),
        (#"{"kind":"vector","value":[{"kind":"scalar","type":"u8","value":1},{"kind":"scalar","type":"u8","value":1000}]}"#, "element 1", "u8"),
    ])
    func outOfRangeNamesPositionAndType(_ text: String, _ first: String, _ second: String) {
        let error = #expect(throws: ConfideError.self) { try parse(text) }
        #expect(error?.code == .outOfRange)
        #expect(error?.message.contains(first) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(second) == true, "\(error?.message ?? "")")
        for secret in ["256", "-129", "999", "40000", "300", "1000", "340282366920938463463374607431768211456"] {
            #expect(error?.message.contains(secret) == false)
        }
    }

    @Test(arguments: [
        #"{"kind":"array","type":"i32","value":[[123,456],123]}"#,
        #"{"kind":"array","type":"i32","value":[123,[456]]}"#,
        #"{"kind":"array","type":"i32","value":[[1,2],[3]]}"#,
        #"{"kind":"array","type":"i32","value":[[1],[2,3]]}"#,
        #"{"kind":"array","type":"i32","value":[[[1],[2]],[[3],[4,5]]]}"#,
        #"{"kind":"array","type":"i32","value":[[[1],[2]],[3,4]]}"#,
        #"{"kind":"array","type":"i32","value":[[1,2],[[3],4]]}"#,
        #"{"kind":"array","type":"i32","value":[]}"#,
        #"{"kind":"array","type":"i32","value":[[],[]]}"#,
        #"{"kind":"array","type":"i32","value":[[]]}"#,
        #"{"kind":"array","type":"i32","value":5}"#,
        #"{"kind":"array","type":"i32","value":{}}"#,
        #"{"kind":"array","type":"i32","value":[1,"2"]}"#,
        #"{"kind":"array","type":"i32","value":[1,null]}"#,
    ])
    func raggedOrEmptyArraysAreRejected(_ text: String) {
        let error = #expect(throws: ConfideError.self) { try parse(text) }
        #expect(error?.code == .invalidValue)
    }

    @Test func raggedMessagesNamePositions() {
        let error = #expect(throws: ConfideError.self) { try parse(#"{"kind":"array","type":"i32","value":[[1,2],[3]]}"#) }
        #expect(error?.message.contains("[1]") == true)
        #expect(error?.message.contains("1 items, expected 2") == true)
    }

    /// The error cases of CipherCore's `test_err`, plus a few more.
    @Test(arguments: [
        #"[]"#, #"{}"#, #"{"kind":{}}"#, #"{"kind":"wrongkind"}"#, #"{"kind":"wrongkind","value":1}"#,
        #"{"kind":"scalar","type":"i32","value":{}}"#, #"{"kind":"scalar","type":"i32"}"#,
        #"{"kind":"scalar","type":"bzz","value":123}"#, #"{"kind":"scalar","type":[],"value":123}"#,
        #"{"kind":"scalar","value":123}"#, #"{"kind":"tuple","value":{}}"#, #"{"kind":"vector","value":{}}"#,
        #"{"kind":"vector","value":[{"kind":"scalar","type":"i32","value":123},{"kind":"tuple","value":{}}]}"#,
        #"{"kind":"named tuple","value":{}}"#, #"{"kind":"named tuple","value":[{}]}"#,
        #"{"kind":"named tuple","value":[{"name":123,"value":{}}]}"#, #"{"kind":"named tuple","value":[{"name":"field1"}]}"#,
        #"{"kind":"named tuple","value":[{"name":"field1","value":123123}]}"#,
        #"{"kind":"scalar","type":"u8","value":1.5}"#, #"{"kind":"scalar","type":"u8","value":1e2}"#,
        #"{"kind":"scalar","type":"u8","value":"1"}"#, #"{"kind":"scalar","type":"u8","value":null}"#,
        #"{"kind":"scalar","type":"u8","value":[1]}"#, #"7"#, #"null"#,
    ])
    func malformedTypedValuesAreRejected(_ text: String) throws {
        let json = try JSONParser().parse(text)
        let error = #expect(throws: ConfideError.self) { try Value(typedJSON: json) }
        #expect([.invalidValue, .invalidType, .typeMismatch].contains(error?.code))
    }

    @Test func vectorElementsMustShareAType() {
        let error = #expect(throws: ConfideError.self) {
            try parse(#"{"kind":"vector","value":[{"kind":"scalar","type":"u8","value":1},{"kind":"scalar","type":"i8","value":1}]}"#)
        }
        #expect(error?.code == .typeMismatch)
        #expect(error?.message.contains("u8") == true && error?.message.contains("i8") == true)
    }

    @Test func expectedTypes() throws {
        let empty = #"{"kind":"vector","value":[]}"#
        #expect(try parse(empty).type == .vector(0, .tuple([])))
        #expect(try parse(empty, expected: .vector(0, .array([2], .u8))) == .vector(elementType: .array([2], .u8), []))
        let nested = #"{"kind":"tuple","value":[{"kind":"vector","value":[]},{"kind":"scalar","type":"u8","value":1}]}"#
        #expect(try parse(nested, expected: .tuple([.vector(0, .scalar(.i64)), .scalar(.u8)])).type == .tuple([.vector(0, .scalar(.i64)), .scalar(.u8)]))
        let error = #expect(throws: ConfideError.self) {
            try parse(#"{"kind":"array","type":"u64","value":[3000]}"#, expected: .array([32], .bit))
        }
        #expect(error?.code == .typeMismatch)
        #expect(error?.message.contains("bit[32]") == true)
        #expect(error?.message.contains("u64[1]") == true)
    }

    @Test func documentsWithExpectedTypes() throws {
        let text = #"[{"kind":"scalar","type":"u32","value":3000},{"kind":"scalar","type":"u32","value":2000}]"#
        #expect(try Value.typedValues(fromJSONText: text, expected: [.scalar(.u32), .scalar(.u32)]).count == 2)
        let count = #expect(throws: ConfideError.self) { try Value.typedValues(fromJSONText: text, expected: [.scalar(.u32)]) }
        #expect(count?.code == .wrongInputCount)
        let mismatch = #expect(throws: ConfideError.self) { try Value.typedValues(fromJSONText: text, expected: [.scalar(.u32), .scalar(.i32)]) }
        #expect(mismatch?.code == .typeMismatch)
        #expect(mismatch?.message.hasPrefix("value 1: ") == true)
        let notList = #expect(throws: ConfideError.self) { try Value.typedValues(fromJSONText: "{}") }
        #expect(notList?.code == .invalidValue)
        let bad = #expect(throws: ConfideError.self) { try Value.typedValues(fromJSONText: "[") }
        #expect(bad?.code == .malformedJSON)
    }

    // MARK: - Shipped example files

    static let examplesRoot = "/work/shared/ciphercore-examples"

    private static func read(_ path: String) throws -> String {
        try String(contentsOfFile: "\(examplesRoot)/\(path)", encoding: .utf8)
    }

    private func reparse(_ values: [Value]) throws -> [Value] {
        let text = JSONValue.array(values.map { $0.typedJSON() }).serialized()
        return try Value.typedValues(fromJSONText: text)
    }

    @Test(arguments: [0, 1, 2])
    func twoMillionaires(_ party: Int) throws {
        let values = try Value.typedValues(fromJSONText: Self.read("two_millionaires/party\(party)/input.txt"))
        let expected: [[UInt128]] = [[3000, 31415], [31415, 2000], [314_159, 31415]]
        #expect(values == expected[party].map { .scalar(.u32, $0) })
        #expect(try reparse(values) == values)
    }

    @Test(arguments: [0, 1, 2])
    func twoMillionairesV0(_ party: Int) throws {
        let values = try Value.typedValues(fromJSONText: Self.read("two_millionaires_v0/party\(party)/input.txt"))
        #expect(values.map(\.type) == [.array([1], .u64), .array([1], .u64)])
        #expect(try reparse(values) == values)
        let error = #expect(throws: ConfideError.self) {
            try Value.typedValues(fromJSONText: Self.read("two_millionaires_v0/party\(party)/input.txt"),
                                  expected: [.array([32], .bit), .array([32], .bit)])
        }
        #expect(error?.code == .typeMismatch)
    }

    @Test func medianSharesReconstructAPermutation() throws {
        var shares: [[Value]] = []
        for party in 0..<3 {
            let values = try Value.typedValues(fromJSONText: Self.read("median/party\(party)/input.txt"))
            #expect(values.count == 1)
            #expect(values.first?.type == .tuple([.array([1024], .u32), .array([1024], .u32), .array([1024], .u32)]))
            #expect(try reparse(values) == values)
            shares.append(values)
        }
        // Party p holds valid components p and p+1; component i is identical where valid.
        let components = (0..<3).map { i in shares[i][0].children![i].tensor! }
        #expect(shares[0][0].children![1] == shares[1][0].children![1])
        let sum = try components[0].elementwise(.add, components[1]).elementwise(.add, components[2])
        #expect(sum.residues.sorted() == (0..<1024).map { UInt128($0) })
    }

    @Test(arguments: ["matrix_multiplication", "millionaires_problem", "minimum", "sort"])
    func cliInputs(_ name: String) throws {
        let values = try Value.typedValues(fromJSONText: Self.read("cli_inputs/\(name).json"))
        #expect(try reparse(values) == values)
        switch name {
        case "matrix_multiplication":
            #expect(values.map(\.type) == [.array([2, 3], .i32), .array([3, 4], .i32)])
            #expect(values[1].tensor?.residues == (1...12).map { UInt128($0) })
        case "millionaires_problem":
            #expect(values == [.scalar(.u32, 1000), .scalar(.u32, 2000)])
        default:
            #expect(values.map(\.type) == [.array([16], .i32)])
            #expect(values[0].tensor?.residues.prefix(3) == [26, 93, 31])
        }
    }

    @Test func largeArrayRoundTrips() throws {
        var rng = CoreTestsRNG(seed: 3)
        for _ in 0..<5 {
            let v = Value.tensor(coreTestsRandomTensor(.u32, [1024], &rng))
            #expect(try parse(v.typedJSON().serialized()) == v)
        }
    }

    @Test func largeU64ArrayRoundTripsExactly() throws {
        var rng = CoreTestsRNG(seed: 19)
        let words = [UInt64.max, 0, 1] + (3..<200_000).map { _ in rng.next() }
        let text = #"{"kind":"array","type":"u64","value":["# + words.map(String.init).joined(separator: ",") + "]}"
        let value = try parse(text, expected: .array([200_000], .u64))
        #expect(value.tensor?.narrowWords == words)
        let printed = value.typedJSON().serialized()
        #expect(printed == text)
        #expect(try parse(printed) == value)
    }

    @Test func largeSignedAndWideArraysRoundTripExactly() throws {
        var rng = CoreTestsRNG(seed: 20)
        let wide = [Int128.min, Int128.max, 0, -1] + (4..<100_000).map { _ in Int128(truncatingIfNeeded: rng.next()) << 60 }
        let text = #"{"kind":"array","type":"i128","value":[["# + wide[..<50_000].map { String($0) }.joined(separator: ",") + "],["
            + wide[50_000...].map { String($0) }.joined(separator: ",") + "]]}"
        let value = try parse(text, expected: .array([2, 50_000], .i128))
        #expect(value.tensor?.residues.prefix(4) == [UInt128(1) << 127, UInt128.max >> 1, 0, .max])
        #expect(value.typedJSON().serialized() == text)
        #expect(try parse(value.typedJSON().prettyPrinted()) == value)

        let narrow = #"{"kind":"array","type":"i64","value":["# + "\(Int64.min),\(Int64.max),0,-1" + "]}"
        #expect(try parse(narrow).typedJSON().serialized() == narrow)
    }

    @Test func largeVectorsOfScalarsRoundTrip() throws {
        let scalars = (0..<20_000).map { #"{"kind":"scalar","type":"i32","value":\#($0 - 10_000)}"# }
        let text = #"{"kind":"vector","value":["# + scalars.joined(separator: ",") + "]}"
        let value = try parse(text, expected: .vector(20_000, .scalar(.i32)))
        #expect(value.typedJSON().serialized() == text)
    }

    @Test func inputDocumentSizeCap() throws {
        let text = #"[{"kind":"scalar","type":"u8","value":7}]"#
        #expect(try Value.typedValues(fromJSONText: text, expected: nil, maxBytes: text.utf8.count).count == 1)
        let error = #expect(throws: ConfideError.self) { try Value.typedValues(fromJSONText: text, expected: nil, maxBytes: text.utf8.count - 1) }
        #expect(error?.code == .tooLarge)
    }
}
