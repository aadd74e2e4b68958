import ConfideCore
import ConfideRuntime
import Foundation
import Logging
import Synchronization

/// `confide fl demo`: a workspace with the data set split non-IID over three collaborators, their
/// certificates requested and signed, the aggregator and the collaborators run locally, and the
/// federated model compared with the same model trained on the pooled data.
public enum FLDemo {
    public struct Outcome: Sendable {
        public var report: FLReport
        public var federatedAccuracy: Double
        public var pooledAccuracy: Double
    }

    public static let collaborators = ["hospital_a", "hospital_b", "hospital_c"]

    public static func run(
        directory: String, dataset: String, plan basePlan: FLPlan, progress: @escaping @Sendable (String) -> Void,
        log: @escaping @Sendable (String) -> Logger
    ) async throws -> Outcome {
        var plan = basePlan
        plan.port = 0
        plan.host = "127.0.0.1"
        try FLWorkspace.create(at: directory, plan: plan, dataset: dataset, collaborators: collaborators, register: false, force: true)
        plan = try FLPlan.load(URL(fileURLWithPath: directory).appendingPathComponent("plan.yaml").path)
        try? FileManager.default.removeItem(atPath: plan.path(plan.checkpointFile))
        let cert = plan.path("cert")
        for name in collaborators {
            let request = try FLCertificates.request(name: name, folder: cert)
            _ = try FLCertificates.sign(
                request: request, caCertificate: plan.path(plan.caFile), caKey: FLWorkspace.caKeyFolder(of: directory) + "/ca_key.pem",
                registry: plan.path(plan.collaboratorsFile), hosts: ["localhost", "127.0.0.1"])
        }
        progress("workspace \(directory): \(collaborators.count) collaborators registered with signed certificates")
        let test = try FLDataset.loadCSV(plan.path("data/test.csv"), label: plan.labelColumn)
        let dataPaths = try FLRegistry.loadDataPaths(plan.path(plan.dataFile))
        // Pooled baseline: the union of the collaborators' training rows, same model and as many epochs.
        var pooled = FLDataset(features: [], labels: [], columns: test.columns, columnNames: test.columnNames)
        for name in collaborators {
            let part = try FLTaskRunner(plan: plan, dataFile: plan.path(dataPaths[name]!)).train
            pooled.features += part.features
            pooled.labels += part.labels
        }
        var pooledSpec = plan.model
        pooledSpec.epochs = plan.model.epochs * plan.rounds
        let pooledTrainer = FLTrainer(spec: pooledSpec, features: test.columns)
        let statistics = pooled.statistics().map { $0 / Double(pooled.rows) }
        let pooledModel = pooledTrainer.train(pooledTrainer.initialModel(statistics: statistics), pooled, label: "pooled")
        let pooledAccuracy = pooledTrainer.accuracy(pooledModel, test)
        progress(String(format: "pooled training on %d rows: test accuracy %.4f", pooled.rows, pooledAccuracy))

        let trainer = FLTrainer(spec: plan.model, features: test.columns)
        let accuracies = Mutex<[UInt64: Double]>([:])
        let aggregator = try FLAggregator(plan: plan, log: log("aggregator")) { round, model in
            let accuracy = trainer.accuracy(model, test)
            accuracies.withLock { $0[round] = accuracy }
            progress(String(format: "round %llu: global model test accuracy %.4f", round, accuracy))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await aggregator.run() }
            var port: Int?
            for _ in 0..<500 {
                port = await aggregator.listeningPort()
                if port != nil { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            guard let port else { throw ConfideError(.io, "the aggregator did not start listening") }
            for name in collaborators {
                let tls = RuntimeTLS(caFile: plan.path(plan.caFile), certificateFile: plan.path("cert/\(name)_cert.pem"), keyFile: plan.path("cert/\(name)_key.pem"))
                let collaborator = try FLCollaborator(name: name, plan: plan, tls: tls, dataFile: plan.path(dataPaths[name]!), port: port, log: log(name))
                group.addTask { try await collaborator.run() }
            }
            try await group.waitForAll()
        }
        let history = await aggregator.result().history
        let measured = accuracies.withLock { $0 }
        let rows = history.map { entry in
            FLReport.Row(round: entry.round, testAccuracy: measured[entry.round] ?? 0, validationAccuracy: entry.metrics["global_accuracy"], collaborators: entry.collaborators.count)
        }
        let title = "Breast Cancer Wisconsin, \(plan.model.kind.rawValue), \(collaborators.count) collaborators, \(plan.secure ? "secure aggregation" : plan.aggregation.rawValue)"
        let report = FLReport(rows: rows, pooledAccuracy: pooledAccuracy, title: title)
        try? report.table.write(toFile: URL(fileURLWithPath: directory).appendingPathComponent("accuracy.txt").path, atomically: true, encoding: .utf8)
        try? report.svg.write(toFile: URL(fileURLWithPath: directory).appendingPathComponent("accuracy.svg").path, atomically: true, encoding: .utf8)
        return Outcome(report: report, federatedAccuracy: rows.last?.testAccuracy ?? 0, pooledAccuracy: pooledAccuracy)
    }
}
