import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// ApplyPermutation and InversePermutation on secrets, with public and secret-shared
/// permutations, against the plaintext evaluator; costs as estimated.
@Suite("Permutations in the planner")
struct PermutationPlannerTests {
    /// A random permutation of 0..<n as a `scalar` tensor.
    static func permutation(_ n: Int, _ scalar: ScalarType, seed: UInt8) -> Value {
        var data = MPCTestData(seed: seed)
        var p = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, Int(data.generator.uniform(below: UInt64(i + 1)))) }
        return .tensor(Tensor(scalar, shape: [n], wrapping: p.map { Int128($0) }))
    }

    /// Runs `build` on inputs owned as `owners` (nil: public), revealed to party 0, and checks the
    /// result against the evaluator and the estimate against the counted bytes.
    static func check(_ inputs: [Value], _ owners: [IOSpec.Input], _ build: (GraphBuilder, [BuilderNode]) throws -> BuilderNode) async throws {
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let nodes = try inputs.map { try g.input($0.type) }
        try g.setOutput(try build(g, nodes))
        try builder.setMain(g)
        let context = try builder.finish()
        let expected = try Evaluator().evaluate(context, inputs: inputs)
        let program = try SecureProgram(context, spec: IOSpec(inputs: owners, output: .parties([0])))
        let perParty = (0..<3).map { p in
            inputs.indices.map { i in owners[i] == .public || owners[i] == .party(p) ? inputs[i] : Value.zeros(inputs[i].type) }
        }
        let results = try await LocalSimulation.run(program, inputs: perParty)
        #expect(results[0].value == expected)
        #expect(try program.estimatedCost().bytesSent == countedCost(results.map(\.traffic)).bytesSent, "estimated bytes")
    }

    @Test(arguments: [false, true], [IOSpec.Input.public, .party(2)])
    func applyPermutationOfSecretRows(inverse: Bool, permutationOwner: IOSpec.Input) async throws {
        var data = MPCTestData(seed: inverse ? 3 : 4)
        let x = Value.tensor(data.tensor(.i32, [40, 3]))
        let y = Value.tensor(data.tensor(.u128, [40]))
        let p = Self.permutation(40, .u64, seed: 9)
        try await Self.check([x, p], [.party(1), permutationOwner]) { g, n in try g.applyPermutation(n[0], permutation: n[1], inverse: inverse) }
        try await Self.check([y, p], [.party(0), permutationOwner]) { g, n in try g.applyPermutation(n[0], permutation: n[1], inverse: inverse) }
    }

    @Test func publicRowsBySecretPermutation() async throws {
        var data = MPCTestData(seed: 5)
        let x = Value.tensor(data.tensor(.u16, [30]))
        try await Self.check([x, Self.permutation(30, .u32, seed: 2)], [.public, .party(0)]) { g, n in try g.applyPermutation(n[0], permutation: n[1], inverse: false) }
    }

    @Test(arguments: [ScalarType.u64, .u32, .u16])
    func inverseOfSecretPermutation(scalar: ScalarType) async throws {
        try await Self.check([Self.permutation(64, scalar, seed: 7)], [.party(1)]) { g, n in try g.inversePermutation(n[0]) }
        try await Self.check([Self.permutation(1, scalar, seed: 7)], [.party(1)]) { g, n in try g.inversePermutation(n[0]) }
    }

    @Test func bitsBySecretPermutationAreRefusedBeforeAnyPartyStarts() throws {
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let bits = try g.input(.array([8], .bit))
        let p = try g.input(.array([8], .u64))
        try g.setOutput(try g.applyPermutation(bits, permutation: p, inverse: false).named("shuffled"))
        try builder.setMain(g)
        let error = #expect(throws: ConfideError.self) { try SecureProgram(try builder.finish(), spec: IOSpec(inputs: [.party(0), .party(1)], output: .public)) }
        #expect(error?.code == .unsupportedOperation)
        #expect(error?.message.contains("shuffled") == true)
    }

    /// Operations that draw random indices are refused even on public inputs: each party's plaintext
    /// evaluation would draw different ones.
    @Test func randomIndexOperationsAreRefusedBeforeAnyPartyStarts() throws {
        for decompose in [false, true] {
            let builder = ContextBuilder()
            let g = builder.makeGraph()
            let map = try g.input(.array([4], .u64))
            try g.setOutput(try decompose ? g.decomposeSwitchingMap(map, n: 8) : g.cuckooToPermutation(map))
            try builder.setMain(g)
            let error = #expect(throws: ConfideError.self) { try SecureProgram(try builder.finish(), spec: IOSpec(inputs: [.public], output: .public)) }
            #expect(error?.code == .unsupportedOperation)
            #expect(error?.message.contains("draws random indices") == true, "\(String(describing: error))")
        }
    }

    /// A secret vector that is not a permutation fails the run (the kernel reveals that fact).
    @Test func aSecretNonPermutationFails() async throws {
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let x = try g.input(.array([4], .u64))
        let p = try g.input(.array([4], .u64))
        try g.setOutput(try g.applyPermutation(x, permutation: p, inverse: false))
        try builder.setMain(g)
        let program = try SecureProgram(try builder.finish(), spec: IOSpec(inputs: [.party(0), .party(1)], output: .public))
        let twice = Value.tensor(Tensor(.u64, shape: [4], wrapping: [0, 1, 1, 3]))
        let zeros = Value.zeros(twice.type)
        await #expect(throws: ConfideError.self) {
            _ = try await LocalSimulation.run(program, inputs: [[zeros, zeros], [zeros, twice], [zeros, zeros]])
        }
    }
}
