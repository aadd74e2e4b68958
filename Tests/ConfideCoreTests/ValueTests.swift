import Testing
@testable import ConfideCore

@Suite struct ValueTests {
    @Test func types() {
        let v: Value = .tuple([
            .scalar(.u8, 3),
            .namedTuple([.init("a", .tensor(.zeros(.bit, shape: [2])))]),
            .vector(elementType: .scalar(.i32), [.scalar(.i32, 1), .scalar(.i32, 2)]),
        ])
        #expect(v.type == .tuple([.scalar(.u8), .namedTuple([.init("a", .array([2], .bit))]), .vector(2, .scalar(.i32))]))
        #expect(Value.vector(elementType: .tuple([]), []).type == .vector(0, .tuple([])))
        #expect(v.tensor == nil)
        #expect(v.children?.count == 3)
        #expect(Value.scalar(.u8, 1).children == nil)
        #expect(Value.scalar(.u8, 300).tensor?.residues == [44])
    }

    @Test func filledValuesOfEveryType() {
        for t in coreTestsSampleTypes {
            for residue: UInt128 in [0, 1, 5, .max] {
                let v = Value.filled(t, residue: residue)
                #expect(v.type == t)
                for leaf in Self.leaves(v) {
                    #expect(leaf.residues.allSatisfy { $0 == residue & leaf.scalarType.mask128 })
                }
            }
            #expect(Value.zeros(t) == Value.filled(t, residue: 0))
            #expect(Value.ones(t) == Value.filled(t, residue: 1))
            #expect(Self.leaves(Value.ones(t)).allSatisfy { $0.residues.allSatisfy { $0 == 1 } })
        }
    }

    private static func leaves(_ v: Value) -> [Tensor] {
        if let t = v.tensor { return [t] }
        return (v.children ?? []).flatMap { leaves($0) }
    }

    @Test func checkNamesBothTypes() throws {
        let v = Value.zeros(.array([2, 3], .u32))
        try v.check(.array([2, 3], .u32), what: "input 1")
        let error = #expect(throws: ConfideError.self) { try v.check(.array([3, 2], .u32), what: "input 1") }
        #expect(error?.code == .typeMismatch)
        #expect(error?.message.contains("input 1") == true)
        #expect(error?.message.contains("u32[3, 2]") == true)
        #expect(error?.message.contains("u32[2, 3]") == true)
        let tupleError = #expect(throws: ConfideError.self) { try Value.tuple([]).check(.scalar(.bit), what: "x") }
        #expect(tupleError?.message.contains("()") == true && tupleError?.message.contains("bit") == true)
    }

    @Test func equality() {
        #expect(Value.scalar(.u8, 1) != Value.scalar(.i8, 1))
        #expect(Value.tuple([.scalar(.u8, 1)]) == Value.tuple([.scalar(.u8, 1)]))
        #expect(Value.namedTuple([.init("a", .scalar(.u8, 1))]) != Value.namedTuple([.init("b", .scalar(.u8, 1))]))
        #expect(Value.vector(elementType: .scalar(.u8), []) != Value.vector(elementType: .scalar(.i8), []))
    }
}
