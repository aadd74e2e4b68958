import ConfideCore

/// The `result` of a finished work order (EEA TC 1.1 §6.1.2), signed by the worker.
public struct WorkOrderResult: Sendable, Equatable {
    public var workloadId: String
    public var workOrderId: String
    public var workerId: String
    public var requesterId: String
    public var workerNonce: String
    public var outData: [DataItem]
    /// Base64 DER ECDSA (secp256k1) signature of ``responseHash``.
    public var workerSignature: String

    public init(
        workloadId: String, workOrderId: String, workerId: String, requesterId: String,
        workerNonce: String, outData: [DataItem], workerSignature: String = ""
    ) {
        self.workloadId = workloadId
        self.workOrderId = workOrderId
        self.workerId = workerId
        self.requesterId = requesterId
        self.workerNonce = workerNonce
        self.outData = outData
        self.workerSignature = workerSignature
    }

    /// The response hash of EEA TC 1.1 §6.6.2.
    public var responseHash: [UInt8] {
        WorkOrderHash.response(
            workerNonce: workerNonce, workOrderId: workOrderId, workerId: workerId,
            workloadId: workloadId, requesterId: requesterId, outData: outData
        )
    }

    public init(json: JSONValue) throws {
        func string(_ key: String) throws -> String {
            guard let s = json[key]?.stringValue else { throw ConfideError(.malformedJSON, "result.\(key) must be a string") }
            return s
        }
        guard let items = json["outData"]?.arrayValue else { throw ConfideError(.malformedJSON, "result.outData must be an array") }
        self.init(
            workloadId: try string("workloadId"), workOrderId: try string("workOrderId"), workerId: try string("workerId"),
            requesterId: try string("requesterId"), workerNonce: try string("workerNonce"),
            outData: try items.enumerated().map { try DataItem(json: $1, field: "outData[\($0)]") },
            workerSignature: try string("workerSignature")
        )
    }

    public var json: JSONValue {
        .object([
            ("workloadId", .string(workloadId)), ("workOrderId", .string(workOrderId)), ("workerId", .string(workerId)),
            ("requesterId", .string(requesterId)), ("workerNonce", .string(workerNonce)),
            ("outData", .array(outData.map(\.json))), ("workerSignature", .string(workerSignature)),
        ])
    }
}
