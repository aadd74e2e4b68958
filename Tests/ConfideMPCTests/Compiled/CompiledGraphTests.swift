import ConfideCore
import ConfideGraph
import Foundation
import Testing

@testable import ConfideMPC

/// CipherCore's shipped compiled graphs run by three in-process parties.
@Suite("Compiled graphs")
struct CompiledGraphTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/ciphercore-examples")

    /// The shipped graphs, parsed and planned once for the whole suite.
    static let loaded: [String: Result<CompiledGraph, ConfideError>] = Dictionary(
        uniqueKeysWithValues: ["two_millionaires", "two_millionaires_v0"].map { name in
            (name, Result { try CompiledGraph(try Context(contentsOfFile: examples.appendingPathComponent("\(name)/graph.json").path)) }.mapError {
                $0 as? ConfideError ?? ConfideError(.io, "\($0)")
            })
        })

    static func load(_ name: String) throws -> CompiledGraph {
        try #require(loaded[name]).get()
    }

    static func millionaires(_ a: UInt64, _ b: UInt64) throws -> [[Value]] {
        // Inputs owned by parties 0 and 1; elsewhere any value of the right type.
        let first = Value.scalar(.u32, UInt128(a)), second = Value.scalar(.u32, UInt128(b))
        return [[first, .scalar(.u32, 0)], [.scalar(.u32, 0), second], [.scalar(.u32, 0), .scalar(.u32, 0)]]
    }

    @Test(arguments: [(3000, 2000, 1), (2000, 3000, 0), (2000, 2000, 0), (4_294_967_295, 0, 1), (0, 4_294_967_295, 0), (0, 0, 0)])
    func twoMillionaires(a: UInt64, b: UInt64, expected: UInt128) async throws {
        let graph = try Self.load("two_millionaires")
        #expect(graph.rounds == 46)
        let results = try await LocalSimulation.run(graph, inputs: try Self.millionaires(a, b))
        #expect(results[0].value == .scalar(.bit, expected))
        #expect(results[1].value == .scalar(.bit, expected))
        #expect(results.map(\.traffic.bytesSent).reduce(0, +) == 866)
        #expect(results.map(\.traffic.rounds).max() == 46)
    }

    @Test func partyTwosOutputIsRandom() async throws {
        let graph = try Self.load("two_millionaires")
        var seen: [Value] = []
        for _ in 0..<40 where seen.count < 2 {
            let value = try await LocalSimulation.run(graph, inputs: try Self.millionaires(3000, 2000))[2].value
            if !seen.contains(value) { seen.append(value) }
        }
        #expect(seen.count == 2, "party 2's bit is masked, so both values occur within 40 runs (fails with probability 2^-39)")
    }

    @Test func theShippedInputFilesRun() async throws {
        let graph = try Self.load("two_millionaires")
        let inputs = try (0..<3).map { p in
            try Value.typedValues(fromJSONText: try String(contentsOf: Self.examples.appendingPathComponent("two_millionaires/party\(p)/input.txt"), encoding: .utf8))
        }
        let results = try await LocalSimulation.run(graph, inputs: inputs)
        #expect(results[0].value == .scalar(.bit, 1))
        #expect(results[1].value == .scalar(.bit, 1))
    }

    static func bits32(_ x: UInt64) -> Value {
        .tensor(Tensor(.bit, shape: [32], narrow: (0..<32).map { (x >> UInt64($0)) & 1 }))
    }

    @Test(arguments: [(3000, 2000, 1), (2000, 3000, 0), (5, 5, 0), (4_294_967_295, 0, 1)])
    func versionZeroWithBitInputs(a: UInt64, b: UInt64, expected: UInt128) async throws {
        let graph = try Self.load("two_millionaires_v0")
        #expect(graph.inputTypes == [.array([32], .bit), .array([32], .bit)])
        let zero = Self.bits32(0)
        let results = try await LocalSimulation.run(graph, inputs: [[Self.bits32(a), zero], [zero, Self.bits32(b)], [zero, zero]])
        #expect(results[0].value == .scalar(.bit, expected))
        #expect(results[1].value == .scalar(.bit, expected))
    }

    @Test func versionZeroRejectsItsShippedInputsNamingTheInput() async throws {
        let graph = try Self.load("two_millionaires_v0")
        let inputs = try (0..<3).map { p in
            try Value.typedValues(fromJSONText: try String(contentsOf: Self.examples.appendingPathComponent("two_millionaires_v0/party\(p)/input.txt"), encoding: .utf8))
        }
        let error = await #expect(throws: ConfideError.self) { _ = try await LocalSimulation.run(graph, inputs: inputs) }
        #expect(error?.code == .typeMismatch)
        #expect(error?.message.contains("input 0") == true)
        #expect(error?.message.contains("bit[32]") == true)
        #expect(error?.message.contains("u64[1]") == true)
    }

    @Test func malformedCompiledGraphsAreRefused() throws {
        var context = Context(graphs: [Graph(nodes: [Node(.input(.scalar(.u8))), Node(.add, dependencies: [0, 0])], outputNode: 1)], mainGraph: 0)
        context.nodeAnnotations[Context.NodeID(graph: 0, node: 1)] = [.send(from: 0, to: 1)]
        #expect(throws: ConfideError.self) { try CompiledGraph(context) }
        context.graphs[0].nodes[1] = Node(.nop, dependencies: [0])
        context.nodeAnnotations[Context.NodeID(graph: 0, node: 1)] = [.send(from: 0, to: 3)]
        let error = #expect(throws: ConfideError.self) { try CompiledGraph(context) }
        #expect(error?.message.contains("Send(0, 3)") == true)
        context.nodeAnnotations[Context.NodeID(graph: 0, node: 1)] = [.send(from: 0, to: 1), .send(from: 1, to: 2)]
        #expect(try CompiledGraph(context).rounds == 2)
    }

    @Test func chainedSendsInOneNodeTakeTwoRounds() async throws {
        var context = Context(graphs: [Graph(nodes: [Node(.input(.scalar(.u16))), Node(.nop, dependencies: [0])], outputNode: 1)], mainGraph: 0)
        context.nodeAnnotations[Context.NodeID(graph: 0, node: 1)] = [.send(from: 0, to: 1), .send(from: 1, to: 2)]
        let graph = try CompiledGraph(context)
        let results = try await LocalSimulation.run(graph, inputs: [[.scalar(.u16, 7)], [.scalar(.u16, 0)], [.scalar(.u16, 0)]])
        #expect(results.map(\.value) == [.scalar(.u16, 7), .scalar(.u16, 7), .scalar(.u16, 7)])
        #expect(results.map(\.traffic.bytesSent) == [2, 2, 0])
        #expect(results[2].traffic.rounds == 1 && results[1].traffic.rounds == 2)
    }
}
