import Foundation
import Testing

/// `confide demo`: a whole deployment as child processes, two examples, a clean shutdown.
@Suite(.serialized) struct DemoCommandTests {
    /// Every number in the typed-value JSON files of the demo's inputs (shares of the median's input included).
    static func inputNumbers() throws -> Set<String> {
        let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/confide/Resources")
        var numbers = Set<String>()
        for example in ["two_millionaires", "median"] {
            for party in 0..<3 {
                let text = try String(contentsOf: resources.appendingPathComponent("\(example)/party\(party).txt"), encoding: .utf8)
                var digits = ""
                for character in text + " " {
                    if character.isASCII, character.isNumber {
                        digits.append(character)
                    } else {
                        if !digits.isEmpty { numbers.insert(digits) }
                        digits = ""
                    }
                }
            }
        }
        // Numbers of one to three digits (type widths, party numbers, shape sizes) are everywhere in
        // a log; every input value here has at least four.
        return numbers.filter { $0.count >= 4 }
    }

    @Test func demoRunsAWholeDeployment() async throws {
        let result = try await ConfideProcess.run(["demo", "--keep", "--log-format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("started 3 data nodes and 3 compute nodes"))
        #expect(result.stdout.contains("  party 0: 1 (x > y is true: party 0 is richer)"))
        #expect(result.stdout.contains("  party 1: 1 (x > y is true: party 0 is richer)"))
        #expect(result.stdout.contains("  party 0: [511]"))
        // Party 0's node serves its counters (YAML metrics_port): two sessions finished.
        #expect(result.stdout.contains(#"  confide_sessions_total{status="finished"} 2"#), "\(result.stdout)")
        #expect(result.stdout.contains("  confide_rounds_total "))
        // The kept folder holds each party's stored results; the nodes are gone.
        let kept = result.stdout.split(separator: "\n").last { $0.hasPrefix("kept ") }.map { String($0.dropFirst("kept ".count)) }
        let folder = try #require(kept)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let median = try String(contentsOfFile: folder + "/results/party0/median.json", encoding: .utf8)
        #expect(median.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "").contains(#""value":[511]"#))
        let logs = try String(contentsOfFile: folder + "/logs/party0.log", encoding: .utf8)
        #expect(logs.contains("stopped"))
        // No log line of any node carries an input value or a share of one.
        let secrets = try Self.inputNumbers()
        #expect(secrets.contains("31415") && secrets.contains("3760669895") && secrets.count > 100, "\(secrets.count) input numbers")
        var lines = 0
        for node in ["party0", "party1", "party2", "party0-data", "party1-data", "party2-data"] {
            let text = try String(contentsOfFile: folder + "/logs/\(node).log", encoding: .utf8)
            for line in text.split(separator: "\n") {
                lines += 1
                // --log-format json: one object per line, with the node's name.
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object?["node"] as? String == node && object?["level"] is String && object?["message"] is String, "\(node): \(line)")
                for secret in secrets where String(line).containsWord(secret) { Issue.record("\(node)'s log shows input value \(secret): \(line)") }
            }
        }
        #expect(lines > 20)
        // The demo's own progress on standard error neither (its narration on standard output states the
        // millionaires' wealth on purpose: all parties are this machine's).
        for secret in secrets where result.stderr.containsWord(secret) { Issue.record("the demo logged input value \(secret)") }
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
