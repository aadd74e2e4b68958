import ConfideCore
import ConfideGraph
import ConfideMPC

/// What running a graph costs, known before any session starts: the scalars its nodes hold in all
/// (a `Call` counts its graph's scalars once more, an `Iterate` once per element), the bytes the
/// parties send and the communication rounds. For a compiled graph the bytes are those its
/// `Send` transfers carry; for a planned (uncompiled) graph they are what the ABY3 kernels the
/// planner picks send (``SecureProgram/estimatedCost(injectionBits:)``, `Call` and `Iterate`
/// fan-out counted), with rounds an upper bound. The numbers saturate at `Int.max`.
public struct GraphCost: Sendable, Equatable, CustomStringConvertible {
    public var scalars: Int
    /// Bytes sent by all parties together.
    public var bytes: Int?
    /// Communication rounds.
    public var rounds: Int?

    public init(scalars: Int, bytes: Int?, rounds: Int?) {
        self.scalars = scalars
        self.bytes = bytes
        self.rounds = rounds
    }

    /// The cost of a registered graph, from its plan.
    /// - Throws: type inference errors.
    public init(_ context: Context, plan: GraphPlan) throws {
        let types = try TypeInference.inferTypes(context)
        var totals = [Int](repeating: 0, count: context.graphs.count)
        for (g, graph) in context.graphs.enumerated() {
            var total = 0
            for (n, node) in graph.nodes.enumerated() {
                total = GraphCost.add(total, types[g][n].scalarCount)
                guard let callee = node.graphDependencies.first, callee >= 0, callee < g else { continue }
                switch node.operation {
                case .call:
                    total = GraphCost.add(total, totals[callee])
                case .iterate:
                    var steps = 1
                    if node.dependencies.count == 2, case let .vector(count, _) = types[g][node.dependencies[1]] { steps = count }
                    total = GraphCost.add(total, GraphCost.multiply(totals[callee], steps))
                default:
                    break
                }
            }
            totals[g] = total
        }
        let main = try context.mainIndex()
        var bytes: Int?
        var rounds: Int?
        switch plan {
        case let .compiled(graph):
            var sent = 0
            for (n, transfers) in graph.transfersPerNode where transfers > 0 {
                sent = GraphCost.add(sent, GraphCost.multiply((types[main][n].sizeInBits + 7) / 8, transfers))
            }
            bytes = sent
            rounds = graph.rounds
        case let .secure(program):
            let cost = try program.estimatedCost()
            bytes = cost.bytesSent.reduce(0, GraphCost.add)
            rounds = cost.rounds
        }
        self.init(scalars: totals[main], bytes: bytes, rounds: rounds)
    }

    /// The first limit of `budget` this cost exceeds, in words; nil when it fits.
    public func excess(over budget: GraphBudget) -> String? {
        if scalars > budget.maxScalars { return "it holds \(scalars) scalars, the node's budget is \(budget.maxScalars)" }
        if let bytes, bytes > budget.maxBytes { return "it sends \(bytes) bytes, the node's budget is \(budget.maxBytes)" }
        if let rounds, rounds > budget.maxRounds { return "it takes \(rounds) rounds, the node's budget is \(budget.maxRounds)" }
        return nil
    }

    public var description: String {
        "\(scalars) scalars" + (bytes.map { ", \($0) bytes sent" } ?? "") + (rounds.map { ", \($0) rounds" } ?? "")
    }

    private static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    private static func multiply(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : product
    }
}

/// The most a node lets one graph cost (``GraphCost``); RegisterGraph refuses a graph above it.
public struct GraphBudget: Sendable, Equatable {
    public var maxScalars: Int
    public var maxBytes: Int
    public var maxRounds: Int

    /// Defaults that fit every real workload on one machine: 2^34 scalars, 64 GiB sent, a million rounds.
    public init(maxScalars: Int = 1 << 34, maxBytes: Int = 64 << 30, maxRounds: Int = 1_000_000) {
        self.maxScalars = maxScalars
        self.maxBytes = maxBytes
        self.maxRounds = maxRounds
    }
}
