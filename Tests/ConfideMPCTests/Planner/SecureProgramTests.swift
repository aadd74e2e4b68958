import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// Uncompiled graphs planned onto ABY3 kernels, three parties in process, against the plaintext evaluator.
@Suite("Secure planner")
struct SecureProgramTests {
    static func spec(_ inputs: [IOSpec.Input], _ output: IOSpec.Output = .public) -> IOSpec { IOSpec(inputs: inputs, output: output) }

    static let arithmetic: [PlannerCase] = ScalarType.allCases.filter { $0 != .bit }.map { s in
        PlannerCase(
            name: "multiply-add \(s)", inputTypes: [.array([4, 3], s), .array([3], s), .scalar(s)], spec: spec([.party(0), .party(1), .party(2)]),
            build: { _, g, x, _ in try g.add(try g.multiply(x[0], x[1]), try g.subtract(x[2], x[0])) })
    }

    static let boolean: [PlannerCase] = [
        PlannerCase(
            name: "bit xor and and", inputTypes: [.array([3, 70], .bit), .array([70], .bit), .array([70], .bit)],
            spec: spec([.party(0), .party(1), .public]),
            build: { _, g, x, _ in try g.createTuple([try g.add(x[0], x[1]), try g.multiply(x[0], x[1]), try g.multiply(x[1], x[2]), try g.subtract(x[2], x[0])]) }),
        PlannerCase(
            name: "A2B and B2A", inputTypes: [.array([5], .i32), .array([4], .u128)], spec: spec([.party(2), .secretShared]),
            build: { _, g, x, _ in
                let bits = try g.a2b(x[0])
                return try g.createTuple([bits, try g.b2a(bits, .i32), try g.b2a(try g.a2b(x[1]), .u128)])
            }),
        PlannerCase(
            name: "mixed multiply", inputTypes: [.array([2, 6], .u64), .array([6], .bit)], spec: spec([.party(0), .party(1)]),
            build: { _, g, x, _ in try g.mixedMultiply(x[0], x[1]) }),
        PlannerCase(
            name: "not, or, mux", inputTypes: [.array([9], .bit), .array([9], .bit), .array([9], .i16), .array([9], .i16)],
            spec: spec([.party(0), .party(1), .party(2), .public]),
            build: { _, g, x, _ in
                let not = try g.addNode(.custom(CustomOperation("Not")), dependencies: [x[0]])
                let or = try g.addNode(.custom(CustomOperation("Or")), dependencies: [x[0], x[1]])
                let mux = try g.addNode(.custom(CustomOperation("Mux")), dependencies: [x[0], x[2], x[3]])
                let bitMux = try g.addNode(.custom(CustomOperation("Mux")), dependencies: [x[1], not, or])
                return try g.createTuple([not, or, mux, bitMux])
            }),
        PlannerCase(
            name: "comparisons on binary numbers", inputTypes: [.array([2, 6], .i32), .array([6], .i32)], spec: spec([.party(0), .party(2)]),
            build: { _, g, x, _ in
                let a = try g.a2b(x[0]), b = try g.a2b(x[1])
                var outputs: [BuilderNode] = []
                for name in ["GreaterThan", "GreaterThanEqualTo", "LessThan", "LessThanEqualTo"] {
                    for signed in [false, true] {
                        outputs.append(try g.addNode(.custom(.comparison(name, signed: signed)), dependencies: [a, b]))
                    }
                }
                outputs.append(try g.addNode(.custom(CustomOperation("Equal")), dependencies: [a, b]))
                outputs.append(try g.addNode(.custom(CustomOperation("NotEqual")), dependencies: [a, b]))
                return try g.createTuple(outputs)
            },
            fixedInputs: [1: .tensor(Tensor(.i32, shape: [6], wrapping: [0, -1, 5, Int128(Int32.max), Int128(Int32.min), 7]))]),
        PlannerCase(
            name: "max, min and binary add", inputTypes: [.array([5], .u16), .array([5], .u16)], spec: spec([.party(1), .secretShared]),
            build: { _, g, x, _ in
                let a = try g.a2b(x[0]), b = try g.a2b(x[1])
                return try g.createTuple([
                    try g.b2a(try g.addNode(.custom(CustomOperation("Max", parameters: [("signed_comparison", .bool(true))])), dependencies: [a, b]), .u16),
                    try g.b2a(try g.addNode(.custom(CustomOperation("Min", parameters: [("signed_comparison", .bool(false))])), dependencies: [a, b]), .u16),
                    try g.addNode(.custom(CustomOperation("BinaryAdd", parameters: [("overflow_bit", .bool(true))])), dependencies: [a, b]),
                    try g.addNode(.custom(CustomOperation("BinaryAdd", parameters: [("overflow_bit", .bool(false))])), dependencies: [a, b]),
                ])
            }),
        PlannerCase(
            name: "clip2k", inputTypes: [.array([7], .i16)], spec: spec([.party(1)], .parties([0])),
            build: { _, g, x, _ in try g.addNode(.custom(CustomOperation("Clip2K", parameters: [("k", .int(5))])), dependencies: [try g.a2b(x[0])]) }),
    ]

