import ConfideCore
import Testing

@testable import ConfideGraph

/// The whole plaintext pipeline on thousands of mutated graph files: parse, infer types, evaluate on
/// the example's inputs. Every step must either succeed or throw a ``ConfideError``, never trap.
@Suite("Evaluation pipeline fuzz")
struct EvaluationFuzzTests {
    enum Outcome: Equatable { case evaluated, failed, foreign(String) }

    static func run(_ bytes: [UInt8], inputs: [Value]) -> Outcome {
        do {
            let context = try Context(serialized: String(decoding: bytes, as: UTF8.self))
            _ = try Evaluator(randomKey: [UInt8](repeating: 1, count: 16)).evaluate(context, inputs: inputs)
            return .evaluated
        } catch is ConfideError {
            return .failed
        } catch {
            return .foreign(String(describing: error))
        }
    }

    @Test(arguments: ExampleGraphs.names, [1, 2])
    func mutatedExampleGraphsNeverCrash(name: String, version: Int) throws {
        let context = try ExampleGraphs.make(name)
        let inputs = try Value.typedValues(fromJSONText: try ExampleGraphs.defaultInputs(name))
        let original = Array(try context.serialized(version: version).utf8)
        #expect(Self.run(original, inputs: inputs) == .evaluated)
        var rng = ContextFuzzTests.SplitMix64(state: 0xF0_2200 &+ UInt64(version) &* 7919 &+ UInt64(name.utf8.count))
        var evaluated = 0
        var failed = 0
        for _ in 0..<Self.iterations {
            var bytes = ContextFuzzTests.mutate(original, &rng)
            if rng.below(3) == 0 { bytes = ContextFuzzTests.mutate(bytes, &rng) }
            switch Self.run(bytes, inputs: inputs) {
            case .evaluated: evaluated += 1
            case .failed: failed += 1
            case let .foreign(description): Issue.record("\(name) v\(version): non-Confide error \(description)")
            }
        }
        #expect(evaluated + failed == Self.iterations)
        #expect(failed > 0)
        #expect(evaluated > 0)
    }

    static let iterations = 500
}
