import Testing
@testable import ConfideCore

@Suite struct ConfideErrorTests {
    @Test func descriptionAndPrefix() {
        let e = ConfideError(.typeMismatch, "expected u32, found i32")
        #expect(e.description == "type-mismatch: expected u32, found i32")
        let withCause = ConfideError(.io, "cannot read input.txt", cause: "No such file")
        #expect(withCause.description == "io: cannot read input.txt (No such file)")
        let prefixed = withCause.prefixed("party 1")
        #expect(prefixed.message == "party 1: cannot read input.txt")
        #expect(prefixed.code == .io)
        #expect(prefixed.cause == "No such file")
    }

    @Test func codesAreDistinctAndStable() {
        let codes: [ConfideError.Code] = [
            .malformedJSON, .invalidType, .invalidValue, .typeMismatch, .shapeMismatch, .outOfRange,
            .unsupportedVersion, .unknownOperation, .unsupportedOperation, .invalidGraph, .invalidArgument,
            .wrongInputCount, .tooLarge, .io, .evaluation, .assertionFailed,
        ]
        #expect(Set(codes).count == codes.count)
        #expect(ConfideError.Code.malformedJSON.description == "malformed-json")
        #expect(ConfideError.Code("custom-code") == ConfideError.Code("custom-code"))
        #expect(ConfideError.Code("custom-code").name == "custom-code")
    }

    @Test func equality() {
        #expect(ConfideError(.io, "a") == ConfideError(.io, "a"))
        #expect(ConfideError(.io, "a") != ConfideError(.io, "b"))
        #expect(ConfideError(.io, "a") != ConfideError(.evaluation, "a"))
        #expect(ConfideError(.io, "a", cause: "x") != ConfideError(.io, "a"))
    }
}
