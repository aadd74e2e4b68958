import ConfideCore
import ConfideGraph

/// A CipherCore compiled (MPC) graph, checked and planned for SPMD execution by three parties
/// (`ciphercore-compat.md` §4).
///
/// Every party runs the same main graph on its own values. A `NOP` annotated `Send(s, d)` is the
/// only communication: party s sends its value of the node's dependency to party d, whose value of
/// the node becomes what it received; other parties pass the dependency through. `Random` is drawn
/// from each party's own generator; `PRF` is CipherCore's AES-128 construction, so parties that
/// share a key agree. Each party evaluates only the ancestors of its own sends and of the output
/// node, stopping at values that arrive from the network; all sends of one round to one peer travel
/// in one message.
public struct CompiledGraph: Sendable {
    /// One `Send(from, to)`.
    public struct Transfer: Sendable, Hashable {
        public let from: Int
        public let to: Int
    }

    public let context: Context
    public let mainIndex: Int
    /// The type of every node of the main graph.
    public let types: [ValueType]
    /// The types of the main graph's inputs, in node order.
    public let inputTypes: [ValueType]
    /// The communication rounds of a run (the longest chain of send phases).
    public let rounds: Int
    /// Whether the graph has any `Send` annotation.
    public var isCompiled: Bool { rounds > 0 }
    /// Per node: its send phases (empty for local nodes).
    let phases: [[[Transfer]]]
    /// Per node: the round after which its value is known (its dependencies' maximum plus its phases).
    let levels: [Int]
    let inputIDs: [Int]
    let output: Int

    /// Checks a context and plans its main graph.
    /// - Throws: the first ill-typed node's inference error; `.invalidGraph` for a context without a
    ///   main graph or output, a `Send` on anything but a one-argument `NOP`, a `Send` outside the
    ///   main graph, or a party other than 0, 1, 2; `.tooLarge` for a node too large to hold.
    public init(_ context: Context) throws {
        let mainIndex = try context.mainIndex()
        let allTypes = try TypeInference.inferTypes(context)
        try Evaluator.checkMaterializable(allTypes, context)
        let main = context.graphs[mainIndex]
        guard let output = main.outputNode, main.nodes.indices.contains(output) else {
            throw ConfideError(.invalidGraph, "the main graph has no output node")
        }
        for g in context.graphs.indices where g != mainIndex {
            for n in context.graphs[g].nodes.indices where !context.sendPhases(graph: g, node: n).isEmpty {
                throw ConfideError(.invalidGraph, "\(context.describe(graph: g, node: n)): Send annotations are only allowed in the main graph")
            }
        }
        var phases: [[[Transfer]]] = []
        var levels: [Int] = []
        phases.reserveCapacity(main.nodes.count)
        levels.reserveCapacity(main.nodes.count)
        for (id, node) in main.nodes.enumerated() {
            let nodePhases = context.sendPhases(graph: mainIndex, node: id).map { $0.map { Transfer(from: $0.from, to: $0.to) } }
            if !nodePhases.isEmpty {
                guard case .nop = node.operation, node.dependencies.count == 1 else {
                    throw ConfideError(
                        .invalidGraph,
                        "\(context.describe(graph: mainIndex, node: id)) (\(node.operation.name)): Send annotations belong on a NOP with one dependency")
                }
                for t in nodePhases.joined() {
                    guard (0..<3).contains(t.from), (0..<3).contains(t.to), t.from != t.to else {
                        throw ConfideError(
                            .invalidGraph, "\(context.describe(graph: mainIndex, node: id)): Send(\(t.from), \(t.to)) names a party other than 0, 1, 2")
                    }
                }
            }
            phases.append(nodePhases)
            levels.append(node.dependencies.reduce(0) { max($0, levels[$1]) } + nodePhases.count)
        }
        self.context = context
        self.mainIndex = mainIndex
        self.types = allTypes[mainIndex]
        self.inputIDs = main.inputNodeIDs
        self.inputTypes = inputIDs.map { allTypes[mainIndex][$0] }
        self.phases = phases
        self.levels = levels
        self.rounds = levels.max() ?? 0
        self.output = output
    }

    /// The nodes party `party` evaluates (or receives): the ancestors of its sends and of the output.
    func neededNodes(party: Int) -> [Bool] {
        let nodes = context.graphs[mainIndex].nodes
        var needed = [Bool](repeating: false, count: nodes.count)
        needed[output] = true
        for (id, nodePhases) in phases.enumerated() where nodePhases.joined().contains(where: { $0.from == party }) {
            needed[id] = true
        }
        for id in stride(from: nodes.count - 1, through: 0, by: -1) where needed[id] {
            if phases[id].isEmpty {
                for d in nodes[id].dependencies { needed[d] = true }
            } else if Self.needsDependency(phases[id], party: party) {
                needed[nodes[id].dependencies[0]] = true
            }
        }
        return needed
    }

    /// Whether `party` needs a Send node's dependency: it sends before it first receives, or never receives.
    static func needsDependency(_ phases: [[Transfer]], party: Int) -> Bool {
        for phase in phases {
            if phase.contains(where: { $0.from == party }) { return true }
            if phase.contains(where: { $0.to == party }) { return false }
        }
        return true
    }
}
