import ConfideCore
import Foundation

extension WorkerService {
    /// Most `inData` items one order may carry.
    static let maxItems = 64

    /// `WorkOrderSubmit`: checks everything, then stores the order as pending and starts it.
    ///
    /// Nothing is stored unless every check passes. On success the answer is the spec's
    /// "pending" error (code 5) with `data.workOrderId`: the result comes from `WorkOrderGetResult`.
    nonisolated func submit(_ params: JSONValue) async throws -> JSONValue {
        let request = try WorkOrderRequest(params: params)
        let idData = JSONValue.object([("workOrderId", .string(request.workOrderId))])
        do {
            let (workload, inputs, sessionKey) = try validate(request)
            if try await store.workOrder(request.workOrderId) != nil {
                throw JSONRPCError(.invalidParameter, "workOrderId already exists")
            }
            let now = Date()
            let order = StoredWorkOrder(
                id: request.workOrderId, workerId: request.workerId, workloadId: request.workloadId,
                requesterId: request.requesterId, state: .pending, receivedAt: now,
                deadline: now.addingTimeInterval(Double(request.responseTimeoutMSecs) / 1000),
                request: request.json.serialized(), result: nil, errorCode: nil, errorMessage: nil
            )
            try await admit(order, workload: workload, inputs: inputs, sessionKey: sessionKey)
        } catch var error as JSONRPCError {
            metrics.rejected.increment()
            error.data = idData
            throw error
        }
        throw JSONRPCError(.pending, "work order accepted; ask for its result with WorkOrderGetResult", data: idData)
    }

    /// The checks of a submitted order, in order: format, worker, workload, limits, session key,
    /// request hash, requester signature, then each `inData` item.
    /// - Returns: the workload, the decrypted inputs in index order and the session key.
    nonisolated func validate(_ request: WorkOrderRequest) throws(JSONRPCError) -> (any Workload, [[UInt8]], [UInt8]) {
        guard request.payloadFormat.uppercased() == "JSON-RPC" else {
            throw JSONRPCError(.invalidParameter, "payloadFormat must be JSON-RPC")
        }
        guard request.dataEncryptionAlgorithm.isEmpty || request.dataEncryptionAlgorithm.uppercased() == "AES-GCM-256" else {
            throw JSONRPCError(.invalidParameter, "dataEncryptionAlgorithm must be AES-GCM-256")
        }
        guard isThisWorker(request.workerId) else { throw JSONRPCError(.invalidParameter, "unknown workerId") }
        guard let name = WorkloadRegistry.name(forWorkloadId: request.workloadId),
              let workload = configuration.workloads.workload(named: name)
        else { throw JSONRPCError(.invalidWorkload, "unknown workloadId") }
        guard (1...configuration.maxResponseTimeoutMSecs).contains(request.responseTimeoutMSecs) else {
            throw JSONRPCError(.invalidParameter, "responseTimeoutMSecs must be between 1 and \(configuration.maxResponseTimeoutMSecs)")
        }
        guard (1...Self.maxItems).contains(request.inData.count) else {
            throw JSONRPCError(.invalidParameter, "inData must hold 1 to \(Self.maxItems) items")
        }

        // Session key and its IV.
        guard let wrapped = Hex.decode(WorkOrderRequest.stripHexPrefix(request.encryptedSessionKey)) else {
            throw JSONRPCError(.invalidParameter, "encryptedSessionKey must be hexadecimal")
        }
        let sessionKey: [UInt8]
        do {
            sessionKey = try keys.unwrapSessionKey(wrapped)
        } catch {
            throw JSONRPCError(.invalidParameter, "encryptedSessionKey could not be unwrapped with the worker's RSA-OAEP key")
        }
        guard let sessionIV = Hex.decode(WorkOrderRequest.stripHexPrefix(request.sessionKeyIv)), sessionIV.count == SessionCipher.ivSize else {
            throw JSONRPCError(.invalidParameter, "sessionKeyIv must be \(SessionCipher.ivSize) bytes in hex")
        }

        // Integrity: the request hash, encrypted under the session key.
        let requestHash = request.requestHash
        guard let sealedHash = Hex.decode(WorkOrderRequest.stripHexPrefix(request.encryptedRequestHash)),
              let decryptedHash = try? SessionCipher.open(sealedHash, key: sessionKey, iv: sessionIV)
        else {
            throw JSONRPCError(.invalidParameter, "encryptedRequestHash does not decrypt under the session key (wrong session key or tampered hash)")
        }
        guard decryptedHash == requestHash else {
            throw JSONRPCError(.invalidParameter, "request hash mismatch: the work order was changed after it was hashed")
        }

        // Requester signature: required, by the key whose SHA-256 is the requesterId, so that only
        // that requester can later fetch the result.
        guard !request.requesterSignature.isEmpty else {
            throw JSONRPCError(.invalidSignature, "requesterSignature is required: sign the request hash with the key given in verifyingKey")
        }
        guard let verifyingKey = try? Secp256k1VerifyingKey(pem: request.verifyingKey) else {
            throw JSONRPCError(.invalidParameter, "verifyingKey must be a secp256k1 public key in PEM")
        }
        guard let signature = Data(base64Encoded: request.requesterSignature),
              verifyingKey.isValidSignature([UInt8](signature), forDigest: requestHash)
        else { throw JSONRPCError(.invalidSignature, "requesterSignature does not verify with verifyingKey") }
        guard WorkOrderRequest.stripHexPrefix(request.requesterId).lowercased() == Hex.encode(WorkOrderHash.sha256(verifyingKey.uncompressed)) else {
            throw JSONRPCError(.invalidParameter, "requesterId must be the SHA-256 (hex) of verifyingKey's uncompressed point")
        }

        // Items: each with its own fresh IV, never the session IV and never shared.
        let items = request.inData.sorted { $0.index < $1.index }
        var seenIndexes = Set<Int>()
        var seenIVs: Set<[UInt8]> = [sessionIV]
        var inputs = [[UInt8]]()
        for (i, item) in items.enumerated() {
            let field = "inData[\(i)] (index \(item.index))"
            guard seenIndexes.insert(item.index).inserted else { throw JSONRPCError(.invalidParameter, "\(field): duplicate index") }
            guard item.encryptedDataEncryptionKey.isEmpty || item.encryptedDataEncryptionKey == "null" else {
                throw JSONRPCError(.invalidParameter, "\(field): per-item data encryption keys are not supported; encrypt with the session key")
            }
            guard let iv = Hex.decode(WorkOrderRequest.stripHexPrefix(item.iv)), iv.count == SessionCipher.ivSize else {
                throw JSONRPCError(.invalidParameter, "\(field): iv must be a fresh \(SessionCipher.ivSize)-byte IV in hex (reusing sessionKeyIv would reuse an AES-GCM nonce)")
            }
            guard seenIVs.insert(iv).inserted else {
                throw JSONRPCError(.invalidParameter, "\(field): iv repeats another IV of this work order (AES-GCM nonce reuse)")
            }
            guard let sealed = Data(base64Encoded: item.data) else {
                throw JSONRPCError(.invalidParameter, "\(field): data must be base64")
            }
            guard let plaintext = try? SessionCipher.open([UInt8](sealed), key: sessionKey, iv: iv) else {
                throw JSONRPCError(.invalidParameter, "\(field): decryption failed (tampered ciphertext or tag, or wrong key)")
            }
            // dataHash: Confide's HMAC under the session key, or (Avalon's requesters) a plain SHA-256.
            let given = WorkOrderRequest.stripHexPrefix(item.dataHash).lowercased()
            if !given.isEmpty, given != Hex.encode(WorkOrderHash.itemMAC(plaintext, sessionKey: sessionKey)),
               given != Hex.encode(WorkOrderHash.sha256(plaintext)) {
                throw JSONRPCError(.invalidParameter, "\(field): dataHash does not match the decrypted data")
            }
            inputs.append(plaintext)
        }
        return (workload, inputs, sessionKey)
    }

