import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// LongDivision on secrets: integers from parties 0 and 1 go through A2B, LongDivision and B2A,
/// revealed to party 2. The division is exact bit logic, so the secure result equals the
/// evaluator's (CipherCore's values, division by zero included), and the estimated cost is the
/// counted one in bytes.
@Suite("LongDivision on secrets")
struct LongDivisionPlannerTests {
    static func op(signed: Bool) -> CustomOperation {
        CustomOperation("LongDivision", parameters: [("signed", .bool(signed))])
    }

    /// `(q, r)` of `dividend / divisor` as integers of the inputs' scalar types.
    static func divisionCase(_ name: String, _ dividend: Value, _ divisor: Value, signed: Bool) -> PlannerCase {
        let ds = dividend.type.scalarType!, vs = divisor.type.scalarType!
        let spec = IOSpec(inputs: [.party(0), .party(1)], output: .parties([2]))
        var c = PlannerCase(
            name: name, inputTypes: [dividend.type, divisor.type], spec: spec,
            build: { _, g, x, _ in
                let result = try g.custom(Self.op(signed: signed), [try g.a2b(x[0]), try g.a2b(x[1])])
                return try g.createTuple([try g.b2a(try g.tupleGet(result, index: 0), ds), try g.b2a(try g.tupleGet(result, index: 1), vs)])
            })
        c.fixedInputs = [0: dividend, 1: divisor]
        return c
    }

    static func tensor(_ s: ScalarType, _ values: [Int128], shape: [Int]? = nil) -> Value {
        .tensor(Tensor(s, shape: shape ?? [values.count], wrapping: values))
    }

    /// `count` values from the generator after the edges (two's complement wrapped to `s`).
    static func values(_ s: ScalarType, seed: UInt8, count: Int, edges: [Int128]) -> [Int128] {
        var data = MPCTestData(seed: seed)
        let random = data.tensor(s, [count], edges: false)
        return edges + (0..<count).map { random.value(at: $0) }
    }

    static let cases: [PlannerCase] = [
        divisionCase(
            "i32 / i8",
            tensor(.i32, values(.i32, seed: 1, count: 12, edges: [55557, -55557, 55557, -55557, Int128(Int32.max), Int128(Int32.min), Int128(Int32.min), 0, -1, 7, -7, 1])),
            tensor(.i8, values(.i8, seed: 2, count: 12, edges: [5, 5, -5, -5, 64, 1, -1, 0, 0, 0, Int128(Int8.min), Int128(Int8.max)])),
            signed: true),
        divisionCase(
            "u16 / u16",
            tensor(.u16, values(.u16, seed: 3, count: 12, edges: [65535, 0, 65535, 1, 40000, 255, 300])),
            tensor(.u16, values(.u16, seed: 4, count: 12, edges: [1, 0, 0, 65535, 40001, 256, 7])),
            signed: false),
        divisionCase(
            "i8 / i8 broadcast",
            tensor(.i8, [7, 8, 9, -7, -8, -9, 0, -128, 127], shape: [3, 3]),
            tensor(.i8, [3, -3, 0], shape: [3]),
            signed: true),
        divisionCase(
            "u8 / u32",
            tensor(.u8, values(.u8, seed: 5, count: 8, edges: [255, 0, 17])),
            tensor(.u32, values(.u32, seed: 6, count: 8, edges: [2, 0, Int128(UInt32.max)])),
            signed: false),
    ]

    @Test(arguments: cases)
    func matchesTheEvaluator(_ c: PlannerCase) async throws {
        let traffic = try await checkPlannerCase(c)
        let estimate = try SecureProgram(try c.context(), spec: c.spec).estimatedCost()
        let counted = countedCost(traffic)
        #expect(estimate.bytesSent == counted.bytesSent, "\(c.name): estimated bytes \(estimate.bytesSent), sent \(counted.bytesSent)")
        #expect(estimate.rounds >= counted.rounds, "\(c.name): estimated \(estimate.rounds) rounds, took \(counted.rounds)")
        #expect(estimate.rounds <= counted.rounds + 2 * c.inputTypes.count + 1, "\(c.name): estimated \(estimate.rounds) rounds, took \(counted.rounds)")
    }

    /// Unsigned with a dividend wider than the divisor is refused before any party starts, naming
    /// the node: CipherCore's quotient is wrong for divisors above 2^(m−1), which shares hide.
    @Test func unsignedWiderDividendIsRefusedNamingTheNode() throws {
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let x = try g.input(.array([4, 32], .bit)), y = try g.input(.array([4, 8], .bit))
        try g.setOutput(try g.custom(Self.op(signed: false), [x, y]).named("ratio"))
        try builder.setMain(g)
        let error = #expect(throws: ConfideError.self) {
            try SecureProgram(try builder.finish(), spec: IOSpec(inputs: [.party(0), .party(1)], output: .public))
        }
        #expect(error?.code == .outOfRange)
        #expect(error?.message.contains("ratio") == true && error?.message.contains("2^7") == true)
        // Signed, or unsigned of equal widths, is planned.
        let signed = ContextBuilder()
        let h = signed.makeGraph()
        let a = try h.input(.array([4, 32], .bit)), b = try h.input(.array([4, 8], .bit))
        try h.setOutput(try h.custom(Self.op(signed: true), [a, b]))
        try signed.setMain(h)
        _ = try SecureProgram(try signed.finish(), spec: IOSpec(inputs: [.party(0), .party(1)], output: .public))
    }
}
