import ConfideCore
import Foundation
import Testing

@testable import ConfideGraph

/// The joint-statistics example graph in the clear: its statistics against float64 on random
/// columns (with negative values and a constant-free spread), and its parameter checks.
@Suite struct JointStatisticsGraphTests {
    @Test(arguments: [2, 7, 300])
    func statisticsMatchFloat(rows: Int) throws {
        var generator = try AESCTRGenerator(key: [UInt8](repeating: UInt8(rows % 251), count: 16))
        let f = 12
        let x = (0..<rows).map { i in i == 0 ? -3.5 : Double(generator.uniform(below: 100_000)) / 1000 - 10 }
        let y = x.map { 2 * $0 + Double(generator.uniform(below: 20_000)) / 1000 }
        func input(_ v: [Double]) -> Value {
            .tensor(Tensor(.i64, shape: [rows], wrapping: v.map { Int128(($0 * 4096).rounded()) }))
        }
        let context = try JointStatisticsGraph.make(rows: rows, fractionalBits: f, edges: [-20, 0, 10, 50, 100])
        let result = try Evaluator().evaluate(context, inputs: [input(x), input(y)])
        guard case let .namedTuple(fields) = result else { Issue.record("expected a named tuple"); return }
        var got: [String: Tensor] = [:]
        for field in fields { got[field.name] = field.value.tensor }
        func fixed(_ name: String) -> Double { Double(got[name]!.value(at: 0)) / 4096 }
        let xs = x.map { ($0 * 4096).rounded() / 4096 }, ys = y.map { ($0 * 4096).rounded() / 4096 }
        let n = Double(rows)
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        let vx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) } / n, vy = ys.reduce(0) { $0 + ($1 - my) * ($1 - my) } / n
        let c = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / n
        #expect(abs(fixed("mean_x") - mx) <= 1.0 / 4096)
        #expect(abs(fixed("mean_y") - my) <= 1.0 / 4096)
        #expect(abs(fixed("var_x") - vx) <= 1e-4 * vx + 2.0 / 4096)
        #expect(abs(fixed("std_y") - vy.squareRoot()) <= 5e-4 * vy.squareRoot() + 2.0 / 4096)
        #expect(abs(fixed("correlation") - c / (vx * vy).squareRoot()) <= 4.0 / 4096)
        let edges: [Double] = [-20, 0, 10, 50, 100]
        let histogram = (0..<4).map { k in Int128(xs.filter { edges[k] <= $0 && $0 < edges[k + 1] }.count) }
        #expect((0..<4).map { got["histogram"]!.value(at: $0) } == histogram)
    }

    @Test func parametersOutsideTheirRangesAreRefused() throws {
        #expect(throws: ConfideError.self) { try JointStatisticsGraph.make(rows: 1) }
        #expect(throws: ConfideError.self) { try JointStatisticsGraph.make(rows: 10, fractionalBits: 3) }
        #expect(throws: ConfideError.self) { try JointStatisticsGraph.make(rows: 10, fractionalBits: 21) }
        #expect(throws: ConfideError.self) { try JointStatisticsGraph.make(rows: 10, edges: [1]) }
        #expect(throws: ConfideError.self) { try JointStatisticsGraph.make(rows: 10, edges: [1, 1, 2]) }
        #expect(throws: ConfideError.self) { try ExampleGraphs.make("joint-statistics", count: 10, scalarType: .i32) }
        #expect(try ExampleGraphs.make("joint-statistics").main().inputNodeIDs.count == 2)
    }
}
