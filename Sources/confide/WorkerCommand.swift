import ArgumentParser
import ConfideCore
import ConfideRuntime
import ConfideWorker
import Foundation

/// `confide worker`: the EEA Trusted Compute 1.1 work-order worker (JSON-RPC 2.0 over HTTP).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a trusted-compute work-order worker (EEA Trusted Compute 1.1, JSON-RPC over HTTP).",
        discussion: """
            Serves WorkerLookUp, WorkerRetrieve, WorkOrderSubmit and WorkOrderGetResult on POST /. Keys live in \
            <data-dir>/worker-keys.json (mode 0600, created on first start); work orders and results in \
            <data-dir>/work-orders.sqlite. Without --config the worker offers the built-in hello and fib workloads.
            This machine has no SGX: the worker reports attestation type "none".
            """
    )

    @Option(help: "Workloads and limits (YAML or JSON).")
    var config: String?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port).")
    var port = 1947

    @Option(name: .customLong("data-dir"), help: "Directory for the key file and the work-order database.")
    var dataDir: String

    @Option(name: .customLong("key-file"), help: "Key file (default <data-dir>/worker-keys.json).")
    var keyFile: String?

    @OptionGroup var logging: LogOptions

    @OptionGroup var metricsOptions: MetricsOptions

    func run() async throws {
        let configuration = try config.map { try WorkerConfiguration(contentsOfFile: $0) } ?? WorkerConfiguration()
        let metrics = ServiceMetrics(durationBuckets: ["confide_work_order_seconds": ServiceMetrics.sessionBuckets])
        let service = try WorkerService.open(
            dataDirectory: dataDir, configuration: configuration, keyFile: keyFile, metrics: WorkerMetrics(factory: metrics.factory))
        let server = WorkerServer(service: service, host: host, port: port)
        let host = self.host
        let log = logging.logger("worker")
        let metricsListen = try metricsOptions.listen(on: host) ?? configuration.metricsPort.map { RuntimeEndpoint(host: host, port: $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let metricsListen {
                group.addTask {
                    try await MetricsServer(metrics, listen: metricsListen).run(logger: log)
                }
            }
            group.addTask {
                try await server.run(handleSignals: true, logger: log) { port in
                    // Unbuffered: scripts and tests read this line from a pipe to learn the port.
                    FileHandle.standardOutput.write(Data("confide worker \(service.workerId) listening on http://\(host):\(port)/\n".utf8))
                }
            }
            // The worker ends the command (on SIGTERM/SIGINT); a metrics port that cannot be bound ends it too.
            try await group.next()
            group.cancelAll()
        }
    }
}