    static let sorting: [PlannerCase] = [ScalarType.u8, .i16, .u32, .i64, .u128].map { s in
        PlannerCase(
            name: "SortByIntegerKey \(s) with payloads", inputTypes: [.array([13], s), .array([13, 2], .i32), .array([13], .bit)],
            spec: spec([.party(0), .party(1), .public], .parties([1])),
            build: { _, g, x, _ in
                let table = try g.createNamedTuple([("key", x[0]), ("payload", x[1]), ("flag", x[2])])
                return try g.addNode(.custom(CustomOperation("SortByIntegerKey", parameters: [("key", .string("key"))])), dependencies: [table])
            })
    } + [
        PlannerCase(
            name: "Sort by a binary key", inputTypes: [.array([9], .u16), .array([9], .i32)], spec: spec([.party(2), .party(0)]),
            build: { _, g, x, _ in
                let table = try g.createNamedTuple([("k", try g.a2b(x[0])), ("v", x[1])])
                return try g.addNode(.sort(key: "k"), dependencies: [table])
            }),
    ]

    static let cases: [PlannerCase] = arithmetic + boolean + sorting + [
        PlannerCase(
            name: "public operands stay public", inputTypes: [.array([5], .i32), .array([5], .i32)], spec: spec([.party(0), .public], .parties([1])),
            build: { _, g, x, _ in try g.multiply(try g.subtract(x[1], x[0]), try g.add(x[1], x[1])) }),
        PlannerCase(
            name: "public minus secret", inputTypes: [.array([2, 2], .u16), .scalar(.u16)], spec: spec([.secretShared, .public]),
            build: { _, g, x, _ in try g.subtract(x[1], x[0]) }),
        PlannerCase(
            name: "matmul secret×secret", inputTypes: [.array([3, 4], .i64), .array([4, 2], .i64)], spec: spec([.party(0), .party(1)], .parties([0, 2])),
            build: { _, g, x, _ in try g.matmul(x[0], x[1]) }),
        PlannerCase(
            name: "matmul public×secret", inputTypes: [.array([3, 4], .u32), .array([4, 2], .u32)], spec: spec([.public, .party(2)]),
            build: { _, g, x, _ in try g.matmul(x[0], x[1]) }),
        PlannerCase(
            name: "batched matmul", inputTypes: [.array([2, 3, 4], .i32), .array([4, 5], .i32)], spec: spec([.party(1), .party(2)]),
            build: { _, g, x, _ in try g.matmul(x[0], x[1]) }),
        PlannerCase(
            name: "matmul vector promotion", inputTypes: [.array([4], .u64), .array([4, 3], .u64)], spec: spec([.party(0), .party(1)]),
            build: { _, g, x, _ in try g.matmul(x[0], x[1]) }),
        PlannerCase(
            name: "dot of vectors", inputTypes: [.array([6], .i16), .array([6], .i16)], spec: spec([.party(0), .secretShared]),
            build: { _, g, x, _ in try g.dot(x[0], x[1]) }),
        PlannerCase(
            name: "dot of matrices", inputTypes: [.array([2, 3], .u128), .array([3, 2], .u128)], spec: spec([.party(2), .party(0)]),
            build: { _, g, x, _ in try g.dot(x[0], x[1]) }),
        PlannerCase(
            name: "dot with a scalar", inputTypes: [.scalar(.i8), .array([3], .i8)], spec: spec([.party(0), .party(1)]),
            build: { _, g, x, _ in try g.dot(x[0], x[1]) }),
        PlannerCase(
            name: "gemm transposed", inputTypes: [.array([4, 3], .i32), .array([2, 4], .i32)], spec: spec([.party(0), .party(1)]),
            build: { _, g, x, _ in try g.gemm(x[0], x[1], transposeA: true, transposeB: true) }),
        PlannerCase(
            name: "sum and cumsum", inputTypes: [.array([3, 4], .u8)], spec: spec([.party(1)]),
            build: { _, g, x, _ in try g.createTuple([try g.sum(x[0], axes: [1]), try g.cumSum(x[0], axis: 0), try g.sum(x[0], axes: [])]) }),
        PlannerCase(
            name: "permute, get, slice, reshape", inputTypes: [.array([2, 3, 4], .i64)], spec: spec([.party(2)], .parties([1])),
            build: { _, g, x, _ in
                let p = try g.permuteAxes(x[0], axes: [2, 0, 1])
                let s = try g.getSlice(p, [.subArray(start: 1, stop: nil, step: 2), .ellipsis])
                return try g.createTuple([try g.get(p, index: [3]), s, try g.reshape(x[0], .array([6, 4], .i64))])
            }),
        PlannerCase(
            name: "stack and concatenate secret with public", inputTypes: [.array([2, 3], .u32), .array([2, 3], .u32)], spec: spec([.party(0), .public]),
            build: { _, g, x, _ in try g.createTuple([try g.stack([x[0], x[1]], outerShape: [2]), try g.concatenate([x[1], x[0]], axis: 1)]) }),
        PlannerCase(
            name: "gather with public indices", inputTypes: [.array([5, 2], .i16), .array([3], .u64)], spec: spec([.party(1), .public]),
            build: { _, g, x, _ in try g.gather(x[0], indices: x[1], axis: 0) },
            fixedInputs: [1: .tensor(Tensor(.u64, shape: [3], narrow: [4, 0, 4]))]),
        PlannerCase(
            name: "tuples and named tuples", inputTypes: [.tuple([.scalar(.u8), .array([2], .i32)]), .scalar(.u8)], spec: spec([.party(0), .party(1)]),
            build: { _, g, x, _ in
                let t = try g.tupleGet(x[0], index: 1)
                let n = try g.createNamedTuple([("a", try g.add(try g.tupleGet(x[0], index: 0), x[1])), ("b", t)])
                return try g.createTuple([try g.namedTupleGet(n, key: "a"), try g.namedTupleGet(n, key: "b")])
            }),
        PlannerCase(
            name: "vectors", inputTypes: [.array([3, 2], .i32), .scalar(.u64)], spec: spec([.party(2), .public]),
            build: { _, g, x, _ in
                let v = try g.arrayToVector(x[0])
                let z = try g.zip([v, try g.repeat(try g.vectorGet(v, index: x[1]), count: 3)])
                return try g.createTuple([z, try g.vectorToArray(v)])
            },
            fixedInputs: [1: .scalar(.u64, 2)]),
        PlannerCase(
            name: "call", inputTypes: [.array([3], .u32), .array([3], .u32)], spec: spec([.party(0), .party(1)]),
            build: { _, g, x, f in try g.call(f[0], [x[0], x[1]]) },
            subgraphs: { b in
                let f = b.makeGraph()
                let a = try f.input(.array([3], .u32)), c = try f.input(.array([3], .u32))
                try f.setOutput(try f.multiply(a, c))
                return [f]
            }),
        PlannerCase(
            name: "iterate", inputTypes: [.scalar(.i32), .vector(4, .scalar(.i32))], spec: spec([.party(1), .party(2)]),
            build: { _, g, x, f in try g.iterate(f[0], state: x[0], input: x[1]) },
            subgraphs: { b in
                let f = b.makeGraph()
                let state = try f.input(.scalar(.i32)), element = try f.input(.scalar(.i32))
                let next = try f.add(try f.multiply(state, element), element)
                try f.setOutput(try f.createTuple([next, try f.multiply(element, element)]))
                return [f]
            }),
        PlannerCase(
            name: "constants mixed in", inputTypes: [.array([2], .u16)], spec: spec([.party(0)], .secretShared),
            build: { _, g, x, _ in
                try g.multiply(try g.add(x[0], try g.constant(.tensor(Tensor(.u16, shape: [2], narrow: [7, 65535])))), try g.ones(.scalar(.u16)))
            }),
        PlannerCase(
            name: "secret-shared tuple input", inputTypes: [.tuple([.array([2], .i32), .scalar(.i32)])], spec: spec([.secretShared], .parties([2])),
            build: { _, g, x, _ in try g.multiply(try g.tupleGet(x[0], index: 0), try g.tupleGet(x[0], index: 1)) }),
    ]

