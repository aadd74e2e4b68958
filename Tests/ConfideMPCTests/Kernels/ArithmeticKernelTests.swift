import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// Arithmetic kernels against the plaintext evaluator, for every ring and shape class, with the
/// communication each kernel declares.
@Suite("ABY3 arithmetic kernels")
struct ArithmeticKernelTests {
    static func check<W: RingWord>(_: W.Type, _ s: ScalarType, _ shape: [Int]) async throws {
        var data = MPCTestData(seed: UInt8(truncatingIfNeeded: s.bits &+ shape.count))
        let x = data.tensor(s, shape)
        let y = data.tensor(s, shape, edges: false)
        let p = data.tensor(s, shape)
        let n = x.count

        let add = try await runOnShares(W.self, [x, y]) { party, v in try party.addAA(v[0], v[1]) }
        #expect(add.value == (try plaintext(.add, [x, y])))
        #expect(countedCost(add.traffic) == .free)

        let sub = try await runOnShares(W.self, [x, y]) { party, v in try party.subAA(v[0], v[1]) }
        #expect(sub.value == (try plaintext(.subtract, [x, y])))

        let neg = try await runOnShares(W.self, [x]) { party, v in party.negA(v[0]) }
        #expect(neg.value == (try plaintext(.subtract, [Tensor.zeros(s, shape: shape), x])))

        let addP = try await runOnShares(W.self, [x]) { party, v in try party.addAP(v[0], p) }
        #expect(addP.value == (try plaintext(.add, [x, p])))

        let mulP = try await runOnShares(W.self, [x]) { party, v in try party.mulAP(v[0], p) }
        #expect(mulP.value == (try plaintext(.multiply, [x, p])))

        let mul = try await runOnShares(W.self, [x, y], owner: 1) { party, v in try await party.mulAA(v[0], v[1]) }
        #expect(mul.value == (try plaintext(.multiply, [x, y])))
        #expect(countedCost(mul.traffic) == ABY3Cost.mulAA(count: n, s))

        let square = try await runOnShares(W.self, [x], owner: 2) { party, v in try await party.mulAA(v[0], v[0]) }
        #expect(square.value == (try plaintext(.multiply, [x, x])))
    }

    @Test(arguments: arithmeticScalarTypes, shapeClasses)
    func elementwiseMatchesPlaintext(scalarType: ScalarType, shape: [Int]) async throws {
        if scalarType.isWide {
            try await Self.check(UInt128.self, scalarType, shape)
        } else {
            try await Self.check(UInt64.self, scalarType, shape)
        }
    }

    static func checkMatmul<W: RingWord>(_: W.Type, _ s: ScalarType, _ a: [Int], _ b: [Int]) async throws {
        var data = MPCTestData(seed: 9)
        let x = data.tensor(s, a)
        let y = data.tensor(s, b)
        let product = try plaintext(.matmul, [x, y])
        let result = try await runOnShares(W.self, [x, y]) { party, v in try await party.matmulAA(v[0], v[1]) }
        #expect(result.value == product)
        #expect(countedCost(result.traffic) == ABY3Cost.matmulAA(outputCount: product.count, s))
    }

    @Test(arguments: [ScalarType.u8, .i32, .u64, .i128], [([3, 4], [4, 5]), ([1, 9], [9, 1]), ([2, 3, 4], [2, 4, 2]), ([6, 1], [1, 6])])
    func matmulMatchesPlaintext(scalarType: ScalarType, shapes: ([Int], [Int])) async throws {
        if scalarType.isWide {
            try await Self.checkMatmul(UInt128.self, scalarType, shapes.0, shapes.1)
        } else {
            try await Self.checkMatmul(UInt64.self, scalarType, shapes.0, shapes.1)
        }
    }

    @Test func localLinearOperations() async throws {
        var data = MPCTestData(seed: 4)
        let x = data.tensor(.i32, [3, 4])
        let y = data.tensor(.i32, [3, 4])
        let indices = Tensor(.u64, shape: [2], narrow: [2, 0])
        let cases: [(Operation, [Tensor], [Value])] = [
            (.sum([1]), [x], []), (.sum([]), [x], []), (.cumSum(0), [x], []), (.permuteAxes([1, 0]), [x], []),
            (.get([2]), [x], []), (.reshape(.array([2, 6], .i32)), [x], []), (.stack([2]), [x, y], []),
            (.concatenate(1), [x, y], []), (.gather(0), [x], [.tensor(indices)]),
        ]
        for (op, inputs, publics) in cases {
            let expected = try Evaluator.apply(op, to: inputs.map { .tensor($0) } + publics)
            let result = try await runOnShares(UInt64.self, inputs) { party, v in try party.applyLocal(op, v, publicArguments: publics) }
            #expect(.tensor(result.value) == expected, "\(op.name)")
            #expect(countedCost(result.traffic) == .free)
        }
    }

    @Test func mismatchedOperandsAreRefused() async throws {
        let results = try await LocalSimulation.run(timeout: .seconds(20)) { party -> [ConfideError.Code?] in
            let a: ArithmeticShare<UInt64> = try party.randomShare(.u32, shape: [3])
            let b: ArithmeticShare<UInt64> = try party.randomShare(.u32, shape: [4])
            let c: ArithmeticShare<UInt64> = try party.randomShare(.i32, shape: [3])
            func code(_ body: () async throws -> Void) async -> ConfideError.Code? {
                do { try await body(); return nil } catch { return (error as? ConfideError)?.code }
            }
            return [
                await code { _ = try await party.mulAA(a, b) },
                await code { _ = try await party.mulAA(a, c) },
                await code { _ = try party.addAA(a, b) },
                await code { _ = try party.addAP(a, Tensor.zeros(.u16, shape: [3])) },
                await code { _ = try await party.matmulAA(a, b) },
                await code { _ = try party.applyLocal(.multiply, [a, a]) },
            ]
        }
        #expect(results[0].value == [.shapeMismatch, .typeMismatch, .shapeMismatch, .typeMismatch, .shapeMismatch, .unsupportedOperation])
    }
}
