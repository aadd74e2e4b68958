import ConfideCore
import Testing

@testable import ConfideGraph

@Suite struct EvaluatorCancellationTests {
    /// A cancelled task's evaluation stops with CancellationError instead of running to the end.
    @Test func aCancelledEvaluationStops() async throws {
        let context = try ExampleGraphs.sort(count: 16, scalarType: .i32)
        let input = Value.tensor(Tensor(.i32, shape: [16], wrapping: (0..<16).map { Int128(15 - $0) }))
        let sorted = try Evaluator().evaluate(context, inputs: [input])
        #expect(sorted == Value.tensor(Tensor(.i32, shape: [16], wrapping: (0..<16).map { Int128($0) })))
        let task = Task { () throws -> Value in
            while !Task.isCancelled { await Task.yield() }
            return try Evaluator().evaluate(context, inputs: [input])
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }
}
