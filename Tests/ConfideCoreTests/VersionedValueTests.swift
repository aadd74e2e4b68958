import Testing
@testable import ConfideCore

@Suite struct VersionedValueTests {
    private func encoded(_ text: String) throws -> EncodedValue {
        try EncodedValue(versionedJSON: JSONParser().parse(text))
    }

    @Test func documentedExamples() throws {
        #expect(try encoded(#"{"version":1,"data":"{\"body\":{\"Bytes\":[7,0,0,0]}}"}"#) == .bytes([7, 0, 0, 0]))
        let vector = try encoded(#"{"version":2,"data":"{\"body\":{\"Vector\":[{\"body\":{\"Bytes\":[1]}},{\"body\":{\"Vector\":[]}}]}}"}"#)
        #expect(vector == .vector([.bytes([1]), .vector([])]))
        #expect(try Value(versionedJSON: JSONParser().parse(#"{"version":1,"data":"{\"body\":{\"Bytes\":[7,0,0,0]}}"}"#), as: .scalar(.u32))
            == .scalar(.u32, 7))
    }

    @Test func exactSerialization() {
        let v = EncodedValue.vector([.bytes([7, 0, 0, 0]), .vector([])])
        #expect(v.bodyJSON().serialized() == #"{"body":{"Vector":[{"body":{"Bytes":[7,0,0,0]}},{"body":{"Vector":[]}}]}}"#)
        #expect(EncodedValue.bytes([7, 0, 0, 0]).versionedJSON(version: 1).serialized()
            == #"{"version":1,"data":"{\"body\":{\"Bytes\":[7,0,0,0]}}"}"#)
        #expect(Value.scalar(.u32, 3000).versionedJSON(version: 2).serialized()
            == #"{"version":2,"data":"{\"body\":{\"Bytes\":[184,11,0,0]}}"}"#)
    }

    @Test func roundTrips() throws {
        var rng = CoreTestsRNG(seed: 5)
        for t in coreTestsSampleTypes {
            let v = coreTestsRandomValue(t, &rng)
            for version in [1, 2] {
                let text = v.versionedJSON(version: version).serialized()
                #expect(try encoded(text) == v.encoded())
                #expect(try Value(versionedJSON: JSONParser().parse(text), as: t) == v)
            }
        }
    }

    @Test func constantsOfTheShippedGraphs() throws {
        // The three constants of two_millionaires_v0 (a bit[32] zero and two bit scalars).
        #expect(try Value(versionedJSON: JSONParser().parse(#"{"version":1,"data":"{\"body\":{\"Bytes\":[0,0,0,0]}}"}"#), as: .array([32], .bit))
            == .zeros(.array([32], .bit)))
        #expect(try Value(versionedJSON: JSONParser().parse(#"{"version":1,"data":"{\"body\":{\"Bytes\":[1]}}"}"#), as: .scalar(.bit))
            == .scalar(.bit, 1))
    }

    @Test(arguments: [
        (#"{"version":3,"data":"{\"body\":{\"Bytes\":[]}}"}"#, ConfideError.Code.unsupportedVersion),
        (#"{"version":0,"data":"{\"body\":{\"Bytes\":[]}}"}"#, .unsupportedVersion),
        (#"{"data":"{\"body\":{\"Bytes\":[]}}"}"#, .invalidValue),
        (#"{"version":"1","data":"{\"body\":{\"Bytes\":[]}}"}"#, .invalidValue),
        (#"{"version":1}"#, .invalidValue),
        (#"{"version":1,"data":{"body":{"Bytes":[]}}}"#, .invalidValue),
        (#"{"version":1,"data":"{\"body\":{\"Bytes\":[256]}}"}"#, .invalidValue),
        (#"{"version":1,"data":"{\"body\":{\"Bytes\":[-1]}}"}"#, .invalidValue),
        (#"{"version":1,"data":"{\"body\":{\"Bytes\":[-0]}}"}"#, .invalidValue),
        (#"{"version":1,"data":"{\"body\":{\"Bytes\":[1.0]}}"}"#, .invalidValue),
        (#"{"version":1,"data":"{\"body\":{\"Bytes\":7}}"}"#, .invalidValue),
        (#"{"version":1,"data":"{\"body\":{\"Words\":[]}}"}"#, .invalidValue),
        (#"{"version":1,"data":"{\"body\":{\"Bytes\":[],\"Vector\":[]}}"}"#, .invalidValue),
        (#"{"version":1,"data":"{\"Bytes\":[]}"}"#, .invalidValue),
        (#"{"version":1,"data":"{\"body\":{\"Vector\":[{\"Bytes\":[]}]}}"}"#, .invalidValue),
        (#"{"version":1,"data":"{\"body\":{\"Bytes\":[1,2]"}"#, .malformedJSON),
    ])
    func errors(_ text: String, _ code: ConfideError.Code) {
        let error = #expect(throws: ConfideError.self) { try encoded(text) }
        #expect(error?.code == code, "\(error?.description ?? "")")
    }

    @Test func typeMismatchAfterDecoding() {
        let error = #expect(throws: ConfideError.self) {
            try Value(versionedJSON: JSONParser().parse(#"{"version":1,"data":"{\"body\":{\"Bytes\":[7,0,0]}}"}"#), as: .scalar(.u32))
        }
        #expect(error?.code == .typeMismatch)
    }
}
