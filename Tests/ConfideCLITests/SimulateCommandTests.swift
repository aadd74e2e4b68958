import Foundation
import Testing

@Suite("confide simulate")
struct SimulateCommandTests {
    static func example(_ name: String) -> String { ConfideProcess.examples.appendingPathComponent(name).path }

    @Test func twoMillionairesFromTheShippedInputs() async throws {
        let result = try await ConfideProcess.run(["simulate", Self.example("two_millionaires/graph.json"), "--inputs", Self.example("two_millionaires")])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0] == #"party 0: {"kind":"scalar","type":"bit","value":1}"#)
        #expect(lines[1] == #"party 1: {"kind":"scalar","type":"bit","value":1}"#)
        #expect(lines[2].hasPrefix(#"party 2: {"kind":"scalar","type":"bit","value":"#))
    }

    @Test func jsonReportsRoundsAndBytes() async throws {
        let result = try await ConfideProcess.run(
            ["simulate", Self.example("two_millionaires/graph.json"), "--inputs", Self.example("two_millionaires"), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["rounds"] as? Int == 46)
        #expect(object["bytes_sent"] as? [Int] == [289, 288, 289])
        let parties = try #require(object["parties"] as? [[String: Any]])
        #expect(parties.count == 3)
        #expect((parties[0]["output"] as? [String: Any])?["value"] as? Int == 1)
        #expect(object["seconds"] is Double)
    }

    @Test func versionZeroWithItsShippedInputsIsATypeError() async throws {
        let result = try await ConfideProcess.run(
            ["simulate", Self.example("two_millionaires_v0/graph.json"), "--inputs", Self.example("two_millionaires_v0")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("type-mismatch"))
        #expect(result.stderr.contains("input 0 (node 6): expected type bit[32], found u64[1]"))
    }

    @Test func versionZeroWithBitInputs() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func bits(_ x: UInt32) -> String {
            #"{"kind":"array","type":"bit","value":["# + (0..<32).map { String((x >> UInt32($0)) & 1) }.joined(separator: ",") + "]}"
        }
        let values: [(UInt32, UInt32)] = [(3000, 0), (0, 2000), (0, 0)]
        for (p, (a, b)) in values.enumerated() {
            let party = dir.appendingPathComponent("party\(p)")
            try FileManager.default.createDirectory(at: party, withIntermediateDirectories: true)
            try "[\(bits(a)), \(bits(b))]".write(to: party.appendingPathComponent("input.txt"), atomically: true, encoding: .utf8)
        }
        let result = try await ConfideProcess.run(["simulate", Self.example("two_millionaires_v0/graph.json"), "--inputs", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix(#"party 0: {"kind":"scalar","type":"bit","value":1}"#))
    }

    @Test func missingInputsAndUncompiledGraphsAreErrors() async throws {
        let missing = try await ConfideProcess.run(["simulate", Self.example("two_millionaires/graph.json"), "--inputs", "/nonexistent"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/party0/input.txt"))
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try await ConfideProcess.run(["example", "millionaires"])
        let file = dir.appendingPathComponent("plain.json")
        try graph.stdout.write(to: file, atomically: true, encoding: .utf8)
        let plain = try await ConfideProcess.run(["simulate", file.path, "--inputs", Self.example("two_millionaires")])
        #expect(plain.status == 1)
        #expect(plain.stderr.contains("not a compiled graph"))
    }

    @Test func uncompiledGraphWithAnIOSpec() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try await ConfideProcess.run(["example", "matrix-multiplication"])
        let file = dir.appendingPathComponent("mm.json")
        try graph.stdout.write(to: file, atomically: true, encoding: .utf8)
        let inputs = try String(contentsOf: ConfideProcess.examples.appendingPathComponent("cli_inputs/matrix_multiplication.json"), encoding: .utf8)
        for p in 0..<3 {
            let party = dir.appendingPathComponent("party\(p)")
            try FileManager.default.createDirectory(at: party, withIntermediateDirectories: true)
            try inputs.write(to: party.appendingPathComponent("input.txt"), atomically: true, encoding: .utf8)
        }
        let result = try await ConfideProcess.run(["simulate", file.path, "--inputs", dir.path, "--input-parties", "1,2", "--output-parties", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.split(separator: "\n").map(String.init) == [
                #"party 0: {"kind":"array","type":"i32","value":[[38,44,50,56],[83,98,113,128]]}"#, "party 1: null", "party 2: null",
            ])
        let badParty = try await ConfideProcess.run(["simulate", file.path, "--inputs", dir.path, "--input-parties", "1,2", "--output-parties", "3"])
        #expect(badParty.status == 1)
        #expect(badParty.stderr.contains("output party '3' does not exist"))
        let badCount = try await ConfideProcess.run(["simulate", file.path, "--inputs", dir.path, "--input-parties", "1", "--output-parties", "0"])
        #expect(badCount.status == 1)
        #expect(badCount.stderr.contains("the I/O spec names 1 input, the main graph has 2"))
        let half = try await ConfideProcess.run(["simulate", file.path, "--inputs", dir.path, "--input-parties", "1,2"])
        #expect(half.status == 1)
        #expect(half.stderr.contains("go together"))
    }

    @Test func medianOfTheSecretSharedExample() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try await ConfideProcess.run(["example", "median"])
        #expect(graph.status == 0, "\(graph.stderr)")
        let file = dir.appendingPathComponent("median.json")
        try graph.stdout.write(to: file, atomically: true, encoding: .utf8)
        let result = try await ConfideProcess.run(
            ["simulate", file.path, "--inputs", Self.example("median"), "--input-parties", "secret-shared", "--output-parties", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.split(separator: "\n").map(String.init) == [
                #"party 0: {"kind":"array","type":"u32","value":[511]}"#, "party 1: null", "party 2: null",
            ])
        let wrongKind = try await ConfideProcess.run(["simulate", file.path, "--inputs", Self.example("median"), "--input-parties", "0", "--output-parties", "0"])
        #expect(wrongKind.status == 1)
        #expect(wrongKind.stderr.contains("input 0"), "\(wrongKind.stderr)")
    }

    @Test(arguments: ["file", "tcp"])
    func separateProcessesGiveTheInProcessResults(transport: String) async throws {
        let graph = Self.example("two_millionaires/graph.json"), inputs = Self.example("two_millionaires")
        let result = try await ConfideProcess.run(["simulate", graph, "--inputs", inputs, "--processes", "--transport", transport, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let parties = try #require(object["parties"] as? [[String: Any]])
        #expect(parties.prefix(2).allSatisfy { ($0["output"] as? [String: Any])?["value"] as? Int == 1 })
        #expect(object["rounds"] as? Int == 46)
        #expect(object["bytes_sent"] as? [Int] == [289, 288, 289])
    }

    @Test func separateProcessesRunTheSecurePlannerAndReportErrors() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try await ConfideProcess.run(["example", "median"])
        let file = dir.appendingPathComponent("median.json")
        try graph.stdout.write(to: file, atomically: true, encoding: .utf8)
        let median = try await ConfideProcess.run(
            ["simulate", file.path, "--inputs", Self.example("median"), "--input-parties", "secret-shared", "--output-parties", "0", "--processes"])
        #expect(median.status == 0, "\(median.stderr)")
        #expect(median.stdout.hasPrefix(#"party 0: {"kind":"array","type":"u32","value":[511]}"#))
        let wrong = try await ConfideProcess.run(
            ["simulate", Self.example("two_millionaires_v0/graph.json"), "--inputs", Self.example("two_millionaires_v0"), "--processes"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("input 0 (node 6): expected type bit[32], found u64[1]"), "\(wrong.stderr)")
    }
}
