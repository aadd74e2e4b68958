import ConfideCore
import Foundation

/// The work-order worker: answers EEA TC 1.1 JSON-RPC calls, validates and decrypts work orders,
/// runs their workloads and stores signed, encrypted results.
///
/// Transport-free: ``WorkerServer`` feeds it HTTP bodies; tests may call ``respond(to:)`` directly.
public actor WorkerService {
    public nonisolated let keys: WorkerKeys
    public nonisolated let workerId: String
    public nonisolated let configuration: WorkerConfiguration
    public nonisolated let store: WorkOrderStore
    nonisolated let workerDetails: JSONValue
    public nonisolated let metrics: WorkerMetrics

    /// Orders whose workload is running (or waiting for its result to be stored), with when they arrived.
    private var inFlight: [String: Date] = [:]
    /// Workloads whose task has not ended (an order that timed out may still be stopping).
    private(set) var runningWorkloads = 0
    /// `WorkOrderGetResult` calls waiting for an order to finish.
    private var waiters: [String: [UUID: CheckedContinuation<Void, Never>]] = [:]

    /// - Throws: `invalidValue` when the worker's keys cannot sign its encryption key.
    public init(keys: WorkerKeys, configuration: WorkerConfiguration, store: WorkOrderStore, metrics: WorkerMetrics = WorkerMetrics()) throws {
        self.metrics = metrics
        self.keys = keys
        self.configuration = configuration
        self.store = store
        let id = configuration.workerId ?? Hex.encode(WorkOrderHash.sha256(keys.verifyingKey.uncompressed))
        workerId = id
        workerDetails = .object([
            ("workerId", .string(id)),
            ("workerType", .int(1)),
            ("organizationId", .string("")),
            ("applicationTypeId", .string("")),
            ("details", .object([
                ("hashingAlgorithm", .string("SHA-256")),
                ("signingAlgorithm", .string("SECP256K1")),
                ("keyEncryptionAlgorithm", .string("RSA-OAEP-3072")),
                ("dataEncryptionAlgorithm", .string("AES-GCM-256")),
                ("workOrderPayloadFormats", .string("JSON-RPC")),
                ("workerTypeData", .object([
                    ("verificationKey", .string(keys.verifyingKey.pem)),
                    ("encryptionKey", .string(keys.encryptionKeyPEM)),
                    ("encryptionKeyNonce", .string("")),
                    ("encryptionKeySignature", .string(try keys.encryptionKeySignature())),
                    ("proofDataType", .string("none")),
                    ("proofData", .string("")),
                    ("extendedMeasurements", .array([])),
                    ("enclaveCertificate", .string("")),
                ])),
                ("attestation", .object([
                    ("type", .string("none")),
                    ("note", .string("not running in an enclave: this machine has no SGX, so there is no quote and no measurement")),
                ])),
                ("workloads", .array(configuration.workloads.names.map { .string($0) })),
            ])),
            ("status", .int(1)),
        ])
    }

    /// Opens a worker on a data directory: `worker-keys.json` (0600, created if absent) and `work-orders.sqlite`.
    public static func open(
        dataDirectory: String, configuration: WorkerConfiguration, keyFile: String? = nil, metrics: WorkerMetrics = WorkerMetrics()
    ) throws -> WorkerService {
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dataDirectory)
        } catch {
            throw ConfideError(.io, "\(dataDirectory): cannot create the data directory")
        }
        let dir = URL(fileURLWithPath: dataDirectory)
        let keys = try WorkerKeys.loadOrCreate(at: keyFile ?? dir.appendingPathComponent("worker-keys.json").path)
        let store = try WorkOrderStore(path: dir.appendingPathComponent("work-orders.sqlite").path)
        return try WorkerService(keys: keys, configuration: configuration, store: store, metrics: metrics)
    }

    // MARK: JSON-RPC

    /// Answers one HTTP request body.
    /// - Returns: the JSON-RPC response (a result or an error object; never throws).
    public nonisolated func respond(to body: [UInt8]) async -> JSONValue {
        guard body.count <= configuration.maxBodyBytes else {
            return JSONRPCMessage.error(id: .null, JSONRPCError(.invalidRequest, "request body is over the limit of \(configuration.maxBodyBytes) bytes"))
        }
        let request: JSONRPCMessage.Request
        do {
            request = try JSONRPCMessage.parseRequest(body, maxBytes: configuration.maxBodyBytes)
        } catch {
            return JSONRPCMessage.error(id: error.data ?? .null, error.withoutData)
        }
        do {
            let result = try await dispatch(request)
            return JSONRPCMessage.result(id: request.id, result)
        } catch let error as JSONRPCError {
            return JSONRPCMessage.error(id: request.id, error)
        } catch {
            return JSONRPCMessage.error(id: request.id, JSONRPCError(.unknownError, "internal error"))
        }
    }

    private nonisolated func dispatch(_ request: JSONRPCMessage.Request) async throws -> JSONValue {
        let params = request.params
        switch request.method {
        case "WorkerLookUp":
            if let type = params["workerType"], type.integer(as: Int.self) != 1 {
                return .object([("totalCount", .int(0)), ("lookupTag", .string("")), ("ids", .array([]))])
            }
            return .object([("totalCount", .int(1)), ("lookupTag", .string("")), ("ids", .array([.string(workerId)]))])
        case "WorkerRetrieve":
            guard let id = params["workerId"]?.stringValue else {
                throw JSONRPCError(.invalidParameter, "workerId is required")
            }
            guard isThisWorker(id) else { throw JSONRPCError(.invalidParameter, "unknown workerId") }
            return workerDetails
        case "WorkOrderSubmit":
            return try await submit(params)
        case "WorkOrderGetResult":
            guard let id = params["workOrderId"]?.stringValue, !id.isEmpty else {
                throw JSONRPCError(.invalidParameter, "workOrderId is required")
            }
            return try await result(of: id, signature: params["requesterSignature"]?.stringValue)
        default:
            throw JSONRPCError(.methodNotFound, "unknown method (this worker serves WorkerLookUp, WorkerRetrieve, WorkOrderSubmit, WorkOrderGetResult)")
        }
    }

    nonisolated func isThisWorker(_ id: String) -> Bool {
        WorkOrderRequest.stripHexPrefix(id).lowercased() == WorkOrderRequest.stripHexPrefix(workerId).lowercased()
    }

    // MARK: Work order lifecycle (actor state)

    /// Stores a validated order as pending and starts its workload.
    func admit(_ order: StoredWorkOrder, workload: any Workload, inputs: [[UInt8]], sessionKey: [UInt8]) async throws {
        guard inFlight.count < configuration.maxPendingWorkOrders else {
            throw JSONRPCError(.busy, "the worker has \(inFlight.count) unfinished work orders; try again later")
        }
        guard runningWorkloads < configuration.maxRunningWorkloads else {
            throw JSONRPCError(.busy, "the worker runs \(runningWorkloads) workloads already; try again later")
        }
        guard inFlight[order.id] == nil else { throw JSONRPCError(.invalidParameter, "workOrderId already exists") }
        inFlight[order.id] = order.receivedAt
        let inserted: Bool
        do {
            inserted = try await store.insertPending(order)
        } catch {
            inFlight.removeValue(forKey: order.id)
            throw JSONRPCError(.unknownError, "the work order could not be stored")
        }
        guard inserted else {
            inFlight.removeValue(forKey: order.id)
            throw JSONRPCError(.invalidParameter, "workOrderId already exists")
        }
        runningWorkloads += 1
        metrics.running.increment()
        let work = Task.detached { try await workload.run(inputs) }
        let remaining = order.deadline.timeIntervalSinceNow
        let timer = Task {
            try? await Task.sleep(for: .milliseconds(max(0, Int(remaining * 1000))))
            if !Task.isCancelled {
                work.cancel()
                await self.finish(order.id, .failure(JSONRPCError(.failed, "the work order exceeded its responseTimeoutMSecs")))
            }
        }
        Task {
            let outcome: Result<JSONValue, JSONRPCError>
            let finished = await work.result
            self.workloadEnded()
            timer.cancel()
            switch finished {
            case .success(let outputs):
                if Date() > order.deadline {
                    outcome = .failure(JSONRPCError(.failed, "the work order exceeded its responseTimeoutMSecs"))
                } else {
                    do {
                        outcome = .success(try self.sealResult(order, outputs: outputs, sessionKey: sessionKey).json)
                    } catch {
                        outcome = .failure(JSONRPCError(.unknownError, "the result could not be encrypted and signed"))
                    }
                }
            case .failure(let error as ConfideError):
                outcome = .failure(JSONRPCError(.invalidParameter, "workload failed: \(error.message)"))
            case .failure(is CancellationError):
                outcome = .failure(JSONRPCError(.failed, "the work order exceeded its responseTimeoutMSecs"))
            case .failure:
                outcome = .failure(JSONRPCError(.failed, "workload failed"))
            }
            await self.finish(order.id, outcome)
        }
    }

    private func workloadEnded() {
        runningWorkloads -= 1
        metrics.running.decrement()
    }

    /// Records the outcome of an order once (the first of workload and deadline wins) and wakes its waiters.
    private func finish(_ id: String, _ outcome: Result<JSONValue, JSONRPCError>) async {
        guard let received = inFlight.removeValue(forKey: id) else { return }
        switch outcome {
        case .success(let result):
            try? await store.complete(id, result: result.serialized())
            metrics.completed.increment()
        case .failure(let error):
            try? await store.fail(id, code: error.code, message: error.message)
            metrics.failed.increment()
        }
        metrics.latency.recordNanoseconds(Int64(max(0, Date().timeIntervalSince(received)) * 1e9))
        for (_, waiter) in waiters.removeValue(forKey: id) ?? [:] { waiter.resume() }
    }

    /// Waits until the order finishes or `milliseconds` pass.
    func waitForCompletion(_ id: String, milliseconds: Int) async {
        guard inFlight[id] != nil else { return }
        let token = UUID()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            waiters[id, default: [:]][token] = continuation
            Task {
                try? await Task.sleep(for: .milliseconds(milliseconds))
                self.timeOutWaiter(id, token)
            }
        }
    }

    private func timeOutWaiter(_ id: String, _ token: UUID) {
        waiters[id]?.removeValue(forKey: token)?.resume()
        if waiters[id]?.isEmpty == true { waiters[id] = nil }
    }

    /// Number of orders whose workload is still running.
    public var unfinishedCount: Int { inFlight.count }
}

extension JSONRPCError {
    /// The error without its `data` (used when `data` carried the request id).
    var withoutData: JSONRPCError { JSONRPCError(code: code, message: message) }
}
