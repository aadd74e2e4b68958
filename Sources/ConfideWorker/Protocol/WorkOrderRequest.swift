import ConfideCore

/// The `params` of `WorkOrderSubmit` (EEA TC 1.1 §6.1.1).
///
/// Ids, nonces, IVs and wrapped keys are hex strings, `requesterSignature` is base64 DER and
/// `verifyingKey` a PEM public key, as Avalon's SDK sends them.
public struct WorkOrderRequest: Sendable, Equatable {
    public var responseTimeoutMSecs: Int
    public var payloadFormat: String
    public var workOrderId: String
    public var workerId: String
    /// Hex of the workload name's UTF-8 bytes.
    public var workloadId: String
    public var requesterId: String
    public var dataEncryptionAlgorithm: String
    public var encryptedSessionKey: String
    public var sessionKeyIv: String
    public var requesterNonce: String
    public var encryptedRequestHash: String
    public var requesterSignature: String
    public var verifyingKey: String
    public var inData: [DataItem]

    public init(
        responseTimeoutMSecs: Int, workOrderId: String, workerId: String, workloadId: String, requesterId: String,
        encryptedSessionKey: String, sessionKeyIv: String, requesterNonce: String, encryptedRequestHash: String = "",
        requesterSignature: String = "", verifyingKey: String = "", inData: [DataItem]
    ) {
        self.responseTimeoutMSecs = responseTimeoutMSecs
        self.payloadFormat = "JSON-RPC"
        self.workOrderId = workOrderId
        self.workerId = workerId
        self.workloadId = workloadId
        self.requesterId = requesterId
        self.dataEncryptionAlgorithm = "AES-GCM-256"
        self.encryptedSessionKey = encryptedSessionKey
        self.sessionKeyIv = sessionKeyIv
        self.requesterNonce = requesterNonce
        self.encryptedRequestHash = encryptedRequestHash
        self.requesterSignature = requesterSignature
        self.verifyingKey = verifyingKey
        self.inData = inData
    }

    /// The request hash of EEA TC 1.1 §6.6.1 over this request's ids and `inData`.
    public var requestHash: [UInt8] {
        WorkOrderHash.request(
            requesterNonce: requesterNonce, workOrderId: workOrderId, workerId: workerId,
            workloadId: workloadId, requesterId: requesterId, inData: inData
        )
    }

    /// Reads the params object, checking presence, JSON kinds and the hex fields.
    /// - Throws: ``JSONRPCError`` `2` (invalid parameter format or value) naming the field.
    public init(params: JSONValue) throws(JSONRPCError) {
        func string(_ key: String, required: Bool = true, hex: Bool = false) throws(JSONRPCError) -> String {
            guard let value = params[key] else {
                if required { throw JSONRPCError(.invalidParameter, "\(key) is required") }
                return ""
            }
            guard let s = value.stringValue else { throw JSONRPCError(.invalidParameter, "\(key) must be a string") }
            if hex, !s.isEmpty, Hex.decode(Self.stripHexPrefix(s)) == nil {
                throw JSONRPCError(.invalidParameter, "\(key) must be hexadecimal")
            }
            return s
        }
        guard let timeout = params["responseTimeoutMSecs"] else {
            throw JSONRPCError(.invalidParameter, "responseTimeoutMSecs is required")
        }
        guard let ms = timeout.integer(as: Int.self) else {
            throw JSONRPCError(.invalidParameter, "responseTimeoutMSecs must be an integer")
        }
        responseTimeoutMSecs = ms
        payloadFormat = try string("payloadFormat")
        workOrderId = try string("workOrderId", hex: true)
        workerId = try string("workerId", hex: true)
        workloadId = try string("workloadId", hex: true)
        requesterId = try string("requesterId", hex: true)
        dataEncryptionAlgorithm = try string("dataEncryptionAlgorithm", required: false)
        encryptedSessionKey = try string("encryptedSessionKey", hex: true)
        sessionKeyIv = try string("sessionKeyIv", required: false, hex: true)
        requesterNonce = try string("requesterNonce", hex: true)
        encryptedRequestHash = try string("encryptedRequestHash", hex: true)
        requesterSignature = try string("requesterSignature", required: false)
        verifyingKey = try string("verifyingKey", required: false)
        for key in ["workOrderId", "workerId", "workloadId", "requesterId", "requesterNonce"] where (params[key]?.stringValue ?? "").isEmpty {
            throw JSONRPCError(.invalidParameter, "\(key) must not be empty")
        }
        guard let items = params["inData"]?.arrayValue else { throw JSONRPCError(.invalidParameter, "inData must be an array") }
        var parsed = [DataItem]()
        for (i, item) in items.enumerated() {
            do {
                parsed.append(try DataItem(json: item, field: "inData[\(i)]"))
            } catch let error as ConfideError {
                throw JSONRPCError(.invalidParameter, error.message)
            } catch {
                throw JSONRPCError(.invalidParameter, "inData[\(i)] is malformed")
            }
        }
        inData = parsed
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("responseTimeoutMSecs", .int(responseTimeoutMSecs)),
            ("payloadFormat", .string(payloadFormat)),
            ("workOrderId", .string(workOrderId)),
            ("workerId", .string(workerId)),
            ("workloadId", .string(workloadId)),
            ("requesterId", .string(requesterId)),
            ("dataEncryptionAlgorithm", .string(dataEncryptionAlgorithm)),
            ("encryptedSessionKey", .string(encryptedSessionKey)),
            ("sessionKeyIv", .string(sessionKeyIv)),
            ("requesterNonce", .string(requesterNonce)),
            ("encryptedRequestHash", .string(encryptedRequestHash)),
        ]
        if !requesterSignature.isEmpty {
            members.append(("requesterSignature", .string(requesterSignature)))
            members.append(("verifyingKey", .string(verifyingKey)))
        }
        members.append(("inData", .array(inData.map(\.json))))
        return .object(members)
    }

    /// `s` without a leading `0x` / `0X`.
    public static func stripHexPrefix(_ s: String) -> String {
        s.hasPrefix("0x") || s.hasPrefix("0X") ? String(s.dropFirst(2)) : s
    }
}
