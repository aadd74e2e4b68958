import ArgumentParser
import ConfideCore
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

    func run() async throws {
        do {
            let configuration = try config.map { try WorkerConfiguration(contentsOfFile: $0) } ?? WorkerConfiguration()
            let service = try WorkerService.open(dataDirectory: dataDir, configuration: configuration, keyFile: keyFile)
            let server = WorkerServer(service: service, host: host, port: port)
            let host = self.host
            try await server.run(handleSignals: true) { port in
                // Unbuffered: scripts and tests read this line from a pipe to learn the port.
                FileHandle.standardOutput.write(Data("confide worker \(service.workerId) listening on http://\(host):\(port)/\n".utf8))
            }
        } catch let error as ConfideError {
            throw CommandFailure(error)
        }
    }
}
