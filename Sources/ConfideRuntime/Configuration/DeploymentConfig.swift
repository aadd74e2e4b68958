import ConfideCore
import ConfideData
import ConfideNet
import Foundation
import Yams

/// One YAML file describing a whole deployment (in the spirit of SecretFlow's cluster config):
/// the three parties with their compute, data and result addresses, TLS files and timeouts. Every
/// runtime command takes `--config FILE --party NAME`; flags override what the file says.
///
/// ```yaml
/// credentials: creds            # a `confide credentials --out` folder: default TLS file paths
/// tls: {ca: creds/ca.pem, server_name: localhost,
///       orchestrator_cert: creds/orchestrator_cert.pem, orchestrator_key: creds/orchestrator_key.pem}
/// timeouts: {round: 30, service: 30, connect: 60, session: 600}   # seconds
/// data_key: test
/// party_transport: grpc          # or socket
/// budget: {scalars: 17179869184, bytes: 68719476736, rounds: 1000000}   # the most one graph may cost
/// parties:
///   - name: bank
///     compute: {address: "localhost:4203", listen: "127.0.0.1:4203", server_tls_listen: "127.0.0.1:4204", metrics_port: 9203}
///     data: {address: "localhost:4201", metrics_port: 9201}      # metrics_port: Prometheus /metrics over plain HTTP
///     results: {address: "localhost:4202"}
///     tls: {cert: creds/party0/cert.pem, key: creds/party0/key.pem, data_cert: ..., data_key: ...}
///     inputs: ["test=bank/input.txt"]
///     output: out/bank
///     result_tables: [csv]                  # results also as KEY.csv (or npy) beside KEY.json
///     approved_graphs: policies/bank.yaml   # confide approve; without it every graph may run
///     control_auth: certificate             # or none (needs approved_graphs): control calls without the orchestrator certificate
/// ```
/// Defaults follow CipherCore: party p uses ports 42p1 (data), 42p2 (results), 42p3 (compute) on
/// localhost, TLS name `localhost`. Relative paths are relative to the file's folder.
public struct DeploymentConfig: Sendable {
    public struct Service: Sendable {
        /// How others reach it.
        public var address: RuntimeEndpoint
        /// Where it binds.
        public var listen: RuntimeEndpoint
        /// Where `/metrics` is served (on the listen host); nil: off (YAML `metrics_port`).
        public var metricsPort: Int? = nil

        /// The metrics address, if the service serves metrics.
        public var metricsListen: RuntimeEndpoint? { metricsPort.map { RuntimeEndpoint(host: listen.host, port: $0) } }
    }

    public struct Party: Sendable {
        public var name: String
        public var compute: Service
        public var data: Service
        public var results: Service
        public var certificate: String
        public var key: String
        public var dataCertificate: String
        public var dataKey: String
        /// `KEY=FILE` entries served by the party's data node.
        public var inputs: [String]
        /// Where the party's result service stores results.
        public var output: String
        /// Table formats results are also stored in (`csv`, `npy`).
        public var resultTables: [OutputFile.Format] = []
        /// Optional second compute listener for clients with server-side TLS only (control calls
        /// only; needs `control_auth: none`).
        public var serverTLSListen: RuntimeEndpoint? = nil
        /// The party's approval policy file (`confide approve`); nil: every graph may run.
        public var approvedGraphs: String? = nil
        /// Who may make the compute node's control calls.
        public var controlAuth: ControlAuth = .certificate
    }

    public var parties: [Party]
    public var ca: String
    public var serverName: String
    public var orchestratorCertificate: String
    public var orchestratorKey: String
    public var roundTimeout: Duration
    public var serviceTimeout: Duration
    public var connectTimeout: Duration
    public var sessionTimeout: Duration
    /// How the compute nodes' sessions talk to each other.
    public var partyTransport: PartyTransport = .sendValue
    /// The data key the orchestrator asks every party's data node for.
    public var dataKey: String
    /// The most one graph may cost on the compute nodes (YAML `budget: {scalars, bytes, rounds}`).
    public var budget = GraphBudget()

