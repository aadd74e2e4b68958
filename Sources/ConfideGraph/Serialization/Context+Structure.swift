import ConfideCore

extension Context {
    /// Checks the structural rules CipherCore enforces when it rebuilds a context: every node
    /// dependency is an earlier node of the same graph; every graph dependency is an earlier,
    /// finalized graph; output nodes, the main graph, names and annotations refer to existing
    /// graphs and nodes; a finalized graph has an output node; the main graph is finalized; a
    /// finalized context has a main graph and only finalized graphs; graph names are unique and node
    /// names are unique within their graph. Types are not checked (that is type inference's job).
    /// - Throws: `.invalidGraph` naming the graph and node at fault.
    public func checkStructure() throws {
        for g in graphs.indices {
            try checkStructure(of: graphs[g], index: g)
        }
        if let m = mainGraph {
            guard graphs.indices.contains(m) else {
                throw ConfideError(.invalidGraph, "main graph \(m) is out of range (the context has \(graphs.count) graphs)")
            }
            guard graphs[m].finalized else { throw ConfideError(.invalidGraph, "main graph \(m) is not finalized") }
        }
        if finalized {
            guard mainGraph != nil else { throw ConfideError(.invalidGraph, "a finalized context needs a main graph") }
            if let g = graphs.firstIndex(where: { !$0.finalized }) {
                throw ConfideError(.invalidGraph, "graph \(g) of a finalized context is not finalized")
            }
        }
        try checkNamesAndAnnotations()
    }

    private func checkStructure(of graph: Graph, index g: Int) throws {
        let count = graph.nodes.count
        for n in 0..<count {
            let node = graph.nodes[n]
            for d in node.dependencies {
                guard d >= 0, d < count else {
                    throw ConfideError(.invalidGraph, "graph \(g) node \(n): dependency \(d) is out of range (the graph has \(count) nodes)")
                }
                guard d < n else {
                    throw ConfideError(.invalidGraph, "graph \(g) node \(n): dependency \(d) is not an earlier node")
                }
            }
            for d in node.graphDependencies {
                guard d >= 0, d < graphs.count else {
                    throw ConfideError(.invalidGraph, "graph \(g) node \(n): graph dependency \(d) is out of range (the context has \(graphs.count) graphs)")
                }
                guard d < g else {
                    throw ConfideError(.invalidGraph, "graph \(g) node \(n): graph dependency \(d) is not an earlier graph")
                }
                guard graphs[d].finalized else {
                    throw ConfideError(.invalidGraph, "graph \(g) node \(n): graph dependency \(d) is not finalized")
                }
            }
        }
        if let out = graph.outputNode {
            guard out >= 0, out < count else {
                throw ConfideError(.invalidGraph, "graph \(g): output node \(out) is out of range (the graph has \(count) nodes)")
            }
        } else if graph.finalized {
            throw ConfideError(.invalidGraph, "graph \(g) is finalized but has no output node")
        }
    }

    private func checkNamesAndAnnotations() throws {
        func checkNode(_ id: NodeID, _ what: String) throws {
            guard id.graph >= 0, id.graph < graphs.count else {
                throw ConfideError(.invalidGraph, "\(what) of \(id): graph \(id.graph) is out of range (the context has \(graphs.count) graphs)")
            }
            guard id.node >= 0, id.node < graphs[id.graph].nodes.count else {
                throw ConfideError(.invalidGraph, "\(what) of \(id): node \(id.node) is out of range (the graph has \(graphs[id.graph].nodes.count) nodes)")
            }
        }
        func checkGraph(_ g: Int, _ what: String) throws {
            guard g >= 0, g < graphs.count else {
                throw ConfideError(.invalidGraph, "\(what) of graph \(g): graph \(g) is out of range (the context has \(graphs.count) graphs)")
            }
        }
        var seenGraphNames: [String: Int] = [:]
        for (g, name) in graphNames.sorted(by: { $0.key < $1.key }) {
            try checkGraph(g, "name")
            if let other = seenGraphNames.updateValue(g, forKey: name) {
                throw ConfideError(.invalidGraph, "graphs \(other) and \(g) have the same name '\(name)'")
            }
        }
        var seenNodeNames: [Int: [String: Int]] = [:]
        for (id, name) in nodeNames.sorted(by: { $0.key < $1.key }) {
            try checkNode(id, "name")
            if let other = seenNodeNames[id.graph, default: [:]].updateValue(id.node, forKey: name) {
                throw ConfideError(.invalidGraph, "graph \(id.graph) nodes \(other) and \(id.node) have the same name '\(name)'")
            }
        }
        for id in nodeAnnotations.keys.sorted() { try checkNode(id, "annotation") }
        for g in graphAnnotations.keys.sorted() { try checkGraph(g, "annotation") }
    }
}
