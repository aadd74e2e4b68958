import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Annotation JSON")
struct AnnotationJSONTests {
    @Test(arguments: [
        (NodeAnnotation.associativeOperation, #""AssociativeOperation""#), (.private, #""Private""#),
        (.send(from: 1, to: 0), #"{"Send":[1,0]}"#), (.send(from: 0, to: 2), #"{"Send":[0,2]}"#),
        (.prfMultiplication, #""PRFMultiplication""#), (.prfB2A, #""PRFB2A""#), (.prfTruncate, #""PRFTruncate""#),
        (.mpcCall, #""MpcCall""#),
    ])
    func nodeAnnotations(annotation: NodeAnnotation, expected: String) throws {
        #expect(try annotation.json().serialized() == expected)
        #expect(try NodeAnnotation(json: try JSONParser().parse(expected)) == annotation)
    }

    @Test(arguments: [
        (GraphAnnotation.associativeOperation, #""AssociativeOperation""#), (.oneBitState, #""OneBitState""#),
        (.smallState, #""SmallState""#),
    ])
    func graphAnnotations(annotation: GraphAnnotation, expected: String) throws {
        #expect(annotation.json().serialized() == expected)
        #expect(try GraphAnnotation(json: try JSONParser().parse(expected)) == annotation)
    }

    @Test(arguments: [
        #""Send""#, #""Secret""#, #"{"Send":[1]}"#, #"{"Send":[-1,0]}"#, #"{"Send":[0,18446744073709551616]}"#,
        #"{"Send":"0,1"}"#, #"{"Recv":[0,1]}"#, "3", "{}", #"{"Private":1}"#,
    ])
    func rejectsMalformedNodeAnnotations(text: String) throws {
        let json = try JSONParser().parse(text)
        #expect(SerializationFixtures.errorCode { _ = try NodeAnnotation(json: json) } == .invalidGraph)
    }

    @Test(arguments: [#""Small""#, #"{"SmallState":1}"#, "[]", "null"])
    func rejectsMalformedGraphAnnotations(text: String) throws {
        let json = try JSONParser().parse(text)
        #expect(SerializationFixtures.errorCode { _ = try GraphAnnotation(json: json) } == .invalidGraph)
    }

    @Test func negativeSendPartyCannotBeWritten() {
        #expect(SerializationFixtures.errorCode { _ = try NodeAnnotation.send(from: -1, to: 0).json() } == .invalidArgument)
    }

    /// Every annotation inside a context, in both format versions.
    @Test(arguments: [1, 2])
    func everyAnnotationRoundTripsInAContext(version: Int) throws {
        let all: [NodeAnnotation] = [.associativeOperation, .private, .send(from: 2, to: 1), .prfMultiplication, .prfB2A, .prfTruncate, .mpcCall]
        let context = Context(
            graphs: [Graph(nodes: [Node(.input(.scalar(.u8))), Node(.nop, dependencies: [0])], outputNode: 1)],
            mainGraph: 0,
            nodeAnnotations: [.init(graph: 0, node: 1): all + [.send(from: 0, to: 1)], .init(graph: 0, node: 0): [.private]],
            graphAnnotations: [0: [.associativeOperation, .oneBitState, .smallState]])
        let text = try context.serialized(version: version)
        #expect(try Context(serialized: text) == context)
        let inner = try JSONParser().parse(try JSONParser().parse(text)["data"]?.stringValue ?? "")
        #expect(inner["nodes_annotations"]?.serialized()
            == #"[[[0,0],["Private"]],[[0,1],["AssociativeOperation","Private",{"Send":[2,1]},"PRFMultiplication","PRFB2A","PRFTruncate","MpcCall",{"Send":[0,1]}]]]"#)
        #expect(inner["graphs_annotations"]?.serialized() == #"[[0,["AssociativeOperation","OneBitState","SmallState"]]]"#)
    }
}
