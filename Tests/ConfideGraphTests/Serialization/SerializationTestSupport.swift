import ConfideCore
import Foundation

@testable import ConfideGraph

/// Paths and helpers shared by the serialization tests.
enum SerializationFixtures {
    /// CipherCore's shipped example data (override with `CONFIDE_EXAMPLES`).
    static var examplesDirectory: String {
        if let dir = ProcessInfo.processInfo.environment["CONFIDE_EXAMPLES"] { return dir }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/ciphercore-examples").path
    }

    static func examplePath(_ relative: String) -> String {
        examplesDirectory + "/" + relative
    }

    /// The bytes of a file (empty when it cannot be read, which makes the calling test fail).
    static func readBytes(_ path: String) throws -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: path) ?? Data())
    }

    /// The error code `body` throws (nil when it succeeds); non-Confide errors give "non-confide".
    static func errorCode(_ body: () throws -> Void) -> ConfideError.Code? {
        do {
            try body()
            return nil
        } catch let error as ConfideError {
            return error.code
        } catch {
            return ConfideError.Code("non-confide")
        }
    }

    /// The ConfideError `body` throws, or nil.
    static func error(_ body: () throws -> Void) -> ConfideError? {
        do {
            try body()
            return nil
        } catch {
            return error as? ConfideError
        }
    }

    /// Operation names (custom operations count as "Custom") and how often each occurs.
    static func operationCounts(_ graph: Graph) -> [String: Int] {
        var counts: [String: Int] = [:]
        for node in graph.nodes { counts[node.operation.isCustom ? "Custom" : node.operation.name, default: 0] += 1 }
        return counts
    }

    /// A one-graph context whose inner JSON is given, wrapped as `{"version":N,"data":...}`.
    static func wrap(_ inner: String, version: Int = 2) -> String {
        JSONValue.object([("version", .int(version)), ("data", .string(inner))]).serialized()
    }

    /// Inner JSON of a one-graph context with the given node objects, output node and lists.
    static func innerContext(
        nodes: [String], output: String = "0", main: String = "0", graphsNames: String = "[]",
        nodesNames: String = "[]", nodesAnnotations: String = "[]", graphsAnnotations: String = "[]"
    ) -> String {
        #"{"finalized":true,"graphs":[{"finalized":true,"nodes":["# + nodes.joined(separator: ",") + #"],"output_node":"# + output
            + #"}],"main_graph":"# + main + #","graphs_names":"# + graphsNames + #","nodes_names":"# + nodesNames
            + #","nodes_annotations":"# + nodesAnnotations + #","graphs_annotations":"# + graphsAnnotations + "}"
    }

    /// A node object.
    static func node(_ operation: String, _ deps: [Int] = [], graphs: [Int] = []) -> String {
        #"{"node_dependencies":["# + deps.map(String.init).joined(separator: ",") + #"],"graph_dependencies":["#
            + graphs.map(String.init).joined(separator: ",") + #"],"operation":"# + operation + "}"
    }
}
