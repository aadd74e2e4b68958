import ConfideCore

/// CipherCore's serialized context (graph JSON), versions 1 and 2.
///
/// The file is `{"version":N,"data":"<inner JSON as a string>"}`; the inner JSON is
/// `{"finalized":bool,"graphs":[{"finalized":bool,"nodes":[{"node_dependencies":[ids],
/// "graph_dependencies":[ids],"operation":op}],"output_node":id|null}],"main_graph":id|null,
/// "graphs_names":[[g,"name"]],"nodes_names":[[[g,n],"name"]],"nodes_annotations":[[[g,n],[a,...]]],
/// "graphs_annotations":[[g,[a,...]]]}`. Versions differ only in the spelling of scalar types
/// (version 1: `{"signed":false,"modulus":4294967296}`, version 2: `"u32"`); reading accepts both
/// spellings in either version. Writing lists names and annotations sorted by id, as CipherCore does.
extension Context {
    /// The largest serialized context ``init(serialized:)`` and ``init(contentsOfFile:)`` read (64 MiB).
    public static let maxSerializedBytes = 64 << 20

    /// Reads a serialized context: `{"version":1|2,"data":"..."}`.
    /// - Parameter text: the whole graph JSON document.
    /// - Throws: `.malformedJSON` (naming the byte offset), `.tooLarge` above
    ///   ``maxSerializedBytes`` or for nesting deeper than the parser allows, `.unsupportedVersion` for a version other than 1 or 2, and the
    ///   errors of ``init(json:)``.
    public init(serialized text: String) throws {
        let parser = JSONParser(maxBytes: Context.maxSerializedBytes)
        try self.init(versionedJSON: try parser.parse(text))
    }

    /// Reads the outer `{"version":N,"data":"<inner JSON string>"}` object.
    /// - Throws: as ``init(serialized:)``.
    public init(versionedJSON json: JSONValue) throws {
        guard case .object = json else {
            throw ConfideError(.invalidGraph, "a serialized context must be {\"version\":N,\"data\":\"...\"}, found \(json.kindName)")
        }
        guard let versionJSON = json["version"], versionJSON.numberText != nil else {
            throw ConfideError(.invalidGraph, "a serialized context needs an integer \"version\"")
        }
        guard let version = versionJSON.integer(as: Int.self), version == 1 || version == 2 else {
            throw ConfideError(.unsupportedVersion, "context format version \(versionJSON.abbreviated(maxLength: 24)) is not supported (1 or 2)")
        }
        guard let data = json["data"]?.stringValue else {
            throw ConfideError(.invalidGraph, "a serialized context needs a string \"data\"")
        }
        let inner: JSONValue
        do {
            inner = try JSONParser(maxBytes: Context.maxSerializedBytes).parse(data)
        } catch let error as ConfideError {
            throw error.prefixed("context \"data\"")
        }
        try self.init(json: inner)
    }

    /// Reads the inner context object (the parsed `data` string) and checks its structure
    /// (see ``checkStructure()``).
    /// - Throws: `.invalidGraph` for missing or malformed members and structural errors, naming
    ///   the graph and node; `.unknownOperation` naming an unknown operation; the type and value
    ///   errors of ``Operation/init(json:)``, prefixed with the graph and node.
    public init(json: JSONValue) throws {
        let reader = ContextJSONReader()
        guard case .object = json else {
            throw ConfideError(.invalidGraph, "the context must be an object, found \(json.kindName)")
        }
        let graphsJSON = try reader.list(try reader.member(json, "graphs", of: "the context"), what: "\"graphs\"")
        var graphs: [Graph] = []
        graphs.reserveCapacity(graphsJSON.count)
        for (g, graphJSON) in graphsJSON.enumerated() {
            graphs.append(try reader.graph(graphJSON, index: g))
        }
        self.init(
            graphs: graphs,
            mainGraph: try reader.optionalID(try reader.member(json, "main_graph", of: "the context"), what: "\"main_graph\""),
            finalized: try reader.bool(try reader.member(json, "finalized", of: "the context"), what: "context \"finalized\""))
        for entry in try reader.list(try reader.member(json, "graphs_names", of: "the context"), what: "\"graphs_names\"") {
            let (g, name) = try reader.pair(entry, what: "\"graphs_names\" entry")
            let id = try reader.id(g, what: "graph id in \"graphs_names\"")
            guard let text = name.stringValue else { throw ConfideError(.invalidGraph, "name of graph \(id) must be a string") }
            guard graphNames.updateValue(text, forKey: id) == nil else {
                throw ConfideError(.invalidGraph, "graph \(id) is named twice")
            }
        }
        for entry in try reader.list(try reader.member(json, "nodes_names", of: "the context"), what: "\"nodes_names\"") {
            let (key, name) = try reader.pair(entry, what: "\"nodes_names\" entry")
            let id = try reader.nodeID(key, what: "\"nodes_names\"")
            guard let text = name.stringValue else { throw ConfideError(.invalidGraph, "name of \(id) must be a string") }
            guard nodeNames.updateValue(text, forKey: id) == nil else {
                throw ConfideError(.invalidGraph, "\(id) is named twice")
            }
        }
        for entry in try reader.list(try reader.member(json, "nodes_annotations", of: "the context"), what: "\"nodes_annotations\"") {
            let (key, list) = try reader.pair(entry, what: "\"nodes_annotations\" entry")
            let id = try reader.nodeID(key, what: "\"nodes_annotations\"")
            let annotations = try reader.list(list, what: "annotations of \(id)").map { a in
                do {
                    return try NodeAnnotation(json: a)
                } catch let error as ConfideError {
                    throw error.prefixed(id.description)
                }
            }
            if !annotations.isEmpty { nodeAnnotations[id, default: []].append(contentsOf: annotations) }
        }
        for entry in try reader.list(try reader.member(json, "graphs_annotations", of: "the context"), what: "\"graphs_annotations\"") {
            let (key, list) = try reader.pair(entry, what: "\"graphs_annotations\" entry")
            let g = try reader.id(key, what: "graph id in \"graphs_annotations\"")
            let annotations = try reader.list(list, what: "annotations of graph \(g)").map { a in
                do {
                    return try GraphAnnotation(json: a)
                } catch let error as ConfideError {
                    throw error.prefixed("graph \(g)")
                }
            }
            if !annotations.isEmpty { graphAnnotations[g, default: []].append(contentsOf: annotations) }
        }
        try checkStructure()
    }

