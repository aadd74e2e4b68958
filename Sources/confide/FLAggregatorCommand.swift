import ArgumentParser
import ConfideCore
import ConfideFL
import ConfideRuntime
import Foundation
import Logging

/// `confide fl aggregator`: serves the federation's rounds; resumes from the checkpoint after a restart.
struct FLAggregatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregator",
        abstract: "Run the aggregator of a plan (resumes from its checkpoint).")

    @Option(help: "The plan file.")
    var plan = "plan.yaml"

    @Option(help: "Override the plan's port (0: any free port, printed on standard error).")
    var port: Int?

    @OptionGroup var logging: LogOptions

    @OptionGroup var metrics: MetricsOptions

    func run() async throws {
        var plan = try loadFLPlan(self.plan)
        if let port { plan.port = port }
        let log = logging.logger("aggregator")
        let aggregator = try FLAggregator(plan: plan, log: log, metricsListen: try metrics.listen(on: plan.host) ?? plan.metricsPort.map { RuntimeEndpoint(host: plan.host, port: $0) })
        try await NodeLifetime.serve(
            run: {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await aggregator.run() }
                    group.addTask {
                        for _ in 0..<500 {
                            if let port = await aggregator.listeningPort() {
                                log.info("listening on port \(port)")
                                return
                            }
                            try await Task.sleep(for: .milliseconds(10))
                        }
                    }
                    try await group.waitForAll()
                }
            }, stop: { aggregator.stop() })
        let (_, history) = await aggregator.result()
        if let last = history.last { print("finished round \(last.round): \(last.metrics.keys.sorted().map { "\($0) \(String(format: "%.4f", last.metrics[$0]!))" }.joined(separator: ", "))") }
    }
}
