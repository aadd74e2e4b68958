import Foundation
import Testing

/// Every bad graph file gives a clear error naming the file and exits with status 1 (never a crash).
@Suite("confide bad input")
struct BadInputTests {
    static let graphs: [(name: String, text: String, mentions: String)] = [
        ("malformed", #"{"version": 2, "data": "{\"finalized\": tru"#, "malformed-json"),
        ("not-json", "hello", "malformed-json"),
        ("version", #"{"version": 7, "data": "{}"}"#, "unsupported-version"),
        (
            "unknown-op",
            #"{"version":2,"data":"{\"finalized\":true,\"graphs\":[{\"finalized\":true,\"nodes\":[{\"node_dependencies\":[],\"graph_dependencies\":[],\"operation\":\"Frobnicate\"}],\"output_node\":0}],\"main_graph\":0,\"graphs_names\":[],\"nodes_names\":[],\"nodes_annotations\":[],\"graphs_annotations\":[]}"}"#,
            "Frobnicate"
        ),
        (
            "forward-dependency",
            #"{"version":2,"data":"{\"finalized\":true,\"graphs\":[{\"finalized\":true,\"nodes\":[{\"node_dependencies\":[1],\"graph_dependencies\":[],\"operation\":\"NOP\"},{\"node_dependencies\":[],\"graph_dependencies\":[],\"operation\":{\"Input\":{\"Scalar\":\"u8\"}}}],\"output_node\":0}],\"main_graph\":0,\"graphs_names\":[],\"nodes_names\":[],\"nodes_annotations\":[],\"graphs_annotations\":[]}"}"#,
            "node 0"
        ),
        (
            "shape-mismatch",
            #"{"version":2,"data":"{\"finalized\":true,\"graphs\":[{\"finalized\":true,\"nodes\":[{\"node_dependencies\":[],\"graph_dependencies\":[],\"operation\":{\"Input\":{\"Array\":[[2,3],\"u8\"]}}},{\"node_dependencies\":[],\"graph_dependencies\":[],\"operation\":{\"Input\":{\"Array\":[[4],\"u8\"]}}},{\"node_dependencies\":[0,1],\"graph_dependencies\":[],\"operation\":\"Add\"}],\"output_node\":2}],\"main_graph\":0,\"graphs_names\":[],\"nodes_names\":[],\"nodes_annotations\":[],\"graphs_annotations\":[]}"}"#,
            "node 2"
        ),
        (
            "truncate-zero",
            #"{"version":2,"data":"{\"finalized\":true,\"graphs\":[{\"finalized\":true,\"nodes\":[{\"node_dependencies\":[],\"graph_dependencies\":[],\"operation\":{\"Input\":{\"Scalar\":\"i32\"}}},{\"node_dependencies\":[0],\"graph_dependencies\":[],\"operation\":{\"Truncate\":0}}],\"output_node\":1}],\"main_graph\":0,\"graphs_names\":[],\"nodes_names\":[],\"nodes_annotations\":[],\"graphs_annotations\":[]}"}"#,
            "node 1"
        ),
        ("deep-nesting", String(repeating: "[", count: 100_000), "nesting deeper than"),
    ]

    @Test(arguments: graphs.indices)
    func badGraphFails(_ index: Int) async throws {
        let (name, text, mentions) = Self.graphs[index]
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("\(name).json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        for command in ["inspect", "eval"] {
            let result = try await ConfideProcess.run([command, file.path])
            #expect(result.status == 1, "\(name) \(command): status \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(file.path), "\(name): \(result.stderr)")
            #expect(result.stderr.contains(mentions), "\(name): \(result.stderr)")
        }
    }

    @Test func hundredMegabyteFileIsRejectedQuickly() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("huge.json")
        #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 100 << 20)
        try handle.close()
        let result = try await ConfideProcess.run(["inspect", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("too-large"))
    }
}
