import AsyncHTTPClient
import ConfideCore
import Foundation
import NIOCore

/// A requester's connection to a worker: JSON-RPC 2.0 over HTTP (AsyncHTTPClient) and the whole
/// requester flow (look up, retrieve keys, encrypt, sign, submit, poll, verify, decrypt).
public struct WorkerClient: Sendable {
    public let url: String
    private let http: HTTPClient
    /// Largest response body read.
    public var maxResponseBytes = 16 << 20

    public init(url: String, http: HTTPClient = .shared) {
        self.url = url
        self.http = http
    }

    /// One JSON-RPC call.
    /// - Returns: the `result`, or the worker's error object as `.failure`.
    /// - Throws: `io` when the worker cannot be reached or does not answer JSON-RPC.
    public func call(_ method: String, _ params: JSONValue) async throws -> Result<JSONValue, JSONRPCError> {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let id = JSONValue.int(Int.random(in: 1...Int(Int32.max)))
        request.body = .bytes(ByteBuffer(string: JSONRPCMessage.request(id: id, method: method, params: params).serialized()))
        let json: JSONValue
        do {
            let response = try await http.execute(request, timeout: .seconds(120))
            let body = try await response.body.collect(upTo: maxResponseBytes)
            json = try JSONParser(maxBytes: maxResponseBytes).parse(bytes: Array(buffer: body))
        } catch let error as ConfideError {
            throw ConfideError(.io, "\(url): the answer to \(method) is not JSON", cause: error.message)
        } catch {
            throw ConfideError(.io, "\(url): \(method) failed", cause: "\(error)")
        }
        if let error = json["error"] { return .failure(try JSONRPCError(json: error)) }
        guard let result = json["result"] else { throw ConfideError(.io, "\(url): the answer to \(method) has neither result nor error") }
        return .success(result)
    }

    /// The ids of the worker's workers (`WorkerLookUp`).
    public func lookUp() async throws -> [String] {
        let result = try Self.value(await call("WorkerLookUp", .object([("workerType", .int(1))])))
        return result["ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The worker's details and checked keys (`WorkerRetrieve`); the first looked-up worker when `workerId` is nil.
    public func retrieve(workerId: String? = nil) async throws -> WorkerInfo {
        let id: String
        if let workerId {
            id = workerId
        } else {
            guard let first = try await lookUp().first else { throw ConfideError(.invalidValue, "\(url): WorkerLookUp found no worker") }
            id = first
        }
        let result = try Self.value(await call("WorkerRetrieve", .object([("workerId", .string(id))])))
        return try WorkerInfo(workerId: id, retrieveResult: result)
    }

    /// Submits a built order and waits for its result.
    /// - Returns: the verified result and the decrypted outputs.
    /// - Throws: the worker's error as `ConfideError` (code `work-order-<n>`), or `invalidValue` when verification fails.
    public func execute(_ requester: WorkOrderRequester) async throws -> (result: WorkOrderResult, outputs: [[UInt8]]) {
        let id = requester.request.workOrderId
        var answer = try await call("WorkOrderSubmit", requester.request.json)
        let deadline = ContinuousClock.now + .milliseconds(requester.request.responseTimeoutMSecs) + .seconds(10)
        var pause = Duration.milliseconds(5)
        while case .failure(let error) = answer, error.status == .pending || error.status == .scheduled || error.status == .processing {
            guard ContinuousClock.now < deadline else { throw ConfideError(.io, "\(url): no result for work order \(id) in time") }
            answer = try await call(
                "WorkOrderGetResult", .object([("workOrderId", .string(id)), ("requesterSignature", .string(requester.resultSignature))]))
            if case .failure(let again) = answer, again.status == .pending {
                try await Task.sleep(for: pause)  // the worker already held the call; back off gently
                pause = min(pause * 2, .milliseconds(200))
            }
        }
        switch answer {
        case .failure(let error): throw error.confideError
        case .success(let json):
            let result = try WorkOrderResult(json: json)
            return (result, try requester.open(result))
        }
    }

    /// The whole requester flow for UTF-8 inputs.
    public func submit(
        workload: String, inputs: [String], workerId: String? = nil, signingKey: Secp256k1SigningKey = Secp256k1SigningKey(),
        responseTimeoutMSecs: Int = 60_000, expectedVerifyingKey: Secp256k1VerifyingKey? = nil
    ) async throws -> (worker: WorkerInfo, result: WorkOrderResult, outputs: [String]) {
        let worker = try await retrieve(workerId: workerId)
        if let expectedVerifyingKey, expectedVerifyingKey != worker.verifyingKey {
            throw ConfideError(.invalidValue, "\(url): the worker's verifying key is not the expected one")
        }
        let requester = try WorkOrderRequester(
            worker: worker, workload: workload, inputs: inputs.map { Array($0.utf8) },
            signingKey: signingKey, responseTimeoutMSecs: responseTimeoutMSecs
        )
        let (result, outputs) = try await execute(requester)
        return (worker, result, outputs.map { String(decoding: $0, as: UTF8.self) })
    }

    private static func value(_ answer: Result<JSONValue, JSONRPCError>) throws -> JSONValue {
        switch answer {
        case .success(let json): return json
        case .failure(let error): throw error.confideError
        }
    }
}
