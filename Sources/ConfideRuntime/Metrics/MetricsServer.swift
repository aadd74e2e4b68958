import ConfideCore
import Hummingbird
import Logging
import NIOCore

/// Serves a ``ServiceMetrics`` as Prometheus text on `GET /metrics`, over plain HTTP on the
/// given address (off unless a service is started with `--metrics-port` / YAML `metrics_port`).
/// The page holds counts, durations and byte totals, never values or keys.
public struct MetricsServer: Sendable {
    public let metrics: ServiceMetrics
    public let listen: RuntimeEndpoint

    public init(_ metrics: ServiceMetrics, listen: RuntimeEndpoint) {
        self.metrics = metrics
        self.listen = listen
    }

    /// Serves until the task is cancelled; logs the address once it listens.
    /// - Parameter onListening: called with the bound port once the server accepts connections.
    /// - Throws: `.io` when the port cannot be bound.
    public func run(logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let (metrics, host) = (self.metrics, listen.host)
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        // Hummingbird reports its own cancellation (the normal way this server stops) as an error;
        // a failure to bind is thrown from run() and reported by the service instead.
        var quiet = logger
        quiet.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "confide-metrics"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("serving metrics on http://\(host):\(port)/metrics")
                await onListening(port)
            },
            logger: quiet
        )
        do {
            try await app.run()
        } catch is CancellationError {
            return
        } catch {
            throw ConfideError(.io, "cannot serve metrics on \(listen)", cause: RuntimeErrors.describe(error))
        }
    }
}
