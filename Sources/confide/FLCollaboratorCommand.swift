import ArgumentParser
import ConfideCore
import ConfideFL
import ConfideRuntime
import Foundation

/// `confide fl collaborator`: takes part in the federation's rounds with local data.
struct FLCollaboratorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collaborator",
        abstract: "Run one collaborator of a plan on its local data.")

    @Option(help: "The plan file.")
    var plan = "plan.yaml"

    @Option(help: "This collaborator's name (its certificate's common name).")
    var name: String

    @Option(help: "Certificate (default: cert/NAME_cert.pem next to the plan).")
    var cert: String?

    @Option(help: "Private key (default: cert/NAME_key.pem next to the plan).")
    var key: String?

    @Option(help: "Local CSV data (default: this collaborator's entry in data.yaml).")
    var data: String?

    @Option(help: "The aggregator's port (default: the plan's).")
    var port: Int?

    @Option(name: .customLong("drop-after-sharing"), help: "Fault injection: leave after sharing keys in this round.")
    var dropAfterSharing: UInt64?

    @OptionGroup var logging: LogOptions

    func run() async throws {
        let plan = try loadFLPlan(self.plan)
        let dataFile = try data ?? {
            guard let path = try FLRegistry.loadDataPaths(plan.path(plan.dataFile))[name] else {
                throw ConfideError(.invalidArgument, "\(plan.dataFile) has no entry for '\(name)'; pass --data")
            }
            return plan.path(path)
        }()
        let tls = RuntimeTLS(caFile: plan.path(plan.caFile), certificateFile: cert ?? plan.path("cert/\(name)_cert.pem"), keyFile: key ?? plan.path("cert/\(name)_key.pem"))
        let collaborator = try FLCollaborator(
            name: name, plan: plan, tls: tls, dataFile: dataFile, port: port, faults: .init(dropAfterSharing: dropAfterSharing), log: logging.logger(name))
        try await collaborator.run()
    }
}
