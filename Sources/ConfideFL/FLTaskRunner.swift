import ConfideCore
import ConfideRuntime
import Foundation

/// Runs a round's training for one collaborator: the built-in trainer, or an external command that
/// reads the global model from an `.npz` file and writes the trained model to another.
public struct FLTaskRunner: Sendable {
    public let plan: FLPlan
    public let train: FLDataset
    public let validation: FLDataset
    public let dataFile: String

    public init(plan: FLPlan, dataFile: String) throws {
        self.plan = plan
        self.dataFile = dataFile
        let data = try FLDataset.loadCSV(dataFile, label: plan.labelColumn)
        (train, validation) = data.splitValidation(fraction: plan.validationFraction)
    }

    var trainer: FLTrainer { FLTrainer(spec: plan.model, features: train.columns) }

    /// Round 0: the weighted "update" is the per-feature sums and sums of squares, weighted by the row count.
    public func statistics() -> (sum: [Double], weight: Double) {
        (train.statistics(), Double(train.rows))
    }

    /// Trains from `model`; returns the trained model and the round's metrics.
    public func run(model: [Double], round: UInt64, name: String) async throws -> (model: [Double], metrics: [String: Double]) {
        guard model.count == plan.model.parameterCount(features: train.columns) else {
            throw ConfideError(.shapeMismatch, "the global model has \(model.count) parameters, \(plan.model.kind.rawValue) on \(train.columns) features needs \(plan.model.parameterCount(features: train.columns))")
        }
        var metrics: [String: Double] = ["train_samples": Double(train.rows), "validation_samples": Double(validation.rows)]
        if plan.tasks.contains(.validateGlobal) { metrics["global_accuracy"] = trainer.accuracy(model, validation) }
        let trained: [Double]
        switch plan.runner {
        case .builtin: trained = trainer.train(model, train, label: "\(name) \(round)")
        case .external(let command): trained = try await external(command, model: model, round: round)
        }
        if let index = trained.firstIndex(where: { !$0.isFinite }) {
            throw ConfideError(.invalidValue, "training produced a non-finite parameter at index \(index)")
        }
        metrics["train_loss"] = trainer.loss(trained, train)
        if plan.tasks.contains(.validateLocal) { metrics["local_accuracy"] = trainer.accuracy(trained, validation) }
        return (trained, metrics)
    }

    /// Calls `command` with `{in}`, `{out}`, `{data}` (a temporary CSV of the training rows, label last), `{round}` replaced: `{in}` holds arrays
    /// `model` (all parameters), `mean`, `std` and `weights`; `{out}` must hold `weights` (or `model`).
    func external(_ command: [String], model: [Double], round: UInt64) async throws -> [Double] {
        let d = train.columns
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("confide-fl-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("model.npz").path, output = folder.appendingPathComponent("update.npz").path
        let arrays: [(name: String, array: FLNPZ.Array)] = [
            ("model", .init(shape: [model.count], values: model)),
            ("mean", .init(shape: [d], values: Array(model[0..<d]))),
            ("std", .init(shape: [d], values: Array(model[d..<(2 * d)]))),
            ("weights", .init(shape: [model.count - 2 * d], values: Array(model[(2 * d)...]))),
        ]
        guard FileManager.default.createFile(atPath: input, contents: FLNPZ.encode(arrays)) else { throw ConfideError(.io, "cannot write \(input)") }
        // {data}: the training rows only (the validation rows stay out of training), label last.
        let trainingFile = folder.appendingPathComponent("train.csv").path
        guard FileManager.default.createFile(atPath: trainingFile, contents: Data(train.csv(label: plan.labelColumn).utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ConfideError(.io, "cannot write \(trainingFile)")
        }
        let arguments = command.map {
            $0.replacingOccurrences(of: "{in}", with: input).replacingOccurrences(of: "{out}", with: output)
                .replacingOccurrences(of: "{data}", with: trainingFile).replacingOccurrences(of: "{round}", with: "\(round)")
        }
        let process = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), arguments, stdout: .inherit, stderr: .inherit)
        do { try process.start() } catch { throw ConfideError(.io, "cannot start the task command '\(command[0])'") }
        let outcome = await process.wait()
        guard outcome.status == 0 else {
            throw ConfideError(.evaluation, "the task command '\(command[0])' exited with status \(outcome.status)")
        }
        guard let data = FileManager.default.contents(atPath: output) else { throw ConfideError(.io, "the task command wrote no \(output)") }
        let result = try FLNPZ.decode(data, file: "update.npz")
        if let weights = result["weights"] {
            guard weights.values.count == model.count - 2 * d else {
                throw ConfideError(.shapeMismatch, "update.npz: weights has \(weights.values.count) values, the model has \(model.count - 2 * d)")
            }
            return Array(model[0..<(2 * d)]) + weights.values
        }
        if let full = result["model"], full.values.count == model.count { return full.values }
        throw ConfideError(.invalidValue, "update.npz holds no array 'weights' of \(model.count - 2 * d) values")
    }
}
