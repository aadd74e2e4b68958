import Crypto

/// The request and response hashes of EEA TC 1.1 §6.6 (SHA-256), as Avalon computes them.
///
/// Request: `H( H(requesterNonce ‖ workOrderId ‖ workerId ‖ workloadId ‖ requesterId) ‖ H(inData items) [‖ H(outData items)] )`.
/// Response: `H( H(workerNonce ‖ workOrderId ‖ workerId ‖ workloadId ‖ requesterId) [‖ H(outData items)] )`.
/// Items are taken in `index` order, each as `dataHash ‖ data ‖ encryptedDataEncryptionKey ‖ iv`;
/// all strings are hashed as UTF-8.
public enum WorkOrderHash {
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] { [UInt8](SHA256.hash(data: bytes)) }

    /// An item's `dataHash` as Confide writes it: HMAC-SHA-256 of the plaintext under the order's
    /// session key. A plain SHA-256 would let anyone who sees the (unencrypted) hash confirm a
    /// guess of a short plaintext, such as a name or a number; the HMAC needs the session key.
    public static func itemMAC(_ plaintext: [UInt8], sessionKey: [UInt8]) -> [UInt8] {
        [UInt8](HMAC<SHA256>.authenticationCode(for: plaintext, using: SymmetricKey(data: sessionKey)))
    }

    /// Hash of a list of data items in index order.
    public static func items(_ items: [DataItem]) -> [UInt8] {
        sha256(Array(items.sorted { $0.index < $1.index }.map(\.hashText).joined().utf8))
    }

    /// The request hash; `outData` counts only when non-empty.
    public static func request(
        requesterNonce: String, workOrderId: String, workerId: String, workloadId: String, requesterId: String,
        inData: [DataItem], outData: [DataItem] = []
    ) -> [UInt8] {
        let ids = sha256(Array((requesterNonce + workOrderId + workerId + workloadId + requesterId).utf8))
        var concatenated = ids + items(inData)
        if !outData.isEmpty { concatenated += items(outData) }
        return sha256(concatenated)
    }

    /// The response hash; `outData` counts only when non-empty.
    public static func response(
        workerNonce: String, workOrderId: String, workerId: String, workloadId: String, requesterId: String,
        outData: [DataItem]
    ) -> [UInt8] {
        let ids = sha256(Array((workerNonce + workOrderId + workerId + workloadId + requesterId).utf8))
        return sha256(outData.isEmpty ? ids : ids + items(outData))
    }
}
