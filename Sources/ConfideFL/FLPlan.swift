import ConfideCore
import ConfideRuntime
import Foundation
import Yams

/// A federation's plan (`plan.yaml`): rounds, tasks, aggregation, straggler policy, network, TLS
/// files, model and data split. Relative paths are relative to the plan's folder.
public struct FLPlan: Sendable, Equatable {
    public enum Aggregation: String, Sendable, CaseIterable { case weightedMean = "weighted_mean", median }
    public enum Task: String, Sendable, CaseIterable { case train, validateGlobal = "validate_global", validateLocal = "validate_local" }
    public enum Runner: Sendable, Equatable { case builtin, external(command: [String]) }

    public var rounds = 10
    public var tasks: [Task] = Task.allCases
    public var aggregation = Aggregation.weightedMean
    /// Secure aggregation (masked fixed-point updates): the aggregator sees only sums.
    public var secure = true
    /// Shamir threshold for the mask seeds (survivors needed to unmask); 0: a majority of the collaborators.
    public var threshold = 0
    public var cutoffSeconds = 60.0
    public var minimumCollaborators = 2
    public var host = "127.0.0.1"
    public var port = 50_551
    /// Where the aggregator serves `/metrics` on `host` (YAML `network.metrics_port`); nil: off.
    public var metricsPort: Int?
    public var caFile = "cert/ca.pem"
    public var certificateFile = "cert/aggregator_cert.pem"
    public var keyFile = "cert/aggregator_key.pem"
    public var model = FLModelSpec()
    public var labelColumn = "label"
    public var validationFraction = 0.2
    public var runner = Runner.builtin
    public var checkpointFile = "save/checkpoint.bin"
    public var collaboratorsFile = "cols.yaml"
    public var dataFile = "data.yaml"
    /// The folder of the plan file (paths resolve against it).
    public var folder = "."

    public init() {}

    public func path(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : URL(fileURLWithPath: folder).appendingPathComponent(relative).path
    }

    /// The Shamir threshold for `count` collaborators.
    public func shamirThreshold(collaborators count: Int) -> Int { threshold > 0 ? threshold : count / 2 + 1 }