    /// The serialized context, `{"version":N,"data":"<inner JSON string>"}`, as compact text.
    /// - Parameter version: format version 1 or 2 (default 2).
    /// - Throws: `.unsupportedVersion` for another version or for what version 1 cannot express
    ///   (128-bit types, large Truncate scales); `.invalidGraph` when ``checkStructure()`` fails;
    ///   `.invalidArgument` for operation arguments CipherCore cannot represent.
    public func serialized(version: Int = 2) throws -> String {
        try versionedJSON(version: version).serialized()
    }

    /// The outer `{"version":N,"data":"<inner JSON string>"}` object.
    /// - Throws: as ``serialized(version:)``.
    public func versionedJSON(version: Int = 2) throws -> JSONValue {
        .object([("version", .int(version)), ("data", .string(try json(version: version).serialized()))])
    }

    /// The inner context object of format `version`, members in CipherCore's order.
    /// - Throws: as ``serialized(version:)``.
    public func json(version: Int = 2) throws -> JSONValue {
        guard version == 1 || version == 2 else {
            throw ConfideError(.unsupportedVersion, "context format version \(version) is not supported (1 or 2)")
        }
        try checkStructure()
        var graphsJSON: [JSONValue] = []
        graphsJSON.reserveCapacity(graphs.count)
        for (g, graph) in graphs.enumerated() {
            var nodesJSON: [JSONValue] = []
            nodesJSON.reserveCapacity(graph.nodes.count)
            for (n, node) in graph.nodes.enumerated() {
                let operation: JSONValue
                do {
                    operation = try node.operation.json(version: version)
                } catch let error as ConfideError {
                    throw error.prefixed("graph \(g) node \(n)")
                }
                nodesJSON.append(.object([
                    ("node_dependencies", .array(node.dependencies.map { .int($0) })),
                    ("graph_dependencies", .array(node.graphDependencies.map { .int($0) })),
                    ("operation", operation),
                ]))
            }
            graphsJSON.append(.object([
                ("finalized", .bool(graph.finalized)),
                ("nodes", .array(nodesJSON)),
                ("output_node", graph.outputNode.map { .int($0) } ?? .null),
            ]))
        }
        func key(_ id: NodeID) -> JSONValue { .array([.int(id.graph), .int(id.node)]) }
        let nodeAnnotationsJSON = try nodeAnnotations.sorted { $0.key < $1.key }.compactMap { id, list -> JSONValue? in
            guard !list.isEmpty else { return nil }
            do {
                return .array([key(id), .array(try list.map { try $0.json() })])
            } catch let error as ConfideError {
                throw error.prefixed(id.description)
            }
        }
        return .object([
            ("finalized", .bool(finalized)),
            ("graphs", .array(graphsJSON)),
            ("main_graph", mainGraph.map { .int($0) } ?? .null),
            ("graphs_names", .array(graphNames.sorted { $0.key < $1.key }.map { .array([.int($0.key), .string($0.value)]) })),
            ("nodes_names", .array(nodeNames.sorted { $0.key < $1.key }.map { .array([key($0.key), .string($0.value)]) })),
            ("nodes_annotations", .array(nodeAnnotationsJSON)),
            ("graphs_annotations", .array(graphAnnotations.sorted { $0.key < $1.key }.compactMap { g, list in
                list.isEmpty ? nil : .array([.int(g), .array(list.map { $0.json() })])
            })),
        ])
    }
}

