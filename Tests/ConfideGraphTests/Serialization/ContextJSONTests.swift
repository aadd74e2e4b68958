import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Context JSON")
struct ContextJSONTests {
    typealias F = SerializationFixtures

    /// Two graphs (the second calls and iterates the first), names and annotations.
    static let richContext = Context(
        graphs: [
            Graph(nodes: [
                Node(.input(.scalar(.i32))), Node(.input(.scalar(.i32))), Node(.add, dependencies: [0, 1]),
                Node(.createTuple, dependencies: [2, 2]),
            ], outputNode: 3),
            Graph(nodes: [
                Node(.input(.array([4], .i32))), Node(.constant(.scalar(.i32), .bytes([255, 255, 255, 255]))),
                Node(.arrayToVector, dependencies: [0]), Node(.iterate, dependencies: [1, 2], graphDependencies: [0]),
                Node(.tupleGet(0), dependencies: [3]), Node(.call, dependencies: [4, 4], graphDependencies: [0]),
                Node(.custom(.comparison("LessThan", signed: true)), dependencies: [4, 1]),
                Node(.createTuple, dependencies: [5, 6]),
            ], outputNode: 7),
            Graph(nodes: [Node(.zeros(.scalar(.bit)))], outputNode: 0, finalized: false),
        ],
        mainGraph: 1, finalized: false,
        graphNames: [0: "step", 1: "main"],
        nodeNames: [.init(graph: 1, node: 0): "xs", .init(graph: 0, node: 0): "state", .init(graph: 0, node: 1): "x"],
        nodeAnnotations: [.init(graph: 1, node: 5): [.mpcCall], .init(graph: 0, node: 2): [.associativeOperation, .private]],
        graphAnnotations: [0: [.associativeOperation, .smallState]])

    @Test func writesCipherCoreText() throws {
        let context = Context(graphs: [Graph(nodes: [Node(.input(.scalar(.u32)))], outputNode: 0)], mainGraph: 0, nodeNames: [.init(graph: 0, node: 0): "x"])
        let inner = #"{"finalized":true,"graphs":[{"finalized":true,"nodes":[{"node_dependencies":[],"graph_dependencies":[],"#
            + #""operation":{"Input":{"Scalar":"u32"}}}],"output_node":0}],"main_graph":0,"graphs_names":[],"#
            + #""nodes_names":[[[0,0],"x"]],"nodes_annotations":[],"graphs_annotations":[]}"#
        #expect(try context.serialized() == F.wrap(inner))
        #expect(try context.serialized(version: 1) == F.wrap(inner.replacingOccurrences(of: #""u32""#, with: #"{"signed":false,"modulus":4294967296}"#), version: 1))
        #expect(try Context(serialized: F.wrap(inner)) == context)
    }

    @Test(arguments: [1, 2])
    func richContextRoundTrips(version: Int) throws {
        let text = try Self.richContext.serialized(version: version)
        let back = try Context(serialized: text)
        #expect(back == Self.richContext)
        #expect(try back.serialized(version: version) == text)
    }

    @Test func version1RejectsWideTypes() throws {
        let context = Context(graphs: [Graph(nodes: [Node(.input(.array([2], .i128)))], outputNode: 0)], mainGraph: 0)
        let error = F.error { _ = try context.serialized(version: 1) }
        #expect(error?.code == .unsupportedVersion)
        #expect(error?.message.contains("graph 0 node 0") == true)
        #expect(error?.message.contains("i128") == true)
        #expect(try Context(serialized: try context.serialized(version: 2)) == context)
        #expect(F.errorCode { _ = try context.serialized(version: 3) } == .unsupportedVersion)
    }

    @Test func writingChecksStructure() {
        let forward = Context(graphs: [Graph(nodes: [Node(.nop, dependencies: [0])], outputNode: 0)], mainGraph: 0)
        #expect(F.errorCode { _ = try forward.serialized() } == .invalidGraph)
        let noMain = Context(graphs: [Graph(nodes: [Node(.zeros(.scalar(.bit)))], outputNode: 0)])
        #expect(F.errorCode { _ = try noMain.serialized() } == .invalidGraph)
        var unfinalized = noMain
        unfinalized.finalized = false
        #expect(F.errorCode { _ = try unfinalized.serialized() } == nil)
    }

