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

    @Test func anUncompiledGraphShowsThePlannersTrafficForAnIOSpec() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let example = try await ConfideProcess.run(["example", "multiply", "--count", "4"])
        #expect(example.status == 0, "\(example.stderr)")
        let file = dir.appendingPathComponent("multiply.json")
        try example.stdout.write(to: file, atomically: true, encoding: .utf8)
        let bare = try await ConfideProcess.run(["inspect", file.path])
        #expect(bare.status == 0, "\(bare.stderr)")
        #expect(bare.stdout.contains("give --input-parties and --output-parties") && bare.stdout.contains("Multiply"))
        // Parties 0 and 1 share 4 u64 each (a round each), one multiplication (every party sends
        // 32 bytes), and party 0 sends party 2 its missing component.
        let planned = try await ConfideProcess.run(["inspect", file.path, "--input-parties", "0,1", "--output-parties", "2"])
        #expect(planned.status == 0, "\(planned.stderr)")
        #expect(planned.stdout.contains("at most 4 rounds, 192 bytes"), "\(planned.stdout)")
        #expect(planned.stdout.contains("party 0 sends 96 bytes") && planned.stdout.contains("party 2 sends 32 bytes"))
        let json = try await ConfideProcess.run(["inspect", file.path, "--input-parties", "0,1", "--output-parties", "2", "--json"])
        #expect(json.stdout.contains("\"rounds_at_most\": 4"), "\(json.stdout)")
        let half = try await ConfideProcess.run(["inspect", file.path, "--input-parties", "0,1"])
        #expect(half.status == 1 && half.stderr.contains("go together"))
    }

    @Test func missingFileFailsNamingIt() async throws {
        let result = try await ConfideProcess.run(["inspect", "/nonexistent/graph.json"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/graph.json"))
    }
}
