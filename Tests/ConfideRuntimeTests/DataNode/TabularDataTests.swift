import ConfideCore
import ConfideData
import ConfideGraph
import Foundation
import Testing

@testable import ConfideRuntime

@Suite(.serialized, .timeLimit(.minutes(10))) struct TabularDataTests {
    /// A sort of party 0's CSV column through three data nodes and three compute nodes over TLS;
    /// the result arrives as CSV and NumPy files beside the JSON record.
    @Test func aCSVColumnThroughDataNodesComesBackAsCSVAndNPY() async throws {
        let folder = NSTemporaryDirectory() + "confide-tabular-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var generator = AESCTRGenerator.fromSystemEntropy()
        let count = 300
        var keys = (0..<count).map { _ in Int32(truncatingIfNeeded: generator.next(UInt32.self)) }
        keys[0] = .min
        keys[1] = .max
        keys[2] = -1
        keys[3] = 0
        try Data(("id,key\n" + keys.enumerated().map { "\($0),\($1)" }.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/keys.csv"))
        try Data("inputs:\n  - csv: keys.csv\n    columns: [key]\n    type: i32[\(count)]\n".utf8).write(to: URL(fileURLWithPath: folder + "/party0.yaml"))
        try Data("- zeros: i32[\(count)]\n".utf8).write(to: URL(fileURLWithPath: folder + "/other.yaml"))
        let inputs = [["keys": folder + "/party0.yaml"], ["keys": folder + "/other.yaml"], ["keys": folder + "/other.yaml"]]
        let deployment = try await LocalDeployment(inputs: inputs, resultTables: [.csv, .npy])
        let orchestrator = try deployment.orchestrator()
        try await orchestrator.connect(within: .seconds(20))
        let envelope = GraphEnvelope(context: try ExampleGraphs.sort(count: count, scalarType: .i32), spec: try .init(inputParties: "0", outputParties: "0"))
        let outcome = try await orchestrator.run(graphJSON: envelope.bytes(), graphID: "sort", sessionID: "csv1", dataKeys: ["keys", "keys", "keys"])
        #expect(outcome.succeeded, "\(outcome.messages)")
        let sorted = keys.sorted()
        let out = deployment.directory + "/out0"
        let csv = try String(contentsOfFile: out + "/csv1.csv", encoding: .utf8)
        #expect(csv == sorted.map(String.init).joined(separator: "\n") + "\n")
        #expect(try NPYFile.read(out + "/csv1.npy", as: nil) == .tensor(Tensor(.i32, shape: [count], wrapping: sorted.map { Int128($0) })))
        #expect(try deployment.result("csv1", party: 0).value == .tensor(Tensor(.i32, shape: [count], wrapping: sorted.map { Int128($0) })))
        #expect(!FileManager.default.fileExists(atPath: deployment.directory + "/out1/csv1.csv"))
        let logged = deployment.logs.all.joined(separator: "\n")
        #expect(!logged.contains(String(keys[5])))
        orchestrator.close()
        await deployment.stop()
    }

    @Test func aBadCellStopsTheDataNodeNamingFileLineAndColumn() throws {
        let folder = NSTemporaryDirectory() + "confide-tabular-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("key\n1\n2\nx7\n".utf8).write(to: URL(fileURLWithPath: folder + "/keys.csv"))
        try Data("- csv: keys.csv\n  type: u32[3]\n".utf8).write(to: URL(fileURLWithPath: folder + "/in.yaml"))
        var store = DataStore()
        let error = #expect(throws: ConfideError.self) { try store.load(key: "k", file: folder + "/in.yaml") }
        #expect(error?.message.contains("keys.csv: line 4, column 1 ('key')") == true)
        #expect(store.values.isEmpty)
        try FileManager.default.createDirectory(atPath: folder + "/served", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: DataTestFixtures.numpy + "/int64_arange.npy", toPath: folder + "/served/arange.npy")
        try FileManager.default.copyItem(atPath: folder + "/keys.csv", toPath: folder + "/served/keys.csv")
        try store.loadFolder(folder + "/served")
        #expect(store.values.keys.map { String(decoding: $0, as: UTF8.self) } == ["arange"])
        #expect(store.values[Array("arange".utf8)] == [.tensor(Tensor(.i64, shape: [10], wrapping: Array(-3..<7)))])
    }

    @Test func resultTablesSkipValuesThatDoNotFitAndKeepTheJSONRecord() throws {
        let folder = NSTemporaryDirectory() + "confide-tables-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try ResultStore(folder: folder, tables: [.csv, .npy])
        let cube = Value.tuple([.zeros(.array([2], .u8)), .zeros(.array([3], .u8))])
        let (path, skipped) = try store.store(key: "cube", value: cube, error: nil)
        #expect(skipped.count == 2)
        #expect(try store.load(key: "cube").value == cube)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [URL(fileURLWithPath: path).lastPathComponent])
        let failed = try store.store(key: "failed", value: nil, error: "peer lost")
        #expect(failed.skipped.isEmpty)
    }
}

/// The NumPy files of the data-file tests.
enum DataTestFixtures {
    static let numpy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConfideDataTests/Fixtures").path
}
