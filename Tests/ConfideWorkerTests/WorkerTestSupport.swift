import ConfideCore
import Foundation
import Synchronization
@testable import ConfideWorker

/// Shared fixtures: one RSA-3072 key set for every test (generation is the slow part), temporary data
/// directories, and helpers that drive a ``WorkerService`` without HTTP.
enum WorkerTestSupport {
    static let keys: WorkerKeys = {
        do { return try WorkerKeys() } catch { fatalError("cannot generate worker keys: \(error)") }
    }()

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("confide-worker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A service on a fresh database with the shared keys.
    static func service(
        configuration: WorkerConfiguration = WorkerConfiguration(), directory: URL? = nil
    ) throws -> (WorkerService, URL) {
        let dir = try directory ?? temporaryDirectory()
        let store = try WorkOrderStore(path: dir.appendingPathComponent("work-orders.sqlite").path)
        return (try WorkerService(keys: keys, configuration: configuration, store: store), dir)
    }

    /// Calls a method through the JSON-RPC entry point.
    static func call(_ service: WorkerService, _ method: String, _ params: JSONValue, id: Int = 7) async -> Result<JSONValue, JSONRPCError> {
        let body = JSONRPCMessage.request(id: .int(id), method: method, params: params).serialized()
        return decode(await service.respond(to: Array(body.utf8)))
    }

    static func decode(_ response: JSONValue) -> Result<JSONValue, JSONRPCError> {
        if let error = response["error"], let parsed = try? JSONRPCError(json: error) { return .failure(parsed) }
        return .success(response["result"] ?? .null)
    }

    static func info(_ service: WorkerService) async throws -> WorkerInfo {
        guard case .success(let details) = await call(service, "WorkerRetrieve", .object([("workerId", .string(service.workerId))])) else {
            throw ConfideError(.invalidValue, "WorkerRetrieve failed")
        }
        return try WorkerInfo(workerId: service.workerId, retrieveResult: details)
    }

    /// Submits and then asks for the result.
    static func run(_ service: WorkerService, _ requester: WorkOrderRequester) async -> Result<JSONValue, JSONRPCError> {
        let submitted = await call(service, "WorkOrderSubmit", requester.request.json)
        guard case .failure(let error) = submitted, error.status == .pending else { return submitted }
        var answer = await getResult(service, requester)
        while case .failure(let e) = answer, e.status == .pending { answer = await getResult(service, requester) }
        return answer
    }

    /// `WorkOrderGetResult` with the requester's signature.
    static func getResult(_ service: WorkerService, _ requester: WorkOrderRequester) async -> Result<JSONValue, JSONRPCError> {
        await call(
            service, "WorkOrderGetResult",
            .object([("workOrderId", .string(requester.request.workOrderId)), ("requesterSignature", .string(requester.resultSignature))]))
    }

    /// `WorkOrderGetResult` without a signature.
    static func getResult(_ service: WorkerService, _ id: String) async -> Result<JSONValue, JSONRPCError> {
        await call(service, "WorkOrderGetResult", .object([("workOrderId", .string(id))]))
    }

    static func requester(_ info: WorkerInfo, _ workload: String, _ inputs: [String], timeout: Int = 30_000) throws -> WorkOrderRequester {
        try WorkOrderRequester(
            worker: info, workload: workload, inputs: inputs.map { Array($0.utf8) },
            signingKey: Secp256k1SigningKey(), responseTimeoutMSecs: timeout
        )
    }
}

/// A workload that never finishes on its own: it waits until cancelled (for timeout tests).
struct StallingWorkload: Workload {
    func run(_ inputs: [[UInt8]]) async throws -> [[UInt8]] {
        while true {
            try Task.checkCancellation()
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// A workload that ignores cancellation: it ends only when its gate opens (the worst case for a
/// worker: timed-out orders whose work keeps running).
final class GatedWorkload: Workload, Sendable {
    private let waiting = Mutex<(open: Bool, continuations: [CheckedContinuation<Void, Never>])>((false, []))

    func run(_ inputs: [[UInt8]]) async throws -> [[UInt8]] {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = waiting.withLock { state -> Bool in
                if state.open { return true }
                state.continuations.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
        return [Array("done".utf8)]
    }

    /// Lets every waiting and future run end.
    func open() {
        let all = waiting.withLock { state in
            state.open = true
            defer { state.continuations.removeAll() }
            return state.continuations
        }
        for continuation in all { continuation.resume() }
    }
}