    @Test(arguments: cases)
    func matchesPlaintext(_ c: PlannerCase) async throws {
        let traffic = try await checkPlannerCase(c)
        try checkEstimate(c, traffic)
    }

    /// The cost estimated before the run: each party's bytes exactly as counted, and at least as
    /// many rounds as any party took part in.
    func checkEstimate(_ c: PlannerCase, _ traffic: [TrafficStatistics], injectionBits: Int = ABY3Party.sortInjectionBits) throws {
        let estimate = try SecureProgram(try c.context(), spec: c.spec).estimatedCost(injectionBits: injectionBits)
        let counted = countedCost(traffic)
        #expect(estimate.bytesSent == counted.bytesSent, "\(c.name): estimated bytes \(estimate.bytesSent), sent \(counted.bytesSent)")
        #expect(estimate.rounds >= counted.rounds, "\(c.name): estimated \(estimate.rounds) rounds, took \(counted.rounds)")
        #expect(estimate.rounds <= counted.rounds + 2 * c.inputTypes.count + 1, "\(c.name): estimated \(estimate.rounds) rounds, took \(counted.rounds)")
    }

    @Test func sortCostsAreEstimatedWithInjectionGroups() async throws {
        let c = Self.sorting[2]
        let context = try c.context()
        var data = MPCTestData(seed: 4)
        let values = c.inputTypes.map { plannerRandomValue($0, &data) }
        let program = try SecureProgram(context, spec: c.spec)
        let results = try await LocalSimulation.run(timeout: .seconds(30)) { party in
            let before = party.communicator.statistics()
            var inputs: [SecureValue] = []
            for (i, v) in values.enumerated() {
                let t = v.tensor!
                guard case let .party(owner) = c.spec.inputs[i] else {
                    inputs.append(.plain(v))
                    continue
                }
                inputs.append(.shared(try await party.share(party.index == owner ? t : nil, scalarType: t.scalarType, shape: t.shape, owner: owner)))
            }
            let table = SecureValue.namedTuple([("key", inputs[0]), ("payload", inputs[1]), ("flag", inputs[2])])
            let columns = try table.children!.map { try program.tensor($0, party: party) }
            let sorted = try await party.sortColumns(zip(["key", "payload", "flag"], columns).map { ($0, $1) }, key: "key", binaryKey: false, injectionBits: 13 * 5)
            for column in sorted { _ = try await party.reveal(column.value, to: [1]) }
            return party.communicator.statistics().since(before)
        }
        try checkEstimate(c, results.map(\.value), injectionBits: 13 * 5)
    }

