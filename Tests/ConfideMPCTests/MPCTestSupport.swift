import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// Deterministic test data from a keyed AES-CTR stream.
struct MPCTestData {
    var generator: AESCTRGenerator

    init(seed: UInt8) {
        generator = try! AESCTRGenerator(key: [UInt8](repeating: seed, count: 16))
    }

    /// A random tensor whose first elements are the type's edge values (0, 1, −1, min, max, and
    /// the boundary residues) when it has room for them.
    mutating func tensor(_ s: ScalarType, _ shape: [Int], edges: Bool = true) -> Tensor {
        let n = Tensor.elementCount(shape)
        var residues = (0..<n).map { _ in generator.next(UInt128.self) & s.mask128 }
        if edges {
            let edge: [UInt128] = [0, 1, s.mask128, s.minResidue, s.maxResidue, s.minResidue &+ 1, s.maxResidue &- 1, 2]
            for (i, e) in edge.prefix(n).enumerated() { residues[i] = e & s.mask128 }
        }
        return Tensor(s, shape: shape, residues: residues)
    }
}

/// The plaintext evaluator's result of one operation.
func plaintext(_ op: Operation, _ args: [Tensor]) throws -> Tensor {
    guard case let .tensor(t) = try Evaluator.apply(op, to: args.map { .tensor($0) }) else {
        throw ConfideError(.typeMismatch, "not a tensor")
    }
    return t
}

/// Every ring the arithmetic kernels support (bit is covered by the binary kernels).
let arithmeticScalarTypes: [ScalarType] = ScalarType.allCases.filter { $0 != .bit }

/// Shape classes: scalar, vector, matrix, batched.
let shapeClasses: [[Int]] = [[], [17], [5, 7], [2, 3, 4]]

/// Runs `body` on three parties where party `owner` shares each of `inputs`; returns party 0's
/// result (which the body reveals to everyone) and the traffic of the kernel alone.
func runOnShares<W: RingWord>(
    _ word: W.Type, _ inputs: [Tensor], owner: Int = 0,
    _ body: @escaping @Sendable (ABY3Party, [ArithmeticShare<W>]) async throws -> ArithmeticShare<W>
) async throws -> (value: Tensor, traffic: [TrafficStatistics]) {
    let results = try await LocalSimulation.run(timeout: .seconds(20)) { party -> (Tensor?, TrafficStatistics) in
        var shares: [ArithmeticShare<W>] = []
        for input in inputs {
            shares.append(try await party.shareA(party.index == owner ? input : nil, scalarType: input.scalarType, shape: input.shape, owner: owner))
        }
        let before = party.communicator.statistics()
        let out = try await body(party, shares)
        let traffic = party.communicator.statistics().since(before)
        return (try await party.revealA(out, to: [0, 1, 2]), traffic)
    }
    let values = results.map { $0.value.0! }
    #expect(values[1] == values[0] && values[2] == values[0], "all parties reveal the same value")
    return (values[0], results.map { $0.value.1 })
}

/// The cost the communicator counted, as a ``KernelCost``.
func countedCost(_ traffic: [TrafficStatistics]) -> KernelCost {
    KernelCost(rounds: traffic.map(\.rounds).max() ?? 0, bytesSent: traffic.map(\.bytesSent))
}

/// Calls `body` with the word type of `s`.
func withWord(_ s: ScalarType, _ body: (any RingWord.Type) async throws -> Void) async rethrows {
    try await body(s.isWide ? UInt128.self : UInt64.self)
}
