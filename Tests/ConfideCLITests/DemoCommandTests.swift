import Foundation
import Testing

/// `confide demo`: a whole deployment as child processes, two examples, a clean shutdown.
@Suite(.serialized) struct DemoCommandTests {
    @Test func demoRunsAWholeDeployment() async throws {
        let result = try await ConfideProcess.run(["demo", "--keep"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("started 3 data nodes and 3 compute nodes"))
        #expect(result.stdout.contains("  party 0: 1 (x > y is true: party 0 is richer)"))
        #expect(result.stdout.contains("  party 1: 1 (x > y is true: party 0 is richer)"))
        #expect(result.stdout.contains("  party 0: [511]"))
        // The kept folder holds each party's stored results; the nodes are gone.
        let kept = result.stdout.split(separator: "\n").last { $0.hasPrefix("kept ") }.map { String($0.dropFirst("kept ".count)) }
        let folder = try #require(kept)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let median = try String(contentsOfFile: folder + "/results/party0/median.json", encoding: .utf8)
        #expect(median.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "").contains(#""value":[511]"#))
        let logs = try String(contentsOfFile: folder + "/logs/party0.log", encoding: .utf8)
        #expect(logs.contains("stopped"))
        #expect(!logs.containsWord("3000"))
    }
}

@Suite struct LogSearchTests {
    /// The log check finds a number on its own and ignores the same digits inside a longer number or an id.
    @Test func containsWordNeedsBoundaries() {
        #expect("input 3000 arrived".containsWord("3000"))
        #expect("x=3000.".containsWord("3000"))
        #expect("3000".containsWord("3000"))
        #expect(!"finished in 1.230003000 seconds".containsWord("3000"))
        #expect(!"folder confide-a3000b".containsWord("3000"))
    }
}