    @Test func iterationOverALongVectorIsEstimatedWithoutUnrolling() throws {
        let c = PlannerCase(
            name: "long iterate", inputTypes: [.scalar(.u64), .vector(1 << 28, .scalar(.u64))], spec: Self.spec([.public, .party(0)]),
            build: { _, g, x, f in try g.iterate(f[0], state: x[0], input: x[1]) },
            subgraphs: { b in
                let f = b.makeGraph()
                let state = try f.input(.scalar(.u64)), element = try f.input(.scalar(.u64))
                try f.setOutput(try f.createTuple([try f.multiply(state, element), element]))
                return [f]
            })
        let estimate = try SecureProgram(try c.context(), spec: c.spec).estimatedCost()
        // Sharing 2^28 elements (one round each), then 2^28 − 1 multiplications (the first has a
        // public state), then the reveal of the state and of 2^28 elements.
        let n = 1 << 28
        #expect(estimate.rounds == n + (n - 1) + 1 + n)
        #expect(estimate.bytesSent[0] == 8 * n + 8 * (n - 1) + 8 * (n + 1))
    }

    @Test func publicComputationSendsNothing() async throws {
        let c = PlannerCase(
            name: "all public", inputTypes: [.array([4], .i32), .array([4], .i32)], spec: Self.spec([.public, .public]),
            build: { _, g, x, _ in try g.matmul(x[0], x[1]) })
        let traffic = try await checkPlannerCase(c)
        #expect(traffic.allSatisfy { $0.bytesSent == 0 })
    }

