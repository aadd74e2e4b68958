import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// Every secure kernel against the plaintext evaluator, over every scalar type it accepts and
/// every shape class (scalar, vector, matrix, batched), on random and edge inputs (0, 1, −1, min,
/// max and their neighbours), with the declared communication checked against what the
/// in-process communicator counted.
@Suite("ABY3 conformance")
struct ConformanceTests {
    /// Every registered case.
    static let cases: [ConformanceCase] = ConformanceCase.arithmeticCases + ConformanceCase.booleanCases + ConformanceCase.sortCases

    struct Argument: Sendable, CustomStringConvertible {
        let kernel: ConformanceCase
        let scalarType: ScalarType
        let transport: ConformanceTransport
        var description: String { "\(kernel.name) \(scalarType) over \(transport)" }
    }

    /// Every case and scalar type over one transport.
    static func arguments(_ transport: ConformanceTransport) -> [Argument] {
        cases.flatMap { c in c.scalarTypes.map { Argument(kernel: c, scalarType: $0, transport: transport) } }
    }

    @Test(arguments: arguments(.inProcess))
    func kernelMatchesPlaintext(_ argument: Argument) async throws {
        try await Self.check(argument)
    }

    /// The same cases over TLS socket communicators, one session at a time (hundreds of concurrent
    /// TLS sessions would only measure the machine's load).
    @Test(.serialized, arguments: arguments(.tlsSockets))
    func kernelMatchesPlaintextOverTLSSockets(_ argument: Argument) async throws {
        try await Self.check(argument)
    }

    static func check(_ argument: Argument) async throws {
        let kernel = argument.kernel
        for (classIndex, shapeClass) in shapeClasses.enumerated() {
            guard let shapes = kernel.inputShapes(shapeClass) else { continue }
            let types = kernel.inputTypes(argument.scalarType, shapes.count)
            var data = MPCTestData(seed: UInt8(truncatingIfNeeded: 31 &* argument.scalarType.bits &+ classIndex))
            let inputs = zip(types, shapes).enumerated().map { i, ts in data.tensor(ts.0, ts.1, edges: i == 0) }
            let expected = try kernel.reference(inputs)
            let results = try await argument.transport.run { party -> (Tensor?, TrafficStatistics) in
                var shares: [SharedTensor] = []
                for (i, input) in inputs.enumerated() {
                    let owner = i % 3
                    shares.append(
                        try await party.share(party.index == owner ? input : nil, scalarType: input.scalarType, shape: input.shape, owner: owner))
                }
                let before = party.communicator.statistics()
                let out = try await kernel.secure(party, shares)
                let traffic = party.communicator.statistics().since(before)
                return (try await party.reveal(out, to: [0, 1, 2]), traffic)
            }
            for (p, result) in results.enumerated() {
                #expect(result.value.0 == expected, "\(kernel.name) \(argument.scalarType) \(shapes): party \(p) revealed a different value")
            }
            if let cost = kernel.cost {
                #expect(
                    countedCost(results.map { $0.value.1 }) == cost(inputs),
                    "\(kernel.name) \(argument.scalarType) \(shapes): counted traffic differs from the declared cost")
            }
        }
    }
}
