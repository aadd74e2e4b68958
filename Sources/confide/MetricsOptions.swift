import ArgumentParser
import ConfideCore
import ConfideRuntime

/// Where a long-running service serves Prometheus `/metrics` (off by default).
struct MetricsOptions: ParsableArguments {
    @Option(
        name: .customLong("metrics-port"),
        help: "Serve Prometheus text on http://LISTEN:PORT/metrics (plain HTTP, on the service's listen address; off by default).")
    var metricsPort: Int?

    /// The metrics address on `host`, or nil when off.
    /// - Throws: `.invalidArgument` for a port outside 1...65535.
    func listen(on host: String) throws -> RuntimeEndpoint? {
        guard let metricsPort else { return nil }
        guard (1...65_535).contains(metricsPort) else { throw ConfideError(.invalidArgument, "--metrics-port must be in 1...65535, found \(metricsPort)") }
        return RuntimeEndpoint(host: host, port: metricsPort)
    }
}
