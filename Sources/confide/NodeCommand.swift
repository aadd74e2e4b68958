import ArgumentParser
import ConfideCore
import ConfideRuntime
import Logging

/// `confide node`: a compute node serving CipherCore's PartyService for one party.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run a compute node (CipherCore's PartyService) for one party.",
        discussion: """
            The node registers graphs (compiled CipherCore graphs, or uncompiled ones in Confide's envelope), runs each \
            session with the two peer nodes over PartyService.SendValue streams (mutual TLS), fetches this party's inputs \
            from its data node (DataRequest key from data_settings) and sends the result to its result service under the \
            session id. Stop it with Ctrl-C or SIGTERM.
            Examples:
              confide node --party 0 --port 4203 --data localhost:4201 --results localhost:4202 \\
                --ca creds/ca.pem --cert creds/party0/cert.pem --key creds/party0/key.pem
              confide node --config deployment.yaml --party bank
            """
    )

    @OptionGroup var runtime: RuntimeOptions

    @OptionGroup var logging: LogOptions

    @OptionGroup var metrics: MetricsOptions

    @Option(name: .long, help: "This node's party: 0, 1, 2, or a party name from --config.")
    var party: String

    @Option(name: .long, help: "The port to serve on (default: from --config, else 42p3).")
    var port: Int?

    @Option(name: .long, help: "The address to bind (default: from --config, else 0.0.0.0).")
    var listen: String?

    @Option(name: .long, help: "This party's data service, HOST:PORT (default: from --config, else localhost:42p1).")
    var data: String?

    @Option(name: .long, help: "This party's result service, HOST:PORT (default: from --config, else localhost:42p2).")
    var results: String?

    @Option(name: .customLong("party-transport"), help: "How parties talk: grpc (SendValue streams, default) or socket (a TLS socket communicator per session).")
    var partyTransport: String?

    @Option(name: .customLong("round-timeout"), help: "Seconds a round waits for a peer before the session fails.")
    var roundTimeout: Int?

    @Option(name: .customLong("server-tls-port"), help: "Also serve PartyService on this port, like the main one (needs --control-auth none: client certificates optional, SendValue needs a party certificate).")
    var serverTLSPort: Int?

    @Option(name: .customLong("approved-graphs"), help: "This party's approval policy (confide approve): only the graphs it lists may run. Without one every graph may run.")
    var approvedGraphs: String?

    @Option(name: .customLong("control-auth"), help: "Who may make control calls: certificate (the orchestrator's certificate, default) or none (any TLS client; needs --approved-graphs).")
    var controlAuth: String?

    func run() async throws {
        let deployment = try runtime.deployment()
        let index = try runtime.party(party, in: deployment)
        var configuration = try deployment.computeNode(index)
        if let approvedGraphs { configuration.approvals = try ApprovalPolicy.load(file: approvedGraphs) }
        if let controlAuth {
            guard let auth = ControlAuth(rawValue: controlAuth) else {
                throw ConfideError(.invalidArgument, "--control-auth must be certificate or none, found '\(controlAuth)'")
            }
            configuration.controlAuth = auth
        }
        configuration.tls = try runtime.tls(configuration.tls)
        if runtime.config == nil { configuration.listen.host = "0.0.0.0" }
        if let listen { configuration.listen.host = listen }
        if let port { configuration.listen.port = port }
        if let data { configuration.data = try RuntimeEndpoint(parsing: data, what: "--data") }
        if let results { configuration.results = try RuntimeEndpoint(parsing: results, what: "--results") }
        if let partyTransport {
            guard let transport = PartyTransport(rawValue: partyTransport) else {
                throw ConfideError(.invalidArgument, "--party-transport must be grpc or socket, found '\(partyTransport)'")
            }
            configuration.partyTransport = transport
        }
        if let roundTimeout {
            guard roundTimeout > 0 else { throw ConfideError(.invalidArgument, "--round-timeout must be positive") }
            configuration.roundTimeout = .seconds(roundTimeout)
        }
        if let serverTLSPort { configuration.serverTLSListen = RuntimeEndpoint(host: configuration.listen.host, port: serverTLSPort) }
        if let listen = try metrics.listen(on: configuration.listen.host) { configuration.metricsListen = listen }
        let node = try ComputeNode(configuration, log: logging.logger(deployment.parties[index].name))
        try await NodeLifetime.serve(run: { try await node.run() }, stop: { node.stop() })
    }
}
