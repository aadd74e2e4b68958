import ConfideCore
import ConfideData
import ConfideNet
import ConfideProtos
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Synchronization

/// A party's data node: `DataManagerService` (inputs by key) on one port and
/// `ResultProviderService` (results stored as typed JSON) on another, both mutual TLS, both
/// answering only the compute node of their own party (a client certificate naming `partyP`).
public final class DataNode: Sendable {
    public struct Configuration: Sendable {
        public var party: Int
        public var dataListen: RuntimeEndpoint
        public var resultsListen: RuntimeEndpoint
        /// The data node's own certificate (`party{p}/data_cert.pem`) and the CA.
        public var tls: RuntimeTLS
        public var store: DataStore
        public var outputFolder: String
        /// Table formats results are also written in (see ``ResultStore/tables``).
        public var resultTables: [OutputFile.Format] = []
        /// Fixed-point scale of CSV result tables (decimals x / 2^f), if any.
        public var resultFractionalBits: Int?
        /// Where `/metrics` is served over plain HTTP (`--metrics-port`, YAML `data.metrics_port`); nil: off.
        public var metricsListen: RuntimeEndpoint?

        public init(party: Int, dataListen: RuntimeEndpoint, resultsListen: RuntimeEndpoint, tls: RuntimeTLS, store: DataStore, outputFolder: String) {
            self.party = party
            self.dataListen = dataListen
            self.resultsListen = resultsListen
            self.tls = tls
            self.store = store
            self.outputFolder = outputFolder
        }
    }

    public let configuration: Configuration
    let log: Logger
    let results: ResultStore
    /// What `/metrics` shows (kept whether or not it is served).
    let metrics = DataNodeMetrics()
    private let boundMetricsPort = Mutex<Int?>(nil)
    private let dataTransport: HTTP2ServerTransport.Posix
    private let resultsTransport: HTTP2ServerTransport.Posix
    private let servers = Mutex<[GRPCServer<HTTP2ServerTransport.Posix>]>([])
    private let stopped = Mutex(false)

    /// - Throws: `.invalidArgument` for a party outside 0...2; `.io` for unreadable TLS files or an
    ///   output folder that cannot be created; `.invalidAddress` for a listen address that is not an IP literal.
    public init(_ configuration: Configuration, log: Logger? = nil) throws {
        guard (0..<3).contains(configuration.party) else {
            throw ConfideError(.invalidArgument, "party \(configuration.party) does not exist: expected 0, 1 or 2")
        }
        try configuration.tls.checkReadable()
        self.configuration = configuration
        self.log = log ?? Logger.node("party\(configuration.party)-data")
        results = try ResultStore(
            folder: configuration.outputFolder, tables: configuration.resultTables, fractionalBits: configuration.resultFractionalBits)
        let security = configuration.tls.serverSecurity(requireClientCertificate: true)
        dataTransport = try RuntimeTransport.server(host: configuration.dataListen.host, port: configuration.dataListen.port, security: security)
        resultsTransport = try RuntimeTransport.server(
            host: configuration.resultsListen.host, port: configuration.resultsListen.port, security: security)
    }

    /// Serves both services until ``stop()`` or cancellation.
    /// - Throws: `.io` naming the port that cannot be bound.
    public func run() async throws {
        let data = GRPCServer(transport: dataTransport, services: [DataManagerHandler(node: self)])
        let results = GRPCServer(transport: resultsTransport, services: [ResultProviderHandler(node: self)])
        servers.withLock { $0 = [data, results] }
        if stopped.withLock({ $0 }) { stop() }
        log.info("serving inputs on \(configuration.dataListen) [\(configuration.store.summary)] and results on \(configuration.resultsListen) into \(configuration.outputFolder)")
        try await withTaskCancellationHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do { try await data.serve() } catch {
                        throw ConfideError(.io, "cannot serve inputs on \(self.configuration.dataListen)", cause: RuntimeErrors.describe(error))
                    }
                }
                group.addTask {
                    do { try await results.serve() } catch {
                        throw ConfideError(.io, "cannot serve results on \(self.configuration.resultsListen)", cause: RuntimeErrors.describe(error))
                    }
                }
                if let listen = configuration.metricsListen {
                    let log = self.log
                    let metrics = self.metrics.service
                    group.addTask {
                        try await MetricsServer(metrics, listen: listen).run(logger: log) { port in
                            self.boundMetricsPort.withLock { $0 = port }
                        }
                    }
                }
                do {
                    // The two gRPC servers end on stop(); the metrics server goes with them.
                    for _ in 0..<2 { try await group.next() }
                    group.cancelAll()
                } catch {
                    self.stop()
                    throw error
                }
            }
        } onCancel: {
            self.stop()
        }
        log.info("stopped")
    }

    /// The ports the two services listen on, once they do.
    public func listeningPorts() async -> (data: Int, results: Int)? {
        guard let data = try? await dataTransport.listeningAddress, let results = try? await resultsTransport.listeningAddress,
            let dataPort = data.ipv4?.port ?? data.ipv6?.port, let resultsPort = results.ipv4?.port ?? results.ipv6?.port
        else { return nil }
        return (dataPort, resultsPort)
    }

    /// The port `/metrics` is served on, once it is (nil when off or not yet listening).
    public func metricsPort() -> Int? {
        boundMetricsPort.withLock { $0 }
    }

    public func stop() {
        stopped.withLock { $0 = true }
        for server in servers.withLock({ $0 }) { server.beginGracefulShutdown() }
    }

    /// Whether the caller presents a certificate naming exactly this data node's compute node (`partyP`).
    func isOwnComputeNode(_ context: ServerContext) -> Bool {
        RuntimeTLS.certifiedRole(context) == .party(configuration.party)
    }
}

