import ConfideCore

/// JSON-RPC 2.0 requests and responses as ``JSONValue`` trees.
public enum JSONRPCMessage {
    /// A parsed request.
    public struct Request: Sendable {
        public var id: JSONValue
        public var method: String
        public var params: JSONValue
    }

    /// Parses and checks a request body.
    /// - Throws: ``JSONRPCError`` `-32700` (not JSON) or `-32600` (not a JSON-RPC 2.0 request object).
    public static func parseRequest(_ body: [UInt8], maxBytes: Int) throws(JSONRPCError) -> Request {
        let json: JSONValue
        do {
            json = try JSONParser(maxDepth: 64, maxBytes: maxBytes).parse(bytes: body)
        } catch {
            throw JSONRPCError(.parseError, "request body is not valid JSON")
        }
        guard json.objectValue != nil else { throw JSONRPCError(.invalidRequest, "request must be a JSON object") }
        guard json["jsonrpc"]?.stringValue == "2.0" else {
            throw JSONRPCError(.invalidRequest, "request must have \"jsonrpc\": \"2.0\"", data: json["id"])
        }
        let id = json["id"] ?? .null
        switch id {
        case .string, .number, .null: break
        default: throw JSONRPCError(.invalidRequest, "id must be a string, number or null")
        }
        guard let method = json["method"]?.stringValue else {
            throw JSONRPCError(.invalidRequest, "request must have a string \"method\"")
        }
        let params = json["params"] ?? .object([])
        guard params.objectValue != nil else { throw JSONRPCError(.invalidRequest, "params must be an object") }
        return Request(id: id, method: method, params: params)
    }

    public static func request(id: JSONValue, method: String, params: JSONValue) -> JSONValue {
        .object([("jsonrpc", .string("2.0")), ("method", .string(method)), ("id", id), ("params", params)])
    }

    public static func result(id: JSONValue, _ result: JSONValue) -> JSONValue {
        .object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)])
    }

    public static func error(id: JSONValue, _ error: JSONRPCError) -> JSONValue {
        .object([("jsonrpc", .string("2.0")), ("id", id), ("error", error.json)])
    }
}