    /// The compiled two-millionaires graph: parsed once, written as version 1 and read again.
    @Test func twoMillionaires() throws {
        let path = F.examplePath("two_millionaires/graph.json")
        let context = try Context(contentsOfFile: path)
        #expect(context.graphs.count == 1)
        #expect(context.mainGraph == 0)
        #expect(context.finalized)
        let graph = try context.main()
        #expect(graph.nodes.count == 9276)
        #expect(graph.outputNode == 9275)
        #expect(graph.finalized)
        #expect(F.operationCounts(graph) == [
            "Random": 3, "NOP": 750, "Input": 2, "PRF": 744, "Subtract": 744, "Add": 4030, "Constant": 3, "A2B": 6,
            "Multiply": 2220, "Get": 750, "CreateVector": 12, "VectorToArray": 12,
        ])
        #expect(graph.inputNodeIDs == [6, 17])
        #expect(graph.nodes[6].operation == .input(.scalar(.u32)))
        #expect(graph.nodes[0].operation == .random(.array([128], .bit)))
        #expect(graph.nodes[1] == Node(.nop, dependencies: [0]))
        #expect(graph.nodes[7].operation == .prf(iv: 1, .scalar(.u32)))
        #expect(graph.nodes[28].operation == .constant(.array([32], .bit), .bytes([0, 0, 0, 0])))
        #expect(graph.nodes[216].operation == .constant(.scalar(.bit), .bytes([1])))
        #expect(graph.nodes[9275] == Node(.nop, dependencies: [9274]))
        #expect(context.nodeAnnotations.count == 749)
        #expect(context.annotations(graph: 0, node: 8212) == [.send(from: 1, to: 0)])
        #expect(context.annotations(graph: 0, node: 9274) == [.send(from: 0, to: 1)])
        #expect(context.nodeNames.isEmpty && context.graphNames.isEmpty && context.graphAnnotations.isEmpty)

        let written = try context.serialized(version: 1)
        let reread = try Context(serialized: written)
        #expect(reread == context)
        // The graphs are written exactly as CipherCore wrote them.
        let original = try JSONParser().parse(try JSONParser().parse(String(decoding: try F.readBytes(path), as: UTF8.self))["data"]?.stringValue ?? "")
        let ours = try context.json(version: 1)
        #expect(ours["graphs"] == original["graphs"])
        #expect(ours["main_graph"] == original["main_graph"])
    }

    @Test func twoMillionairesV0() throws {
        let context = try Context(contentsOfFile: F.examplePath("two_millionaires_v0/graph.json"))
        let graph = try context.main()
        #expect(graph.nodes.count == 1282)
        #expect(graph.outputNode == 1281)
        #expect(F.operationCounts(graph) == [
            "Add": 580, "Get": 192, "Multiply": 192, "NOP": 108, "PRF": 102, "Subtract": 102, "Random": 3, "Input": 2, "Constant": 1,
        ])
        #expect(context.nodeAnnotations.count == 107)
        #expect(graph.nodes[28].operation == .constant(.scalar(.bit), .bytes([0])))
        for version in [1, 2] {
            #expect(try Context(serialized: try context.serialized(version: version)) == context)
        }
    }

    /// (document, expected code, fragment of the message).
    static let malformedDocuments: [(String, ConfideError.Code, String)] = [
        (#"{"version":2,"#, .malformedJSON, "byte"),
        ("", .malformedJSON, "end of input"),
        (#"{"version":2,"data":"{\"finalized\":true,"}"#, .malformedJSON, "data"),
        (#"{"version":3,"data":"{}"}"#, .unsupportedVersion, "3"),
        (#"{"version":0,"data":"{}"}"#, .unsupportedVersion, "0"),
        (#"{"version":-1,"data":"{}"}"#, .unsupportedVersion, "-1"),
        (#"{"version":99999999999999999999999,"data":"{}"}"#, .unsupportedVersion, "99999"),
        (#"{"version":"2","data":"{}"}"#, .invalidGraph, "version"),
        (#"{"version":2}"#, .invalidGraph, "data"),
        (#"{"version":2,"data":{}}"#, .invalidGraph, "data"),
        (#"[2,"{}"]"#, .invalidGraph, "version"),
        (#"{"version":2,"data":"[]"}"#, .invalidGraph, "object"),
        (#"{"version":2,"data":"{}"}"#, .invalidGraph, "graphs"),
    ]

    @Test(arguments: malformedDocuments)
    func rejectsMalformedDocuments(text: String, code: ConfideError.Code, fragment: String) {
        let error = F.error { _ = try Context(serialized: text) }
        #expect(error?.code == code, "\(text)")
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "no error")")
    }

    static let u8Input = F.node(#"{"Input":{"Scalar":"u8"}}"#)

    /// (inner context JSON, expected code, fragment of the message).
    static let malformedContexts: [(String, ConfideError.Code, String)] = [
        (F.innerContext(nodes: [u8Input, F.node(#""Frobnicate""#, [0])], output: "1"), .unknownOperation, "graph 0 node 1: unknown operation 'Frobnicate'"),
        (F.innerContext(nodes: [F.node(#""NOP""#, [1]), u8Input]), .invalidGraph, "graph 0 node 0: dependency 1 is not an earlier node"),
        (F.innerContext(nodes: [u8Input, F.node(#""NOP""#, [1])], output: "1"), .invalidGraph, "graph 0 node 1: dependency 1 is not an earlier node"),
        (F.innerContext(nodes: [u8Input, F.node(#""NOP""#, [7])], output: "1"), .invalidGraph, "graph 0 node 1: dependency 7 is out of range"),
        (F.innerContext(nodes: [u8Input, F.node(#""NOP""#, [-1])], output: "1"), .invalidGraph, "graph 0 node 1"),
        (F.innerContext(nodes: [u8Input, #"{"node_dependencies":[18446744073709551615],"graph_dependencies":[],"operation":"NOP"}"#], output: "1"), .invalidGraph, "graph 0 node 1"),
        (F.innerContext(nodes: [u8Input, F.node(#""Call""#, [0], graphs: [0])], output: "1"), .invalidGraph, "graph 0 node 1: graph dependency 0 is not an earlier graph"),
        (F.innerContext(nodes: [u8Input, F.node(#""Call""#, [0], graphs: [3])], output: "1"), .invalidGraph, "graph 0 node 1: graph dependency 3 is out of range"),
        (F.innerContext(nodes: [u8Input], output: "1"), .invalidGraph, "graph 0: output node 1 is out of range"),
        (F.innerContext(nodes: [u8Input], output: "null"), .invalidGraph, "graph 0 is finalized but has no output node"),
        (F.innerContext(nodes: [u8Input], output: "\"0\""), .invalidGraph, "output_node"),
        (F.innerContext(nodes: [u8Input], main: "1"), .invalidGraph, "main graph 1 is out of range"),
        (F.innerContext(nodes: [u8Input], main: "null"), .invalidGraph, "finalized context needs a main graph"),
        (F.innerContext(nodes: [u8Input], nodesAnnotations: #"[[[0,1],["Private"]]]"#), .invalidGraph, "annotation of graph 0 node 1: node 1 is out of range"),
        (F.innerContext(nodes: [u8Input], nodesAnnotations: #"[[[2,0],["Private"]]]"#), .invalidGraph, "annotation of graph 2 node 0: graph 2 is out of range"),
        (F.innerContext(nodes: [u8Input], nodesAnnotations: #"[[[0,0],["Public"]]]"#), .invalidGraph, "graph 0 node 0: unknown node annotation 'Public'"),
        (F.innerContext(nodes: [u8Input], nodesAnnotations: #"[[[0,0]]]"#), .invalidGraph, "pair"),
        (F.innerContext(nodes: [u8Input], graphsAnnotations: #"[[1,["SmallState"]]]"#), .invalidGraph, "graph 1 is out of range"),
        (F.innerContext(nodes: [u8Input], graphsAnnotations: #"[[0,["Big"]]]"#), .invalidGraph, "graph 0: unknown graph annotation 'Big'"),
        (F.innerContext(nodes: [u8Input], nodesNames: #"[[[0,4],"x"]]"#), .invalidGraph, "node 4 is out of range"),
        (F.innerContext(nodes: [u8Input], nodesNames: #"[[[0,0],"x"],[[0,0],"y"]]"#), .invalidGraph, "graph 0 node 0 is named twice"),
        (F.innerContext(nodes: [u8Input, u8Input], nodesNames: #"[[[0,0],"x"],[[0,1],"x"]]"#), .invalidGraph, "have the same name 'x'"),
        (F.innerContext(nodes: [u8Input], graphsNames: #"[[0,"a"],[0,"b"]]"#), .invalidGraph, "graph 0 is named twice"),
        (F.innerContext(nodes: [u8Input], graphsNames: #"[[5,"a"]]"#), .invalidGraph, "graph 5 is out of range"),
        (F.innerContext(nodes: [u8Input], graphsNames: #"[[0,7]]"#), .invalidGraph, "name of graph 0 must be a string"),
        (F.innerContext(nodes: [#"{"node_dependencies":[],"operation":"NOP"}"#]), .invalidGraph, "graph 0 node 0: the node has no \"graph_dependencies\""),
        (F.innerContext(nodes: [F.node(#"{"Input":{"Scalar":"u9"}}"#)]), .invalidType, "graph 0 node 0: operation Input: unknown scalar type 'u9'"),
        (F.innerContext(nodes: [F.node(#"{"Sum":[-1]}"#)]), .invalidGraph, "graph 0 node 0: operation Sum"),
    ]

    @Test(arguments: malformedContexts)
    func rejectsMalformedContexts(inner: String, code: ConfideError.Code, fragment: String) {
        let error = F.error { _ = try Context(serialized: F.wrap(inner)) }
        #expect(error?.code == code, "\(inner)")
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "no error")")
    }

    @Test func acceptsAValidHandWrittenContext() throws {
        let inner = F.innerContext(
            nodes: [Self.u8Input, F.node(#""NOP""#, [0])], output: "1", nodesNames: #"[[[0,0],"x"]]"#,
            nodesAnnotations: #"[[[0,1],[{"Send":[0,1]}]],[[0,1],[]],[[0,1],[{"Send":[1,2]}]]]"#)
        let context = try Context(serialized: F.wrap(inner, version: 1))
        #expect(context.graphs[0].nodes == [Node(.input(.scalar(.u8))), Node(.nop, dependencies: [0])])
        #expect(context.annotations(graph: 0, node: 1) == [.send(from: 0, to: 1), .send(from: 1, to: 2)])
        #expect(context.nodeNames == [.init(graph: 0, node: 0): "x"])
    }

    @Test func graphDependencyMustBeFinalized() {
        let context = Context(
            graphs: [
                Graph(nodes: [Node(.input(.scalar(.u8)))], outputNode: 0, finalized: false),
                Graph(nodes: [Node(.input(.scalar(.u8))), Node(.call, dependencies: [0], graphDependencies: [0])], outputNode: 1, finalized: false),
            ],
            finalized: false)
        let error = F.error { try context.checkStructure() }
        #expect(error?.code == .invalidGraph)
        #expect(error?.message.contains("graph 1 node 1: graph dependency 0 is not finalized") == true)
    }

    /// Nesting beyond the parser's depth limit is refused (as too large) before any tree walk.
    @Test func deepNestingFailsCleanly() {
        let depth = 10_000
        let outer = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(F.errorCode { _ = try Context(serialized: outer) } == .tooLarge)
        let inner = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
        #expect(F.errorCode { _ = try Context(serialized: F.wrap(inner)) } == .tooLarge)
        let deepType = String(repeating: #"{"Vector":[1,"#, count: depth) + #"{"Scalar":"u8"}"# + String(repeating: "]}", count: depth)
        let deepOp = F.innerContext(nodes: [F.node(#"{"Input":"# + deepType + "}")])
        #expect(F.errorCode { _ = try Context(serialized: F.wrap(deepOp)) } == .tooLarge)
        let deepValue = String(repeating: #"{"body":{"Vector":["#, count: depth) + #"{"body":{"Bytes":[1]}}"# + String(repeating: "]}}", count: depth)
        let constant = JSONValue.object([("Constant", .array([
            .object([("Scalar", .string("u8"))]), .object([("version", .int(2)), ("data", .string(deepValue))]),
        ]))]).serialized()
        #expect(F.errorCode { _ = try Context(serialized: F.wrap(F.innerContext(nodes: [F.node(constant)]))) } == .tooLarge)
    }
}
