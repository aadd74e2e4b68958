import Testing
@testable import ConfideCore

@Suite struct ValueTypeTests {
    @Test func descriptionsMatchCipherCore() {
        let t: ValueType = .tuple([.vector(10, .array([2, 1, 4], .bit))])
        #expect(t.description == "(<bit[2, 1, 4]{10}>)")
        #expect(ValueType.scalar(.i32).description == "i32")
        #expect(ValueType.array([2, 3], .u32).description == "u32[2, 3]")
        #expect(ValueType.tuple([]).description == "()")
        #expect(ValueType.namedTuple([.init("a", .scalar(.bit)), .init("b", .scalar(.u8))]).description == "(\"a\": bit, \"b\": u8)")
    }

    @Test func tensorAccessors() {
        #expect(ValueType.tensor([], .u8) == .scalar(.u8))
        #expect(ValueType.tensor([3], .u8) == .array([3], .u8))
        #expect(ValueType.scalar(.u8).shape == [])
        #expect(ValueType.array([2, 5], .u8).shape == [2, 5])
        #expect(ValueType.tuple([]).shape == nil)
        #expect(ValueType.array([2], .i16).scalarType == .i16)
        #expect(ValueType.vector(1, .scalar(.u8)).scalarType == nil)
        #expect(ValueType.scalar(.bit).isTensor && ValueType.scalar(.bit).isScalar && !ValueType.scalar(.bit).isArray)
        #expect(ValueType.array([1], .bit).isTensor && ValueType.array([1], .bit).isArray)
        #expect(!ValueType.tuple([]).isTensor)
    }

    @Test func sizes() {
        let t: ValueType = .tuple([.array([2, 3], .u32), .vector(4, .scalar(.bit)), .namedTuple([.init("x", .scalar(.i128))])])
        #expect(t.scalarCount == 6 + 4 + 1)
        #expect(t.sizeInBits == 6 * 32 + 4 + 128)
        #expect(t.nodeCount == 1 + 1 + (1 + 4) + (1 + 1))
        #expect(ValueType.vector(0, .scalar(.u8)).scalarCount == 0)
        #expect(ValueType.tuple([]).sizeInBits == 0)
    }

    @Test func sizesSaturateInsteadOfOverflowing() {
        let huge: ValueType = .array([Int.max / 2, 4], .u64)
        #expect(huge.scalarCount == .max)
        #expect(huge.sizeInBits == .max)
        #expect(ValueType.vector(Int.max, .vector(Int.max, .scalar(.u8))).nodeCount == .max)
    }

    @Test func deeplyNestedSizesAreLinear() throws {
        // A naive implementation evaluates children twice per level (2^200 steps).
        var t: ValueType = .scalar(.u8)
        for _ in 0..<200 { t = .tuple([t, .scalar(.bit)]) }
        #expect(t.scalarCount == 201)
        #expect(t.sizeInBits == 8 + 200)
        try t.validate()
    }

    @Test func validateAcceptsSampleTypes() throws {
        for t in coreTestsSampleTypes { try t.validate() }
    }

    @Test(arguments: [
        (ValueType.array([], .u8), ConfideError.Code.invalidType),
        (.array([0], .u8), .invalidType),
        (.array([3, -1], .u8), .invalidType),
        (.vector(-1, .scalar(.u8)), .invalidType),
        (.tuple([.array([2, 0], .bit)]), .invalidType),
        (.namedTuple([.init("a", .vector(-2, .tuple([])))]), .invalidType),
        (.array([1 << 21, 1 << 21], .u8), .tooLarge),
        (.array([Int.max, Int.max], .u8), .tooLarge),
        (.vector(1 << 20, .array([1 << 21], .bit)), .tooLarge),
        (.vector(1 << 40, .tuple([])), .tooLarge),
        (.vector(Int.max, .vector(Int.max, .scalar(.u8))), .tooLarge),
    ])
    func validateRejects(_ t: ValueType, _ code: ConfideError.Code) {
        let error = #expect(throws: ConfideError.self) { try t.validate() }
        #expect(error?.code == code)
    }
}
