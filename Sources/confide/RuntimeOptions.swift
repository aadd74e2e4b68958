import ArgumentParser
import ConfideCore
import ConfideRuntime

/// The options every runtime command shares: a deployment file and the party to act as, and TLS
/// files that override it.
struct RuntimeOptions: ParsableArguments {
    @Option(name: .long, help: "The deployment file (YAML) describing every party.")
    var config: String?

    @Option(name: .long, help: "The CA certificate (PEM) every peer must chain to.")
    var ca: String?

    @Option(name: .long, help: "This node's certificate (PEM).")
    var cert: String?

    @Option(name: .long, help: "This node's private key (PEM).")
    var key: String?

    @Option(name: .customLong("tls-name"), help: "The name servers' certificates are checked against (default localhost).")
    var tlsName: String?

    /// The deployment file, or the seed's defaults with TLS files from `--ca/--cert/--key`.
    func deployment() throws -> DeploymentConfig {
        var config = try config.map { try DeploymentConfig(file: $0) } ?? DeploymentConfig.localDefaults(credentials: "credentials")
        if let ca { config.ca = ca }
        if let tlsName { config.serverName = tlsName }
        return config
    }

    /// The TLS files of a node: the deployment's, overridden by flags.
    func tls(_ base: RuntimeTLS) throws -> RuntimeTLS {
        var tls = base
        if let ca { tls.caFile = ca }
        if let cert { tls.certificateFile = cert }
        if let key { tls.keyFile = key }
        if let tlsName { tls.serverName = tlsName }
        if config == nil, ca == nil || cert == nil || key == nil {
            throw ConfideError(.invalidArgument, "give --config FILE, or --ca, --cert and --key")
        }
        return tls
    }

    /// The party named by `--party` (a name from the deployment file or an index).
    func party(_ name: String, in config: DeploymentConfig) throws -> Int {
        try config.party(named: name)
    }
}

/// Runs a node until SIGINT or SIGTERM, then stops it gracefully.
enum NodeLifetime {
    static func serve(run: @escaping @Sendable () async throws -> Void, stop: @escaping @Sendable () -> Void) async throws {
        let signals = SignalWatcher(stop: stop)
        defer { signals.cancel() }
        try await run()
    }
}