/// `DataManagerService.GetValue`: the typed values stored under a key.
struct DataManagerHandler: Ciphercore_DataManagerService.SimpleServiceProtocol {
    let node: DataNode

    func getValue(request: Ciphercore_GetValueRequest, context: ServerContext) async throws -> Ciphercore_GetValueResponse {
        let party = node.configuration.party
        let key = RuntimeText.key([UInt8](request.key))
        guard node.isOwnComputeNode(context) else {
            node.log.warning("refused a GetValue for key '\(key)': the client certificate does not name party\(party)")
            node.metrics.count(.data, .refused)
            return .with { $0.status = .error; $0.error = "only the compute node of party \(party) may read its inputs" }
        }
        guard let values = node.configuration.store.values[[UInt8](request.key)] else {
            node.log.warning("GetValue for missing key '\(key)'")
            node.metrics.count(.data, .error)
            return .with { $0.status = .error; $0.error = "data key '\(key)' is not on the data node of party \(party)" }
        }
        do {
            let typed = try values.map { try Ciphercore_TypedValue($0) }
            node.log.info("gave \(values.count) value\(values.count == 1 ? "" : "s") for key '\(key)'")
            node.metrics.count(.data, .ok)
            return .with { $0.status = .ok; $0.typedValue = typed }
        } catch {
            node.metrics.count(.data, .error)
            return .with { $0.status = .error; $0.error = "cannot encode the values of key '\(key)': \(RuntimeErrors.describe(error))" }
        }
    }
}

/// `ResultProviderService.ProvideResult`: stores the result (or the failure) under its key.
struct ResultProviderHandler: Ciphercore_ResultProviderService.SimpleServiceProtocol {
    let node: DataNode

    func provideResult(request: Ciphercore_ProvideResultRequest, context: ServerContext) async throws -> Ciphercore_ProvideResultResponse {
        let party = node.configuration.party
        let shown = NetRole.printable(request.key)
        guard node.isOwnComputeNode(context) else {
            node.log.warning("refused a result for key '\(shown)': the client certificate does not name party\(party)")
            node.metrics.count(.results, .refused)
            return .with { $0.status = .error; $0.error = "only the compute node of party \(party) may deliver its results" }
        }
        do {
            let value = request.hasTypedValue ? try request.typedValue.decoded(expected: nil, what: "the result of '\(shown)'") : nil
            let (path, skipped) = try node.results.store(key: request.key, value: value, error: request.error.isEmpty ? nil : request.error)
            if let value {
                node.log.info("result for '\(shown)' arrived (\(value.type)), stored in \(path)")
                for reason in skipped { node.log.warning("result for '\(shown)' is stored as JSON only: \(reason)") }
            } else {
                node.log.warning("session '\(shown)' reported a failure: \(NetRole.printable(request.error, limit: 500)); stored in \(path)")
            }
            node.metrics.count(.results, .ok)
            return .with { $0.status = .ok }
        } catch {
            node.metrics.count(.results, .error)
            let reason = RuntimeErrors.describe(error)
            node.log.warning("refused a result for '\(shown)': \(reason)")
            return .with { $0.status = .error; $0.error = reason }
        }
    }
}