    @Test func multiplicationTakesOneRoundBeforeTheReveal() async throws {
        let c = PlannerCase(
            name: "one multiplication", inputTypes: [.array([8], .u64), .array([8], .u64)], spec: Self.spec([.party(0), .party(1)], .parties([2])),
            build: { _, g, x, _ in try g.multiply(x[0], x[1]) })
        let traffic = try await checkPlannerCase(c)
        // Two input rounds (one per owner), one multiplication, one reveal.
        #expect(traffic.map(\.rounds).max() == 4)
    }

    @Test func unsupportedOperationsAreRefusedBeforeAnyPartyStarts() throws {
        for word in ["PermutationFromPRF", "Print"] {
            let builder = ContextBuilder()
            let g = builder.makeGraph()
            let x = try g.input(.array([128], .bit))
            let node = word == "Print" ? try g.addNode(.print("x"), dependencies: [x]) : try g.addNode(.permutationFromPRF(iv: 1, n: 4), dependencies: [x])
            try g.setOutput(node)
            try builder.setMain(g)
            let error = #expect(throws: ConfideError.self) { try SecureProgram(try builder.finish(), spec: IOSpec(inputs: [.party(0)], output: .public)) }
            #expect(error?.code == .unsupportedOperation)
            #expect(error?.message.contains("node 1 (\(word))") == true, "\(error?.message ?? "")")
        }
    }

    @Test func badSpecsAreRefused() throws {
        let context = try Self.cases[0].context()
        #expect(throws: ConfideError.self) { try SecureProgram(context, spec: IOSpec(inputs: [.party(0)], output: .public)) }
        let three = #expect(throws: ConfideError.self) { try SecureProgram(context, spec: IOSpec(inputs: [.party(0), .party(1), .party(2)], output: .parties([3]))) }
        #expect(three?.message.contains("output party 3") == true)
        #expect(throws: ConfideError.self) { try IOSpec(inputParties: "0,7", outputParties: "public") }
        #expect(throws: ConfideError.self) { try IOSpec(inputParties: "0,1", outputParties: "3") }
        #expect(try IOSpec(inputParties: "0, public,secret-shared", outputParties: "0,1") == IOSpec(inputs: [.party(0), .public, .secretShared], output: .parties([0, 1])))
    }

    @Test func wrongInputTypesNameTheInput() async throws {
        let c = Self.cases[0]
        let program = try SecureProgram(try c.context(), spec: c.spec)
        let wrong: [Value] = [.scalar(.u8, 1), .scalar(.u8, 1), .scalar(.u8, 1)]
        let error = await #expect(throws: ConfideError.self) { _ = try await LocalSimulation.run(program, inputs: [wrong, wrong, wrong], timeout: .seconds(5)) }
        #expect(error?.code == .typeMismatch)
        #expect(error?.message.contains(": input ") == true && error?.message.contains("expected type") == true, "\(error?.message ?? "")")
    }

    @Test(arguments: [ScalarType.i64, .u64, .i32, .i128])
    func fixedPointTruncationIsWithinOneOfThePlaintext(scalarType: ScalarType) async throws {
        let c = PlannerCase(
            name: "fixed-point product \(scalarType)", inputTypes: [.array([64], scalarType), .array([64], scalarType)],
            spec: Self.spec([.party(0), .party(1)], .parties([2])),
            build: { _, g, x, _ in try g.truncate(try g.multiply(x[0], x[1]), scale: 1 << 8) })
        let context = try c.context()
        var data = MPCTestData(seed: 77)
        // Small magnitudes (|x·y| < 2^20), as fixed-point values are, so truncation does not fail.
        func small() -> Value {
            .tensor(Tensor(scalarType, shape: [64], wrapping: (0..<64).map { _ in Int128(data.generator.uniform(below: 1024)) - (scalarType.isSigned ? 512 : 0) }))
        }
        let a = small(), b = small()
        let expected = try #require(try Evaluator().evaluate(context, inputs: [a, b]).tensor)
        let program = try SecureProgram(context, spec: c.spec)
        let zero = Value.zeros(a.type)
        let results = try await LocalSimulation.run(program, inputs: [[a, zero], [zero, b], [zero, zero]])
        // Two input rounds, ONE fused multiply-and-truncate round, one reveal.
        #expect(results.map(\.traffic.rounds).max() == 4)
        let got = try #require(results[2].value?.tensor)
        for i in 0..<64 {
            let difference = got.value(at: i) - expected.value(at: i)
            #expect(abs(difference) <= 1, "element \(i): \(got.value(at: i)) vs \(expected.value(at: i))")
        }
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let x = try g.input(.scalar(.i32))
        try g.setOutput(try g.truncate(x, scale: 1 << 32))
        try builder.setMain(g)
        let error = #expect(throws: ConfideError.self) { try SecureProgram(try builder.finish(), spec: IOSpec(inputs: [.party(0)], output: .public)) }
        #expect(error?.message.contains("scale below the ring size, found 4294967296") == true)
    }

