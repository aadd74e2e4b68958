import ConfideCore
import Hummingbird
import Logging
import NIOCore

/// Serves a ``WorkerService`` as JSON-RPC 2.0 over HTTP (Hummingbird): `POST /` with a JSON body.
public struct WorkerServer: Sendable {
    public let service: WorkerService
    public var host: String
    public var port: Int

    public init(service: WorkerService, host: String = "127.0.0.1", port: Int = 1947) {
        self.service = service
        self.host = host
        self.port = port
    }

    /// Runs until the task is cancelled (or, with `gracefulShutdownSignals`, until SIGTERM/SIGINT).
    /// - Parameter onListening: called with the bound port once the server accepts connections.
    /// - Parameter logger: the server's log (Hummingbird's own events go to it, from `notice` up).
    public func run(handleSignals: Bool = false, logger: Logger? = nil, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let service = self.service
        let maxBody = service.configuration.maxBodyBytes
        let router = Router()
        router.post("/") { request, _ -> Response in
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: maxBody)
            } catch {
                let error = JSONRPCError(.invalidRequest, "request body is over the limit of \(maxBody) bytes")
                return Self.response(JSONRPCMessage.error(id: .null, error), status: .contentTooLarge)
            }
            let answer = await service.respond(to: Array(buffer: body))
            return Self.response(answer, status: .ok)
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "confide-worker"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger.map { log in
                var quiet = log
                quiet.logLevel = max(log.logLevel, .notice)
                return quiet
            } ?? Logger(label: "confide-worker")
        )
        if handleSignals {
            try await app.runService()
        } else {
            try await app.run()
        }
    }

    static func response(_ json: JSONValue, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json.serialized())))
    }
}
