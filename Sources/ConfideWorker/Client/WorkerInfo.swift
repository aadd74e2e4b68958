import ConfideCore

/// What a requester needs from `WorkerRetrieve`: the worker's id and checked public keys.
public struct WorkerInfo: Sendable {
    public var workerId: String
    public var encryptionKeyPEM: String
    public var verifyingKey: Secp256k1VerifyingKey
    /// `proofDataType` (this worker reports `none`: no attestation).
    public var attestation: String

    /// Reads a `WorkerRetrieve` result and checks that the verifying key signed the encryption key.
    /// - Throws: `invalidValue` when keys are missing or the encryption key signature does not verify.
    public init(workerId: String, retrieveResult json: JSONValue) throws {
        guard let data = json["details"]?["workerTypeData"],
              let encryptionKey = data["encryptionKey"]?.stringValue,
              let verification = data["verificationKey"]?.stringValue,
              let signatureHex = data["encryptionKeySignature"]?.stringValue
        else { throw ConfideError(.invalidValue, "WorkerRetrieve result lacks workerTypeData keys") }
        let key = try Secp256k1VerifyingKey(pem: verification)
        guard let signature = Hex.decode(signatureHex),
              key.isValidSignature(signature, forDigest: WorkOrderHash.sha256(Array(encryptionKey.utf8)))
        else { throw ConfideError(.invalidValue, "the worker's encryption key is not signed by its verification key") }
        self.workerId = workerId
        self.encryptionKeyPEM = encryptionKey
        self.verifyingKey = key
        self.attestation = data["proofDataType"]?.stringValue ?? ""
    }
}