    /// Loads and validates a plan file.
    /// - Throws: `.io` for an unreadable file; `.invalidArgument` naming the file, line and key that is wrong.
    public static func load(_ file: String) throws -> FLPlan {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ConfideError(.io, "cannot read plan \(file)") }
        var plan = try parse(text, file: file)
        plan.folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
        return plan
    }

    public static func parse(_ text: String, file: String) throws -> FLPlan {
        let y = YAMLReader(file: file)
        let root = try y.root(text)
        try y.checkKeys(
            root, at: "",
            known: ["rounds", "tasks", "aggregation", "secure_aggregation", "threshold", "straggler", "network", "tls", "model", "data", "runner", "checkpoint", "collaborators", "data_paths"])
        var plan = FLPlan()
        plan.rounds = try y.int(root["rounds"], at: "rounds", range: 1...100_000) ?? plan.rounds
        if let tasks = try y.strings(root["tasks"], at: "tasks") {
            plan.tasks = try tasks.map { name in
                guard let task = Task(rawValue: name) else {
                    throw ConfideError(.invalidArgument, "\(file): unknown task '\(name)' (known: \(Task.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                return task
            }
            guard plan.tasks.contains(.train) else { throw ConfideError(.invalidArgument, "\(file): tasks must include train") }
        }
        if let name = try y.string(root["aggregation"], at: "aggregation") {
            guard let aggregation = Aggregation(rawValue: name) else {
                throw ConfideError(.invalidArgument, "\(file): aggregation '\(name)' is not weighted_mean or median")
            }
            plan.aggregation = aggregation
        }
        plan.secure = try y.bool(root["secure_aggregation"], at: "secure_aggregation") ?? plan.secure
        plan.threshold = try y.int(root["threshold"], at: "threshold", range: 0...255) ?? plan.threshold
        if let s = try y.mapping(root["straggler"], at: "straggler") {
            try y.checkKeys(s, at: "straggler", known: ["cutoff_seconds", "minimum_collaborators"])
            plan.cutoffSeconds = try y.double(s["cutoff_seconds"], at: "straggler.cutoff_seconds", range: 0.1...86_400) ?? plan.cutoffSeconds
            plan.minimumCollaborators = try y.int(s["minimum_collaborators"], at: "straggler.minimum_collaborators", range: 1...255) ?? plan.minimumCollaborators
        }
        if let n = try y.mapping(root["network"], at: "network") {
            try y.checkKeys(n, at: "network", known: ["host", "port", "metrics_port"])
            plan.host = try y.string(n["host"], at: "network.host") ?? plan.host
            plan.port = try y.int(n["port"], at: "network.port", range: 0...65_535) ?? plan.port
            plan.metricsPort = try y.int(n["metrics_port"], at: "network.metrics_port", range: 1...65_535)
        }
        if let t = try y.mapping(root["tls"], at: "tls") {
            try y.checkKeys(t, at: "tls", known: ["ca", "certificate", "key"])
            plan.caFile = try y.string(t["ca"], at: "tls.ca") ?? plan.caFile
            plan.certificateFile = try y.string(t["certificate"], at: "tls.certificate") ?? plan.certificateFile
            plan.keyFile = try y.string(t["key"], at: "tls.key") ?? plan.keyFile
        }
        if let m = try y.mapping(root["model"], at: "model") {
            try y.checkKeys(m, at: "model", known: ["kind", "hidden", "epochs", "learning_rate", "batch_size", "seed"])
            if let kind = try y.string(m["kind"], at: "model.kind") {
                guard let k = FLModelSpec.Kind(rawValue: kind) else { throw ConfideError(.invalidArgument, "\(file): model.kind '\(kind)' is not logistic or mlp") }
                plan.model.kind = k
            }
            plan.model.hidden = try y.int(m["hidden"], at: "model.hidden", range: 1...65_536) ?? plan.model.hidden
            plan.model.epochs = try y.int(m["epochs"], at: "model.epochs", range: 1...10_000) ?? plan.model.epochs
            plan.model.learningRate = try y.double(m["learning_rate"], at: "model.learning_rate", range: 1e-9...100) ?? plan.model.learningRate
            plan.model.batchSize = try y.int(m["batch_size"], at: "model.batch_size", range: 1...1_000_000) ?? plan.model.batchSize
            plan.model.seed = try y.int(m["seed"], at: "model.seed", range: 0...Int.max) ?? plan.model.seed
        }
        if let d = try y.mapping(root["data"], at: "data") {
            try y.checkKeys(d, at: "data", known: ["label", "validation_fraction"])
            plan.labelColumn = try y.string(d["label"], at: "data.label") ?? plan.labelColumn
            plan.validationFraction = try y.double(d["validation_fraction"], at: "data.validation_fraction", range: 0...0.9) ?? plan.validationFraction
        }
        if let r = try y.mapping(root["runner"], at: "runner") {
            try y.checkKeys(r, at: "runner", known: ["kind", "command"])
            switch try y.string(r["kind"], at: "runner.kind") ?? "builtin" {
            case "builtin": plan.runner = .builtin
            case "external":
                guard let command = try y.strings(r["command"], at: "runner.command"), !command.isEmpty else {
                    throw ConfideError(.invalidArgument, "\(file): runner.command must list the program and its arguments for an external runner")
                }
                plan.runner = .external(command: command)
            case let other: throw ConfideError(.invalidArgument, "\(file): runner.kind '\(other)' is not builtin or external")
            }
        }
        plan.checkpointFile = try y.string(root["checkpoint"], at: "checkpoint") ?? plan.checkpointFile
        plan.collaboratorsFile = try y.string(root["collaborators"], at: "collaborators") ?? plan.collaboratorsFile
        plan.dataFile = try y.string(root["data_paths"], at: "data_paths") ?? plan.dataFile
        if plan.secure && plan.aggregation == .median {
            throw ConfideError(.invalidArgument, "\(file): aggregation median needs every update in the clear; it is only available with secure_aggregation: false")
        }
        return plan
    }

    /// The plan as YAML (what `confide fl init` writes).
    public var yaml: String {
        var runnerText = "runner:\n  kind: builtin\n"
        if case .external(let command) = runner {
            runnerText = "runner:\n  kind: external\n  command: [\(command.map { "\"\($0)\"" }.joined(separator: ", "))]\n"
        }
        return """
            # Confide federated learning plan (confide fl). Paths are relative to this file.
            rounds: \(rounds)
            tasks: [\(tasks.map(\.rawValue).joined(separator: ", "))]
            aggregation: \(aggregation.rawValue)   # weighted_mean (by sample count) or median (only without secure aggregation)
            secure_aggregation: \(secure)   # masked fixed-point updates: the aggregator sees only their sum
            threshold: \(threshold)   # survivors needed to unmask; 0: a majority of the collaborators
            straggler:
              cutoff_seconds: \(cutoffSeconds)
              minimum_collaborators: \(minimumCollaborators)
            network:
              host: \(host)
              port: \(port)\(metricsPort.map { "\n  metrics_port: \($0)   # the aggregator's Prometheus /metrics (plain HTTP)" } ?? "")
            tls:
              ca: \(caFile)
              certificate: \(certificateFile)
              key: \(keyFile)
            model:
              kind: \(model.kind.rawValue)   # logistic or mlp
              hidden: \(model.hidden)
              epochs: \(model.epochs)
              learning_rate: \(model.learningRate)
              batch_size: \(model.batchSize)
              seed: \(model.seed)
            data:
              label: \(labelColumn)
              validation_fraction: \(validationFraction)
            \(runnerText)checkpoint: \(checkpointFile)
            collaborators: \(collaboratorsFile)
            data_paths: \(dataFile)

            """
    }
}
