import Foundation
import Testing

@Suite("confide eval")
struct EvalCommandTests {
    /// CipherCore's command-line examples and the outputs its evaluator prints for them.
    static let cases: [(example: String, inputs: String, expected: String)] = [
        ("matrix-multiplication", "matrix_multiplication.json", #"{"kind":"array","type":"i32","value":[[38,44,50,56],[83,98,113,128]]}"#),
        ("millionaires", "millionaires_problem.json", #"{"kind":"scalar","type":"bit","value":0}"#),
        ("minimum", "minimum.json", #"{"kind":"array","type":"i32","value":[2]}"#),
        ("sort", "sort.json", #"{"kind":"array","type":"i32","value":[2,7,10,10,18,26,31,31,62,74,78,83,89,92,93,93]}"#),
    ]

    @Test(arguments: cases.indices)
    func reproducesCipherCoreExamples(_ index: Int) async throws {
        let (example, inputs, expected) = Self.cases[index]
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for version in ["1", "2"] {
            let graph = try await ConfideProcess.run(["example", example, "--version", version])
            #expect(graph.status == 0, "\(graph.stderr)")
            let file = dir.appendingPathComponent("\(example)-v\(version).json")
            try graph.stdout.write(to: file, atomically: true, encoding: .utf8)
            let input = ConfideProcess.examples.appendingPathComponent("cli_inputs/\(inputs)").path
            let result = try await ConfideProcess.run(["eval", file.path, "--inputs", input, "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
        }
    }

    @Test func wrongInputTypeNamesInputAndTypes() async throws {
        let graph = ConfideProcess.examples.appendingPathComponent("two_millionaires_v0/graph.json").path
        let input = ConfideProcess.examples.appendingPathComponent("two_millionaires_v0/party0/input.txt").path
        let result = try await ConfideProcess.run(["eval", graph, "--inputs", input])
        #expect(result.status != 0)
        #expect(result.stderr.contains("input 0"))
        #expect(result.stderr.contains("bit[32]"))
        #expect(result.stderr.contains("u64[1]"))
        #expect(result.stderr.contains("two_millionaires_v0/graph.json"))
    }

    @Test func wrongInputCountIsReported() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try await ConfideProcess.run(["example", "millionaires"])
        let file = dir.appendingPathComponent("m.json")
        try graph.stdout.write(to: file, atomically: true, encoding: .utf8)
        let inputs = dir.appendingPathComponent("in.json")
        try #"[{"kind":"scalar","type":"u32","value":1}]"#.write(to: inputs, atomically: true, encoding: .utf8)
        let result = try await ConfideProcess.run(["eval", file.path, "--inputs", inputs.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("wrong-input-count"))
    }

    @Test func outOfRangeInputIsReported() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try await ConfideProcess.run(["example", "millionaires"])
        let file = dir.appendingPathComponent("m.json")
        try graph.stdout.write(to: file, atomically: true, encoding: .utf8)
        let inputs = dir.appendingPathComponent("in.json")
        try #"[{"kind":"scalar","type":"u32","value":4294967296},{"kind":"scalar","type":"u32","value":1}]"#
            .write(to: inputs, atomically: true, encoding: .utf8)
        let result = try await ConfideProcess.run(["eval", file.path, "--inputs", inputs.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("in.json"))
        #expect(result.stderr.contains("out-of-range"))
    }
}