    /// Encrypts the outputs (a fresh IV each), hashes and signs the result.
    nonisolated func sealResult(_ order: StoredWorkOrder, outputs: [[UInt8]], sessionKey: [UInt8]) throws -> WorkOrderResult {
        var outData = [DataItem]()
        for (index, plaintext) in outputs.enumerated() {
            let (iv, sealed) = try SessionCipher.seal(plaintext, key: sessionKey)
            outData.append(DataItem(
                index: index, dataHash: Hex.encode(WorkOrderHash.itemMAC(plaintext, sessionKey: sessionKey)),
                data: Data(sealed).base64EncodedString(), encryptedDataEncryptionKey: "", iv: Hex.encode(iv)
            ))
        }
        var result = WorkOrderResult(
            workloadId: order.workloadId, workOrderId: order.id, workerId: order.workerId,
            requesterId: order.requesterId, workerNonce: Hex.encode(SessionCipher.randomBytes(16)), outData: outData
        )
        result.workerSignature = Data(try keys.signingKey.signature(forDigest: result.responseHash)).base64EncodedString()
        return result
    }

    /// What a requester signs to fetch a result: SHA-256 of `WorkOrderGetResult:` and the order id.
    public static func resultRequestDigest(workOrderId: String) -> [UInt8] {
        WorkOrderHash.sha256(Array("WorkOrderGetResult:\(workOrderId)".utf8))
    }

    /// `WorkOrderGetResult`: the signed result, the stored error, or `pending` (5) after waiting a while.
    /// Only the requester may ask: `requesterSignature` must be its signature (base64 DER) of
    /// ``resultRequestDigest(workOrderId:)`` with the key it submitted the order with.
    nonisolated func result(of id: String, signature: String?) async throws -> JSONValue {
        let idData = JSONValue.object([("workOrderId", .string(id))])
        var order = try await stored(id)
        if let order {
            guard let signature, let der = Data(base64Encoded: signature),
                let pem = (try? JSONParser().parse(order.request))?["verifyingKey"]?.stringValue,
                let key = try? Secp256k1VerifyingKey(pem: pem),
                key.isValidSignature([UInt8](der), forDigest: WorkerService.resultRequestDigest(workOrderId: id))
            else {
                throw JSONRPCError(.invalidSignature, "requesterSignature (the requester's signature of the result request) is missing or does not verify", data: idData)
            }
        }
        if order?.state == .pending {
            await waitForCompletion(id, milliseconds: configuration.resultWaitMSecs)
            order = try await stored(id)
        }
        guard let order else { throw JSONRPCError(.invalidParameter, "unknown workOrderId", data: idData) }
        switch order.state {
        case .pending:
            throw JSONRPCError(.pending, "the work order is still being processed", data: idData)
        case .failed:
            throw JSONRPCError(code: order.errorCode ?? WorkOrderStatus.failed.rawValue, message: order.errorMessage ?? "failed", data: idData)
        case .completed:
            guard let text = order.result, let json = try? JSONParser().parse(text) else {
                throw JSONRPCError(.unknownError, "the stored result is unreadable", data: idData)
            }
            return json
        }
    }

    private nonisolated func stored(_ id: String) async throws -> StoredWorkOrder? {
        do {
            return try await store.workOrder(id)
        } catch {
            throw JSONRPCError(.unknownError, "the work-order database could not be read")
        }
    }
}
