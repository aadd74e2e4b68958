import Foundation
import Testing

@Suite("confide with CSV and NumPy files") struct TabularFilesCLITests {
    @Test func evalSortsACSVColumnIntoACSVFile() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try await ConfideProcess.run(["example", "sort", "--count", "5", "--type", "i32"])
        try graph.stdout.write(to: dir.appendingPathComponent("sort.json"), atomically: true, encoding: .utf8)
        try "key\n3\n-2147483648\n0\n2147483647\n-1\n".write(to: dir.appendingPathComponent("keys.csv"), atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("sorted.csv").path
        let result = try await ConfideProcess.run(["eval", dir.appendingPathComponent("sort.json").path, "-i", dir.appendingPathComponent("keys.csv").path, "-o", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "-2147483648\n-1\n0\n3\n2147483647\n")
        let npy = dir.appendingPathComponent("sorted.npy").path
        let again = try await ConfideProcess.run(["eval", dir.appendingPathComponent("sort.json").path, "-i", dir.appendingPathComponent("keys.csv").path, "-o", npy])
        #expect(again.status == 0, "\(again.stderr)")
        #expect((try Data(contentsOf: URL(fileURLWithPath: npy))).prefix(6) == Data([0x93] + Array("NUMPY".utf8)))
    }

    @Test func evalNamesTheFileLineAndColumnOfABadCell() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try await ConfideProcess.run(["example", "multiply", "--count", "2", "--type", "u8"])
        try graph.stdout.write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
        try "a\n1\n2\n".write(to: dir.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        try "b\n1\n256\n".write(to: dir.appendingPathComponent("b.csv"), atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("r.csv").path
        let result = try await ConfideProcess.run(["eval", dir.appendingPathComponent("m.json").path, "-i", dir.appendingPathComponent("a.csv").path, "-i", dir.appendingPathComponent("b.csv").path, "-o", out])
        #expect(result.status == 1)
        #expect(result.stderr.contains("b.csv: line 3, column 1 ('b'): integer is out of range for u8"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func simulateReadsManifestsAndWritesEachOutputParty() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try await ConfideProcess.run(["example", "multiply", "--count", "4", "--type", "i64"])
        try graph.stdout.write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
        let inputs = dir.appendingPathComponent("in")
        for p in 0..<3 { try FileManager.default.createDirectory(at: inputs.appendingPathComponent("party\(p)"), withIntermediateDirectories: true) }
        try "x\n1\n-1\n9223372036854775807\n3\n".write(to: inputs.appendingPathComponent("x.csv"), atomically: true, encoding: .utf8)
        try "- csv: ../x.csv\n- zeros\n".write(to: inputs.appendingPathComponent("party0/inputs.yaml"), atomically: true, encoding: .utf8)
        try "- zeros\n- npy: y.npy\n".write(to: inputs.appendingPathComponent("party1/inputs.yaml"), atomically: true, encoding: .utf8)
        try "- zeros\n- zeros: i64[4]\n".write(to: inputs.appendingPathComponent("party2/inputs.yaml"), atomically: true, encoding: .utf8)
        // int64 [5, 7, 2, -2] as NumPy writes it.
        var npy = [UInt8](repeating: 0, count: 0)
        var header = "{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }"
        header += String(repeating: " ", count: 64 - (10 + header.utf8.count + 1) % 64) + "\n"
        npy += [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
        for v: Int64 in [5, 7, 2, -2] { npy += withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        try Data(npy).write(to: inputs.appendingPathComponent("party1/y.npy"))
        for processes in [false, true] {
            let out = dir.appendingPathComponent(processes ? "out-processes" : "out")
            let result = try await ConfideProcess.run([
                "simulate", dir.appendingPathComponent("m.json").path, "-i", inputs.path, "--input-parties", "0,1", "--output-parties", "0,2",
                "--output-dir", out.path, "--output-format", "csv",
            ] + (processes ? ["--processes"] : []))
            #expect(result.status == 0, "\(result.stderr)")
            let expected = "5\n-7\n-2\n-6\n"
            #expect(try String(contentsOf: out.appendingPathComponent("party0/output.csv"), encoding: .utf8) == expected, "processes: \(processes)")
            #expect(try String(contentsOf: out.appendingPathComponent("party2/output.csv"), encoding: .utf8) == expected, "processes: \(processes)")
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("party1").path))
        }
    }
}