/// Field access for the inner context JSON, with errors naming what is missing or malformed.
private struct ContextJSONReader {
    func member(_ object: JSONValue, _ key: String, of what: String) throws -> JSONValue {
        guard let value = object[key] else { throw ConfideError(.invalidGraph, "\(what) has no \"\(key)\"") }
        return value
    }

    func list(_ json: JSONValue, what: String) throws -> [JSONValue] {
        guard let items = json.arrayValue else { throw ConfideError(.invalidGraph, "\(what) must be a list, found \(json.kindName)") }
        return items
    }

    func bool(_ json: JSONValue, what: String) throws -> Bool {
        guard let b = json.boolValue else { throw ConfideError(.invalidGraph, "\(what) must be a boolean, found \(json.kindName)") }
        return b
    }

    /// A CipherCore u64 id that must fit `Int`.
    func id(_ json: JSONValue, what: String) throws -> Int {
        guard let v = ContextJSONReader.nonNegativeInt(json) else {
            throw ConfideError(.invalidGraph, "\(what) must be a non-negative integer id, found \(json.abbreviated(maxLength: 30))")
        }
        return v
    }

    /// A plain decimal number that fits `Int`, read digit by digit (graphs hold tens of thousands of
    /// ids, and this is much faster than generic integer parsing in debug builds).
    static func nonNegativeInt(_ json: JSONValue) -> Int? {
        guard case let .number(text) = json else { return nil }
        var value = 0
        var digits = 0
        for c in text.utf8 {
            guard c >= 0x30, c <= 0x39 else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(Int(c &- 0x30))
            guard !o1, !o2 else { return nil }
            value = sum
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    func optionalID(_ json: JSONValue, what: String) throws -> Int? {
        if case .null = json { return nil }
        return try id(json, what: what)
    }

    func ids(_ json: JSONValue, what: String) throws -> [Int] {
        let items = try list(json, what: what)
        var result: [Int] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard let v = ContextJSONReader.nonNegativeInt(item) else {
                throw ConfideError(.invalidGraph, "an entry of \(what) must be a non-negative integer id, found \(item.abbreviated(maxLength: 30))")
            }
            result.append(v)
        }
        return result
    }

    func pair(_ json: JSONValue, what: String) throws -> (JSONValue, JSONValue) {
        guard let items = json.arrayValue, items.count == 2 else {
            throw ConfideError(.invalidGraph, "\(what) must be a pair [key, value], found \(json.abbreviated())")
        }
        return (items[0], items[1])
    }

    func nodeID(_ json: JSONValue, what: String) throws -> Context.NodeID {
        let (g, n) = try pair(json, what: "key [graph, node] in \(what)")
        return Context.NodeID(graph: try id(g, what: "graph id in \(what)"), node: try id(n, what: "node id in \(what)"))
    }

    func graph(_ json: JSONValue, index g: Int) throws -> Graph {
        guard case .object = json else { throw ConfideError(.invalidGraph, "graph \(g) must be an object, found \(json.kindName)") }
        let nodesJSON = try list(try member(json, "nodes", of: "graph \(g)"), what: "graph \(g) \"nodes\"")
        var nodes: [Node] = []
        nodes.reserveCapacity(nodesJSON.count)
        for n in nodesJSON.indices {
            do {
                nodes.append(try node(nodesJSON[n]))
            } catch let error as ConfideError {
                throw error.prefixed("graph \(g) node \(n)")
            }
        }
        return Graph(
            nodes: nodes,
            outputNode: try optionalID(try member(json, "output_node", of: "graph \(g)"), what: "graph \(g) \"output_node\""),
            finalized: try bool(try member(json, "finalized", of: "graph \(g)"), what: "graph \(g) \"finalized\""))
    }

    func node(_ json: JSONValue) throws -> Node {
        guard case let .object(members) = json else { throw ConfideError(.invalidGraph, "a node must be an object, found \(json.kindName)") }
        var dependencies: JSONValue?
        var graphDependencies: JSONValue?
        var operation: JSONValue?
        for (key, value) in members {
            switch key {
            case "node_dependencies": dependencies = value
            case "graph_dependencies": graphDependencies = value
            case "operation": operation = value
            default: continue
            }
        }
        guard let dependencies else { throw ConfideError(.invalidGraph, "the node has no \"node_dependencies\"") }
        guard let graphDependencies else { throw ConfideError(.invalidGraph, "the node has no \"graph_dependencies\"") }
        guard let operation else { throw ConfideError(.invalidGraph, "the node has no \"operation\"") }
        return Node(
            try Operation(json: operation),
            dependencies: try ids(dependencies, what: "\"node_dependencies\""),
            graphDependencies: try ids(graphDependencies, what: "\"graph_dependencies\""))
    }
}
