import ArgumentParser
import ConfideCore
import ConfideFL
import ConfideRuntime
import Foundation

/// `confide fl`: federated learning with secure aggregation (aggregator and collaborators, as OpenFL).
struct FLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fl",
        abstract: "Federated learning with secure aggregation: an aggregator and collaborators over mutual TLS.",
        discussion: """
            Start with `confide fl demo`. A federation by hand:
              confide fl init ws --data Sources/confide/Resources/fl/breast_cancer.csv --collaborators a,b,c
              confide credentials request --name a --out ws/cert        (on collaborator a)
              confide credentials sign ws/cert/a.csr --ca ws/cert/ca.pem --ca-key ws-ca/ca_key.pem --registry ws/cols.yaml
              confide fl aggregator --plan ws/plan.yaml
              confide fl collaborator --plan ws/plan.yaml --name a
            """,
        subcommands: [FLInitCommand.self, FLAggregatorCommand.self, FLCollaboratorCommand.self, FLDemoCommand.self]
    )
}

/// Loads a plan (its errors name the file and line).
func loadFLPlan(_ file: String) throws -> FLPlan {
    try FLPlan.load(file)
}
