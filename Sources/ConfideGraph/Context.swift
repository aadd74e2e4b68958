import ConfideCore

/// A node annotation (`Send` and the compiler hints).
public enum NodeAnnotation: Sendable, Equatable {
    case associativeOperation
    case `private`
    /// The sender's value of the node's dependency moves to the receiver.
    case send(from: Int, to: Int)
    case prfMultiplication
    case prfB2A
    case prfTruncate
    case mpcCall
}

/// A graph annotation.
public enum GraphAnnotation: String, Sendable, Equatable {
    case associativeOperation = "AssociativeOperation"
    case oneBitState = "OneBitState"
    case smallState = "SmallState"
}

/// One node: an operation applied to earlier nodes of the same graph (and, for Call/Iterate, graphs).
public struct Node: Sendable, Equatable {
    public var dependencies: [Int]
    public var graphDependencies: [Int]
    public var operation: Operation

    public init(_ operation: Operation, dependencies: [Int] = [], graphDependencies: [Int] = []) {
        self.operation = operation
        self.dependencies = dependencies
        self.graphDependencies = graphDependencies
    }
}

/// A computation graph: nodes in topological order and an optional output node.
public struct Graph: Sendable, Equatable {
    public var nodes: [Node]
    public var outputNode: Int?
    public var finalized: Bool

    public init(nodes: [Node] = [], outputNode: Int? = nil, finalized: Bool = true) {
        self.nodes = nodes
        self.outputNode = outputNode
        self.finalized = finalized
    }

    /// Ids of the Input nodes, in node order.
    public var inputNodeIDs: [Int] {
        nodes.indices.filter { if case .input = nodes[$0].operation { return true } else { return false } }
    }

    /// The declared types of the Input nodes, in node order.
    public var inputTypes: [ValueType] {
        nodes.compactMap { if case let .input(type) = $0.operation { return type } else { return nil } }
    }
}

/// A CipherCore context: all graphs, the main graph, names and annotations.
public struct Context: Sendable, Equatable {
    public var graphs: [Graph]
    public var mainGraph: Int?
    public var finalized: Bool
    public var graphNames: [Int: String]
    /// Keyed by (graph id, node id).
    public var nodeNames: [NodeID: String]
    public var nodeAnnotations: [NodeID: [NodeAnnotation]]
    public var graphAnnotations: [Int: [GraphAnnotation]]

    /// A node's address in a context.
    public struct NodeID: Hashable, Sendable, Comparable, CustomStringConvertible {
        public var graph: Int
        public var node: Int
        public init(graph: Int, node: Int) {
            self.graph = graph
            self.node = node
        }
        public static func < (a: NodeID, b: NodeID) -> Bool { (a.graph, a.node) < (b.graph, b.node) }
        public var description: String { "graph \(graph) node \(node)" }
    }

    public init(
        graphs: [Graph] = [], mainGraph: Int? = nil, finalized: Bool = true,
        graphNames: [Int: String] = [:], nodeNames: [NodeID: String] = [:],
        nodeAnnotations: [NodeID: [NodeAnnotation]] = [:], graphAnnotations: [Int: [GraphAnnotation]] = [:]
    ) {
        self.graphs = graphs
        self.mainGraph = mainGraph
        self.finalized = finalized
        self.graphNames = graphNames
        self.nodeNames = nodeNames
        self.nodeAnnotations = nodeAnnotations
        self.graphAnnotations = graphAnnotations
    }

    /// The main graph.
    /// - Throws: `.invalidGraph` when the context has no main graph.
    public func main() throws -> Graph {
        graphs[try mainIndex()]
    }

    /// The index of the main graph.
    /// - Throws: `.invalidGraph` when the context has no main graph.
    public func mainIndex() throws -> Int {
        guard let m = mainGraph, graphs.indices.contains(m) else {
            throw ConfideError(.invalidGraph, "context has no main graph")
        }
        return m
    }

    /// How messages name the inputs of a graph: `input I (node N)`, in input order.
    public func inputLabels(graph: Int) -> [String] {
        graphs[graph].inputNodeIDs.enumerated().map { "input \($0) (\(describe(graph: graph, node: $1)))" }
    }

    /// Annotations of a node (empty when none).
    public func annotations(graph: Int, node: Int) -> [NodeAnnotation] {
        nodeAnnotations[NodeID(graph: graph, node: node)] ?? []
    }

    /// A short label for error messages: "node 12 (name)" in the main graph, else with the graph.
    public func describe(graph: Int, node: Int) -> String {
        var s = graph == mainGraph ? "node \(node)" : "graph \(graph) node \(node)"
        if let name = nodeNames[NodeID(graph: graph, node: node)] { s += " ('\(name)')" }
        return s
    }
}

extension Context {
    /// The `Send` annotations of a node grouped into phases: consecutive sends that can travel in
    /// the same round (a send whose sender received in the current phase starts a new phase).
    /// Empty for nodes without sends.
    public func sendPhases(graph: Int, node: Int) -> [[(from: Int, to: Int)]] {
        var phases: [[(from: Int, to: Int)]] = []
        var receivers = Set<Int>()
        for annotation in annotations(graph: graph, node: node) {
            guard case let .send(from, to) = annotation else { continue }
            if phases.isEmpty || receivers.contains(from) {
                phases.append([])
                receivers.removeAll()
            }
            phases[phases.count - 1].append((from, to))
            receivers.insert(to)
        }
        return phases
    }
}
