import ArgumentParser
import ConfideCore
import ConfideFL
import ConfideRuntime
import Foundation
import Logging

/// `confide fl demo`: the aggregator and three collaborators on this machine, with a chart and a table.
struct FLDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a federation of three collaborators on the Breast Cancer Wisconsin data (secure aggregation) and compare with pooled training.")

    @Option(help: "The workspace folder (accuracy.svg and accuracy.txt are written there).")
    var out = "fl-demo"

    @Option(help: "The CSV data set (default: the Breast Cancer Wisconsin data shipped with confide).")
    var data: String?

    @Option(help: "Rounds of training.")
    var rounds = 10

    @Option(help: "Model: logistic or mlp.")
    var model = "logistic"

    @Flag(name: .customLong("no-secure"), help: "Plain weighted averaging instead of secure aggregation.")
    var noSecure = false

    @Flag(help: "Show the aggregator's and collaborators' logs.")
    var verbose = false

    func run() async throws {
        var plan = FLPlan()
        plan.rounds = rounds
        plan.secure = !noSecure
        plan.labelColumn = "benign"
        plan.cutoffSeconds = 30
        guard let kind = FLModelSpec.Kind(rawValue: model) else { throw ConfideError(.invalidArgument, "--model must be logistic or mlp") }
        plan.model.kind = kind
        let verbose = verbose
        let dataset = try data ?? DemoCommand.resources() + "/fl/breast_cancer.csv"
        let outcome = try await FLDemo.run(
            directory: out, dataset: dataset, plan: plan, progress: { print($0) },
            log: { name in verbose ? Logger.node(name) : Logger.node(name, level: .warning) })
        print(outcome.report.table, terminator: "")
        print("wrote \(out)/accuracy.svg and \(out)/accuracy.txt")
    }
}
