import ConfideCore
import Foundation

/// The requester side of a work order, without transport: builds the encrypted, hashed and signed
/// request and checks and decrypts the worker's result.
///
/// Holds the session key for one order; it never leaves this value except wrapped for the worker.
public struct WorkOrderRequester: Sendable {
    public let worker: WorkerInfo
    public let request: WorkOrderRequest
    /// The requester's signature (base64 DER) of the result request, sent with `WorkOrderGetResult`.
    public let resultSignature: String
    private let sessionKey: [UInt8]

    /// Encrypts `inputs` for `workload` and signs the request with `signingKey`.
    public init(
        worker: WorkerInfo, workload: String, inputs: [[UInt8]], signingKey: Secp256k1SigningKey,
        responseTimeoutMSecs: Int = 60_000, workOrderId: String? = nil
    ) throws {
        let sessionKey = SessionCipher.newKey()
        let sessionIV = SessionCipher.newIV()
        var inData = [DataItem]()
        for (index, plaintext) in inputs.enumerated() {
            let (iv, sealed) = try SessionCipher.seal(plaintext, key: sessionKey)
            inData.append(DataItem(
                index: index, dataHash: Hex.encode(WorkOrderHash.itemMAC(plaintext, sessionKey: sessionKey)),
                data: Data(sealed).base64EncodedString(), encryptedDataEncryptionKey: "", iv: Hex.encode(iv)
            ))
        }
        let verifyingKey = signingKey.verifyingKey
        var request = WorkOrderRequest(
            responseTimeoutMSecs: responseTimeoutMSecs,
            workOrderId: workOrderId ?? Hex.encode(SessionCipher.randomBytes(32)),
            workerId: worker.workerId,
            workloadId: WorkloadRegistry.workloadId(forName: workload),
            requesterId: Hex.encode(WorkOrderHash.sha256(verifyingKey.uncompressed)),
            encryptedSessionKey: Hex.encode(try WorkerKeys.wrapSessionKey(sessionKey, forEncryptionKeyPEM: worker.encryptionKeyPEM)),
            sessionKeyIv: Hex.encode(sessionIV),
            requesterNonce: Hex.encode(SessionCipher.randomBytes(16)),
            inData: inData
        )
        let hash = request.requestHash
        request.encryptedRequestHash = Hex.encode(try SessionCipher.seal(hash, key: sessionKey, iv: sessionIV))
        request.requesterSignature = Data(try signingKey.signature(forDigest: hash)).base64EncodedString()
        request.verifyingKey = verifyingKey.pem
        let resultSignature = Data(try signingKey.signature(forDigest: WorkerService.resultRequestDigest(workOrderId: request.workOrderId))).base64EncodedString()
        self.init(worker: worker, request: request, sessionKey: sessionKey, resultSignature: resultSignature)
    }

    /// A requester for an already-built request (tests use this to tamper with requests).
    public init(worker: WorkerInfo, request: WorkOrderRequest, sessionKey: [UInt8], resultSignature: String = "") {
        self.worker = worker
        self.request = request
        self.resultSignature = resultSignature
        self.sessionKey = sessionKey
    }

    /// Checks a result against this order and the worker's verifying key, then decrypts `outData`.
    /// - Returns: the plaintext of each `outData` item in index order.
    /// - Throws: `invalidValue` naming what failed (ids, signature, item authentication, dataHash).
    public func open(_ result: WorkOrderResult) throws -> [[UInt8]] {
        for (name, got, want) in [
            ("workOrderId", result.workOrderId, request.workOrderId), ("workerId", result.workerId, request.workerId),
            ("workloadId", result.workloadId, request.workloadId), ("requesterId", result.requesterId, request.requesterId),
        ] where got != want {
            throw ConfideError(.invalidValue, "the result's \(name) does not match the request")
        }
        guard let signature = Data(base64Encoded: result.workerSignature),
              worker.verifyingKey.isValidSignature([UInt8](signature), forDigest: result.responseHash)
        else { throw ConfideError(.invalidValue, "workerSignature does not verify with the worker's verifying key") }
        var outputs = [[UInt8]]()
        for item in result.outData.sorted(by: { $0.index < $1.index }) {
            guard let iv = Hex.decode(WorkOrderRequest.stripHexPrefix(item.iv)), let sealed = Data(base64Encoded: item.data) else {
                throw ConfideError(.invalidValue, "outData[\(item.index)] has a malformed iv or data")
            }
            let plaintext = try SessionCipher.open([UInt8](sealed), key: sessionKey, iv: iv)
            if !item.dataHash.isEmpty, item.dataHash.lowercased() != Hex.encode(WorkOrderHash.itemMAC(plaintext, sessionKey: sessionKey)) {
                throw ConfideError(.invalidValue, "outData[\(item.index)] does not match its dataHash")
            }
            outputs.append(plaintext)
        }
        return outputs
    }
}
