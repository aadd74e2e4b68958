import ArgumentParser
import ConfideCore
import ConfideWorker
import Foundation

/// `confide work-order`: the requester side of a trusted-compute worker.
struct WorkOrderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work-order",
        abstract: "Submit work orders to a trusted-compute worker.",
        subcommands: [WorkOrderSubmitCommand.self, WorkOrderBenchCommand.self]
    )
}

/// `confide work-order submit`: the whole requester flow for one order.
struct WorkOrderSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Encrypt, sign and submit one work order, wait for it, verify the worker's signature and print the decrypted result.",
        discussion: """
            Fetches the worker's keys (WorkerRetrieve) and checks that its verifying key signed its encryption key. \
            With --verifying-key FILE the worker's verifying key must equal the PEM in FILE; when FILE does not exist \
            it is written (trust on first use).
            """
    )

    @Option(help: "Worker URL, for example http://127.0.0.1:1947/.")
    var worker: String

    @Option(help: "Workload name (sent as the hex of its UTF-8 bytes).")
    var workload: String

    @Option(name: .customLong("in"), help: "One input item (UTF-8 text); repeat for more items.")
    var inputs: [String] = []

    @Option(name: .customLong("worker-id"), help: "Worker id (default: the first id WorkerLookUp returns).")
    var workerId: String?

    @Option(name: .customLong("timeout-ms"), help: "responseTimeoutMSecs of the order.")
    var timeoutMS = 60_000

    @Option(name: .customLong("verifying-key"), help: "PEM file pinning the worker's verifying key.")
    var verifyingKey: String?

    @Flag(help: "Print one JSON object instead of the result lines.")
    var json = false

    func run() async throws {
        let client = WorkerClient(url: worker)
        var pinned: Secp256k1VerifyingKey?
        if let verifyingKey, let data = FileManager.default.contents(atPath: verifyingKey) {
            pinned = try Secp256k1VerifyingKey(pem: String(decoding: data, as: UTF8.self))
        }
        let (info, result, outputs) = try await client.submit(
            workload: workload, inputs: inputs, workerId: workerId, responseTimeoutMSecs: timeoutMS,
            expectedVerifyingKey: pinned
        )
        if let verifyingKey, pinned == nil {
            guard FileManager.default.createFile(atPath: verifyingKey, contents: Data(info.verifyingKey.pem.utf8)) else {
                throw ConfideError(.io, "\(verifyingKey): cannot write the verifying key")
            }
        }
        if json {
            let object = JSONValue.object([
                ("workOrderId", .string(result.workOrderId)),
                ("workerId", .string(result.workerId)),
                ("workload", .string(workload)),
                ("outData", .array(outputs.map { .string($0) })),
                ("workerSignature", .string("verified")),
                ("attestation", .string(info.attestation)),
            ])
            print(object.serialized())
        } else {
            for output in outputs { print(output) }
        }
    }
}
