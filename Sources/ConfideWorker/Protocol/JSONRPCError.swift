import ConfideCore

/// A JSON-RPC 2.0 error object: `{"code": …, "message": …, "data": …}`.
///
/// Messages name the problem (field, id, limit) and never carry keys, plaintext or session keys.
public struct JSONRPCError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(_ status: WorkOrderStatus, _ message: String, data: JSONValue? = nil) {
        self.init(code: status.rawValue, message: message, data: data)
    }

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var status: WorkOrderStatus? { WorkOrderStatus(rawValue: code) }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("code", .int(code)), ("message", .string(message))]
        if let data { members.append(("data", data)) }
        return .object(members)
    }

    public init(json: JSONValue) throws {
        guard let code = json["code"]?.integer(as: Int.self), let message = json["message"]?.stringValue else {
            throw ConfideError(.malformedJSON, "a JSON-RPC error needs an integer code and a string message")
        }
        self.init(code: code, message: message, data: json["data"])
    }

    public var description: String { "JSON-RPC error \(code): \(message)" }

    /// The matching ``ConfideError`` (code name `work-order-<code>`).
    public var confideError: ConfideError { ConfideError(.init("work-order-\(code)"), message) }
}