    /// Truncate by public scales that are not powers of two (a mean over a count): one round, each
    /// element within 1 of the evaluator's quotient rounded toward zero.
    @Test(arguments: [UInt128(3), 7, 1000, 123_457])
    func truncationByAnyScaleIsWithinOneOfThePlaintext(scale: UInt128) async throws {
        let builder = ContextBuilder()
        let g = builder.makeGraph()
        let x = try g.input(.array([200], .i64))
        try g.setOutput(try g.truncate(x, scale: scale))
        try builder.setMain(g)
        let context = try builder.finish()
        var data = MPCTestData(seed: UInt8(truncatingIfNeeded: Int(scale % 200)))
        let edges: [Int128] = [0, 1, -1, Int128(scale), -Int128(scale), Int128(scale) - 1, 1 << 40, -(1 << 40)]
        let values = edges + (0..<192).map { _ in Int128(data.generator.uniform(below: 1 << 41)) - (1 << 40) }
        let a = Value.tensor(Tensor(.i64, shape: [200], wrapping: values))
        let expected = try #require(try Evaluator().evaluate(context, inputs: [a]).tensor)
        let program = try SecureProgram(context, spec: IOSpec(inputs: [.party(1)], output: .parties([0])))
        let results = try await LocalSimulation.run(program, inputs: [[.zeros(a.type)], [a], [.zeros(a.type)]])
        let got = try #require(results[0].value?.tensor)
        for i in 0..<200 {
            #expect(abs(got.value(at: i) - expected.value(at: i)) <= 1, "element \(i)")
        }
        // Share, truncate, reveal.
        #expect(results.map(\.traffic.rounds).max() == 3)
    }

    @Test func operationsWithoutKernelsAreRefusedOnlyOnSecrets() throws {
        func program(_ spec: [IOSpec.Input]) throws -> SecureProgram {
            let builder = ContextBuilder()
            let g = builder.makeGraph()
            let values = try g.input(.array([4], .u32))
            let permutation = try g.input(.array([4], .u64))
            try g.setOutput(try g.gather(values, indices: try g.inversePermutation(permutation), axis: 0))
            try builder.setMain(g)
            return try SecureProgram(try builder.finish(), spec: IOSpec(inputs: spec, output: .public))
        }
        _ = try program([.party(0), .public])
        let secret = #expect(throws: ConfideError.self) { try program([.party(0), .party(1)]) }
        #expect(secret?.code == .unsupportedOperation)
        // The secret permutation's inverse runs on shares; gathering by the secret result cannot.
        #expect(secret?.message.contains("node 3 (Gather): Gather needs public indices") == true, "\(secret?.message ?? "")")
    }

    @Test func fixedPointMatrixProductIsFusedAndWithinOne() async throws {
        let c = PlannerCase(
            name: "fixed-point matmul", inputTypes: [.array([3, 5], .i64), .array([5, 4], .i64)], spec: Self.spec([.party(0), .party(1)], .public),
            build: { _, g, x, _ in try g.truncate(try g.matmul(x[0], x[1]), scale: 1 << 10) })
        let context = try c.context()
        var data = MPCTestData(seed: 78)
        func small(_ shape: [Int]) -> Value {
            .tensor(Tensor(.i64, shape: shape, wrapping: (0..<Tensor.elementCount(shape)).map { _ in Int128(data.generator.uniform(below: 1 << 16)) - (1 << 15) }))
        }
        let a = small([3, 5]), b = small([5, 4])
        let expected = try #require(try Evaluator().evaluate(context, inputs: [a, b]).tensor)
        let results = try await LocalSimulation.run(
            try SecureProgram(context, spec: c.spec), inputs: [[a, .zeros(b.type)], [.zeros(a.type), b], [.zeros(a.type), .zeros(b.type)]])
        #expect(results.map(\.traffic.rounds).max() == 4)
        let got = try #require(results[0].value?.tensor)
        for i in 0..<12 { #expect(abs(got.value(at: i) - expected.value(at: i)) <= 1) }
    }
}
