import ArgumentParser
import ConfideCore
import ConfideFL
import Foundation

/// `confide fl init DIR`: a workspace with a plan, cols.yaml, data.yaml, the federation CA and the aggregator's certificate.
struct FLInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a federation workspace (plan.yaml, cols.yaml, data.yaml, cert/, data/).")

    @Argument(help: "The workspace folder.")
    var directory: String

    @Option(help: "A CSV data set to split non-IID over the collaborators (data/NAME.csv, held-out data/test.csv).")
    var data: String?

    @Option(help: "Comma-separated collaborator names (data.yaml entries).")
    var collaborators = "collaborator1,collaborator2,collaborator3"

    @Option(help: "The label column of the CSV data.")
    var label = "benign"

    @Flag(help: "Register the collaborators in cols.yaml now (otherwise `confide credentials sign` does).")
    var register = false

    @Flag(help: "Replace an existing workspace.")
    var force = false

    func run() throws {
        let names = collaborators.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var plan = FLPlan()
        plan.labelColumn = label
        try FLWorkspace.create(at: directory, plan: plan, dataset: data, collaborators: names, register: register, force: force)
        print("wrote plan.yaml, cols.yaml, data.yaml and cert/ (federation CA, aggregator certificate) in \(directory); the CA key is in \(FLWorkspace.caKeyFolder(of: directory))/, outside the workspace")
    }
}