    /// The seed's defaults for three parties on this machine, TLS files from a `confide credentials` folder.
    public static func localDefaults(credentials: String, base: String = ".") -> DeploymentConfig {
        func path(_ relative: String) -> String { DeploymentConfig.resolve(credentials + "/" + relative, base: base) }
        let parties = (0..<3).map { p in
            Party(
                name: "party\(p)", compute: DeploymentConfig.defaultService(p, 3), data: DeploymentConfig.defaultService(p, 1),
                results: DeploymentConfig.defaultService(p, 2), certificate: path("party\(p)/cert.pem"), key: path("party\(p)/key.pem"),
                dataCertificate: path("party\(p)/data_cert.pem"), dataKey: path("party\(p)/data_key.pem"), inputs: [],
                output: DeploymentConfig.resolve("results/party\(p)", base: base))
        }
        return DeploymentConfig(
            parties: parties, ca: path("ca.pem"), serverName: "localhost",
            orchestratorCertificate: path("orchestrator_cert.pem"), orchestratorKey: path("orchestrator_key.pem"),
            roundTimeout: .seconds(30), serviceTimeout: .seconds(30), connectTimeout: .seconds(60), sessionTimeout: .seconds(600),
            dataKey: DataStore.defaultKey)
    }

    static func defaultService(_ party: Int, _ digit: Int) -> Service {
        let port = 4200 + party * 10 + digit
        return Service(address: RuntimeEndpoint(host: "localhost", port: port), listen: RuntimeEndpoint(host: "127.0.0.1", port: port))
    }

    static func resolve(_ path: String, base: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: base).appendingPathComponent(path).standardized.path
    }

    /// The index of the party named `name` (or given by its index).
    /// - Throws: `.invalidArgument` listing the known names.
    public func party(named name: String) throws -> Int {
        if let index = parties.firstIndex(where: { $0.name == name }) { return index }
        if let index = Int(name), parties.indices.contains(index) { return index }
        throw ConfideError(.invalidArgument, "no party named '\(name)' (parties: \(parties.map(\.name).joined(separator: ", ")))")
    }

    public func computeTLS(_ party: Int) -> RuntimeTLS {
        RuntimeTLS(caFile: ca, certificateFile: parties[party].certificate, keyFile: parties[party].key, serverName: serverName)
    }

    public func dataTLS(_ party: Int) -> RuntimeTLS {
        RuntimeTLS(caFile: ca, certificateFile: parties[party].dataCertificate, keyFile: parties[party].dataKey, serverName: serverName)
    }

    public var orchestratorTLS: RuntimeTLS {
        RuntimeTLS(caFile: ca, certificateFile: orchestratorCertificate, keyFile: orchestratorKey, serverName: serverName)
    }

    /// The compute node of `party` as this file describes it, its approval policy read.
    /// - Throws: the policy file's errors.
    public func computeNode(_ party: Int) throws -> ComputeNodeConfiguration {
        let p = parties[party]
        var node = ComputeNodeConfiguration(
            party: party, listen: p.compute.listen, data: p.data.address, results: p.results.address, tls: computeTLS(party),
            roundTimeout: roundTimeout, serviceTimeout: serviceTimeout, sessionWait: connectTimeout,
            serverTLSListen: p.serverTLSListen, partyTransport: partyTransport)
        node.approvals = try p.approvedGraphs.map { try ApprovalPolicy.load(file: $0) }
        node.controlAuth = p.controlAuth
        node.budget = budget
        node.metricsListen = p.compute.metricsListen
        return node
    }

    /// The data node of `party`, its inputs loaded and type-checked.
    /// - Throws: the input files' errors.
    public func dataNode(_ party: Int) throws -> DataNode.Configuration {
        let p = parties[party]
        var store = DataStore()
        for entry in p.inputs {
            let (key, file) = DataStore.keyAndFile(entry)
            try store.load(key: key, file: file)
        }
        var node = DataNode.Configuration(
            party: party, dataListen: p.data.listen, resultsListen: p.results.listen, tls: dataTLS(party), store: store, outputFolder: p.output)
        node.resultTables = p.resultTables
        node.metricsListen = p.data.metricsListen
        return node
    }
}
