import Foundation
import Testing

@Suite("confide inspect")
struct InspectCommandTests {
    @Test func twoMillionairesRoundsAndBytes() async throws {
        let graph = ConfideProcess.examples.appendingPathComponent("two_millionaires/graph.json").path
        let result = try await ConfideProcess.run(["inspect", graph, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        #expect(text.contains("\"nodes\": 9276"))
        #expect(text.contains("\"rounds\": 46"))
        #expect(text.contains("\"bytes_total\": 866"))
        #expect(text.contains("\"PRF\": 744"))
        let human = try await ConfideProcess.run(["inspect", graph])
        #expect(human.status == 0)
        #expect(human.stdout.contains("46 rounds, 866 bytes"))
    }

    @Test func uncompiledGraphHasNoRounds() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let example = try await ConfideProcess.run(["example", "minimum"])
        #expect(example.status == 0, "\(example.stderr)")
        let file = dir.appendingPathComponent("minimum.json")
        try example.stdout.write(to: file, atomically: true, encoding: .utf8)
        let result = try await ConfideProcess.run(["inspect", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("0 rounds"))
        #expect(result.stdout.contains("Min"))
    }

    @Test func missingFileFailsNamingIt() async throws {
        let result = try await ConfideProcess.run(["inspect", "/nonexistent/graph.json"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/graph.json"))
    }
}
