import ConfideCore
import ConfideRuntime
import Foundation
import Testing

@testable import ConfideFL

@Suite struct TrainingTests {
    func data() throws -> (train: FLDataset, test: FLDataset) {
        let all = try FLDataset.loadCSV(FLTestWorkspace.dataset, label: "benign")
        #expect(all.rows == 569 && all.columns == 30)
        let split = FLWorkspace.nonIIDSplit(all, parts: 1)
        return (split.parts[0], split.test)
    }

    @Test(arguments: [FLModelSpec.Kind.logistic, .mlp])
    func pooledTrainingLearnsTheDataSet(kind: FLModelSpec.Kind) throws {
        let (train, test) = try data()
        var spec = FLModelSpec()
        spec.kind = kind
        spec.epochs = 20
        let trainer = FLTrainer(spec: spec, features: train.columns)
        let initial = trainer.initialModel(statistics: train.statistics().map { $0 / Double(train.rows) })
        let model = trainer.train(initial, train, label: "test")
        #expect(trainer.accuracy(model, test) > 0.94)
        #expect(trainer.loss(model, train) < trainer.loss(initial, train))
    }

    @Test func nonIIDSplitSkewsLabels() throws {
        let all = try FLDataset.loadCSV(FLTestWorkspace.dataset, label: "benign")
        let split = FLWorkspace.nonIIDSplit(all, parts: 3)
        let benignShare = split.parts.map { $0.labels.reduce(0, +) / Double($0.rows) }
        #expect(benignShare[0] < 0.5 && benignShare[2] > 0.7)
        #expect(split.parts.map(\.rows).reduce(0, +) + split.test.rows == 569)
    }

    @Test func npzRoundTrip() throws {
        let arrays: [(name: String, array: FLNPZ.Array)] = [("weights", .init(shape: [3], values: [1.5, -2, .pi])), ("m", .init(shape: [2, 2], values: [1, 2, 3, 4]))]
        let decoded = try FLNPZ.decode(FLNPZ.encode(arrays), file: "x.npz")
        #expect(decoded["weights"] == arrays[0].array)
        #expect(decoded["m"] == arrays[1].array)
        #expect(throws: ConfideError.self) { try FLNPZ.decode(Data("not a zip archive at all".utf8), file: "bad.npz") }
    }

    /// numpy reads what we write and writes what we read (skipped without python3 + numpy).
    @Test func npzInteroperatesWithNumPy() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("confide-npz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.npz").path, output = folder.appendingPathComponent("out.npz").path
        _ = FileManager.default.createFile(atPath: input, contents: FLNPZ.encode([("weights", .init(shape: [4], values: [1, 2, 3, 4]))]))
        let python = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", "-c", "import sys, numpy as np; w = np.load(sys.argv[1])['weights']; np.savez(sys.argv[2], weights=w * 2, other=np.float32([1.5]))", input, output],
            timeout: .seconds(120))
        guard python.status == 0 else { return }  // no numpy here
        let decoded = try FLNPZ.decode(try Data(contentsOf: URL(fileURLWithPath: output)), file: "out.npz")
        #expect(decoded["weights"]?.values == [2, 4, 6, 8])
        #expect(decoded["other"]?.values == [1.5])
    }

    /// The external runner hands the model over as .npz and reads the trained weights back.
    @Test func externalRunnerCallsTheCommand() async throws {
        let ws = try FLTestWorkspace(rounds: 1)
        defer { ws.remove() }
        var plan = ws.plan
        plan.runner = .external(command: ["cp", "{in}", "{out}"])
        let runner = try FLTaskRunner(plan: plan, dataFile: plan.path("data/alice.csv"))
        let trainer = FLTrainer(spec: plan.model, features: 30)
        let model = trainer.initialModel(statistics: runner.train.statistics().map { $0 / Double(runner.train.rows) })
        let (trained, metrics) = try await runner.run(model: model, round: 1, name: "alice")
        #expect(trained == model)  // cp returns the model unchanged
        #expect(metrics["global_accuracy"] != nil)
        plan.runner = .external(command: ["false"])
        await #expect(throws: ConfideError.self) { try await FLTaskRunner(plan: plan, dataFile: plan.path("data/alice.csv")).run(model: model, round: 1, name: "alice") }
    }
}

@Suite struct PythonRunnerTests {
    /// Examples/fl/train.py as the external runner improves the model (skipped without python3 + numpy).
    @Test func numpyTrainerImprovesTheModel() async throws {
        let check = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import numpy"], timeout: .seconds(60))
        guard check.status == 0 else { return }
        let ws = try FLTestWorkspace(rounds: 1)
        defer { ws.remove() }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/fl/train.py").path
        var plan = ws.plan
        plan.runner = .external(command: ["python3", script, "--in", "{in}", "--out", "{out}", "--data", "{data}"])
        let runner = try FLTaskRunner(plan: plan, dataFile: plan.path("data/bob.csv"))
        let trainer = FLTrainer(spec: plan.model, features: 30)
        let model = trainer.initialModel(statistics: runner.train.statistics().map { $0 / Double(runner.train.rows) })
        let (trained, metrics) = try await runner.run(model: model, round: 1, name: "bob")
        #expect(trained.count == model.count)
        #expect((metrics["local_accuracy"] ?? 0) > (metrics["global_accuracy"] ?? 1))
    }
}
