import ConfideCore
import ConfideMPC
import ConfideNet
import ConfideProtos
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Synchronization

/// A compute node: serves CipherCore's `PartyService` for one party, runs each session's part of
/// the protocol with the two peer nodes over `SendValue` streams, takes inputs from its party's
/// data service and gives results to its party's result service.
///
/// Sessions are independent: each has its own task, mailbox and streams, and a failing session
/// is marked FAILED without affecting the others or the node.
public final class ComputeNode: Sendable {
    public let configuration: ComputeNodeConfiguration
    let log: Logger
    let graphs: GraphRegistry
    let sessions: SessionTable
    let peers: PeerClients
    let services: PeerClients
    private let shutdowns = Mutex<[@Sendable () -> Void]>([])
    private let stopped = Mutex(false)
    private let stopSignal = AsyncStream.makeStream(of: Void.self)
    /// How long a stopping node waits for in-flight calls before closing its connections.
    public static let stopGrace = Duration.seconds(3)
    private let transport: NodeTransport
    private let serverTLSTransport: NodeTransport?
    /// The connections of the optional-certificate listeners (`control_auth: none`), to find a caller's certificate.
    let peerCertificates = PeerCertificates()
    /// What `/metrics` shows (kept whether or not it is served).
    let metrics: ComputeNodeMetrics
    private let boundMetricsPort = Mutex<Int?>(nil)

    /// Prepares the node (nothing listens until ``run()``).
    /// - Throws: the configuration's errors; `.invalidAddress` for a listen address that is not an IP literal or localhost.
    public init(_ configuration: ComputeNodeConfiguration, log: Logger? = nil) throws {
        try configuration.validate()
        self.configuration = configuration
        self.log = log ?? Logger.node("party\(configuration.party)")
        metrics = ComputeNodeMetrics(party: configuration.party)
        graphs = GraphRegistry(capacity: configuration.maxGraphs)
        sessions = SessionTable(capacity: configuration.maxSessions)
        peers = PeerClients(tls: configuration.tls)
        services = PeerClients(tls: configuration.tls)
        let certificates = peerCertificates
        func make(_ listen: RuntimeEndpoint) throws -> NodeTransport {
            switch configuration.controlAuth {
            case .certificate:
                return .mutual(
                    try RuntimeTransport.server(
                        host: listen.host, port: listen.port, security: configuration.tls.serverSecurity(requireClientCertificate: true)))
            case .none:
                return .optional(
                    HTTP2ServerTransport.Custom(
                        listenerFactory: try OptionalCertificateListener(host: listen.host, port: listen.port, tls: configuration.tls, certificates: certificates),
                        config: RuntimeTransport.customServerConfig))
            }
        }
        transport = try make(configuration.listen)
        serverTLSTransport = try configuration.serverTLSListen.map(make)
    }

    /// Serves until ``stop()`` is called or the task is cancelled; then cancels every session.
    /// - Throws: `.io` when the port cannot be bound (naming it).
    public func run() async throws {
        log.info("serving PartyService on \(configuration.listen) (data \(configuration.data), results \(configuration.results))")
        let servers = ([transport] + (serverTLSTransport.map { [$0] } ?? [])).map { $0.server([PartyServiceHandler(node: self), GraphAdminHandler(node: self)]) }
        shutdowns.withLock { $0 = servers.map(\.shutdown) }
        if stopped.withLock({ $0 }) { stop() }
        if let policy = configuration.approvals {
            log.info("running only the \(policy.approvals.count) graph\(policy.approvals.count == 1 ? "" : "s") approved in \(policy.file)")
        } else {
            log.warning("NO APPROVAL POLICY: any graph the orchestrator registers may run on this party's data (start with --approved-graphs FILE to allow only reviewed graphs)")
        }
        if configuration.controlAuth == .none {
            log.warning("control_auth none: any TLS client may register approved graphs and drive sessions")
        }
        if let listen = configuration.serverTLSListen {
            log.warning("also serving PartyService, with optional client certificates, on \(listen)")
        }
        do {
            try await withTaskCancellationHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for server in servers { group.addTask { try await server.serve() } }
                    if let listen = configuration.metricsListen {
                            let log = self.log
                        group.addTask {
                            try await MetricsServer(self.metrics.service, listen: listen).run(logger: log) { port in
                                self.boundMetricsPort.withLock { $0 = port }
                            }
                        }
                    }
                    // On stop: end every session (their streams end, so peers see this party go), let in-flight
                    // calls finish for a grace period, then close the connections by cancelling the servers.
                    let signal = stopSignal.stream
                    group.addTask {
                        for await _ in signal { break }
                        await self.sessions.closeAll()
                        try? await Task.sleep(for: ComputeNode.stopGrace)
                        throw CancellationError()
                    }
                    do {
                        for _ in servers { try await group.next() }
                        group.cancelAll()
                    } catch is CancellationError where stopped.withLock({ $0 }) {
                        group.cancelAll()
                    } catch {
                        self.stop()
                        group.cancelAll()
                        throw error
                    }
                }
            } onCancel: {
                self.stop()
            }
        } catch {
            await shutDown()
            throw ConfideError(.io, "party \(configuration.party): cannot serve on \(configuration.listen)", cause: RuntimeErrors.describe(error))
        }
        await shutDown()
    }

    /// The port the node listens on, once it does (nil if it failed to bind).
    public func listeningPort() async -> Int? {
        guard let address = await transport.listeningAddress else { return nil }
        return address.ipv4?.port ?? address.ipv6?.port
    }

    /// The port `/metrics` is served on, once it is (nil when off or not yet listening).
    public func metricsPort() -> Int? {
        boundMetricsPort.withLock { $0 }
    }

    /// Opens a session's party links without a graph: the communicator runs any collective code
    /// (kernels, benchmarks) over `SendValue` streams, as a graph session would. The session is
    /// listed as RUNNING until ``closeSession(_:)``.
    /// - Parameters:
    ///   - id: the session id; the three parties use the same one.
    ///   - endpoints: each party's compute node, in party order.
    /// - Throws: `.invalidArgument` for a duplicate id or a wrong endpoint count.
    public func openSession(_ id: String, endpoints: [RuntimeEndpoint]) async throws -> any Communicator {
        guard endpoints.count == 3 else { throw ConfideError(.invalidArgument, "a session links 3 compute nodes, got \(endpoints.count)") }
        let link = SessionLink(sessionID: id, party: configuration.party, endpoints: endpoints, clients: peers)
        if let refusal = await sessions.create(id, graphID: "", link: link) { throw ConfideError(.invalidArgument, refusal.message) }
        await sessions.set(id, .running)
        return SessionCommunicator(link: link, defaultTimeout: configuration.roundTimeout)
    }

    /// Ends a session opened with ``openSession(_:endpoints:)``.
    public func closeSession(_ id: String) async {
        await sessions.set(id, .finished)
        _ = await sessions.finish(id)
    }

    /// Stops accepting calls and ends every session; ``run()`` returns once in-flight calls have
    /// ended, or after ``stopGrace``.
    public func stop() {
        stopped.withLock { $0 = true }
        stopSignal.continuation.yield()
        stopSignal.continuation.finish()
        for shutdown in shutdowns.withLock({ $0 }) { shutdown() }
    }

    private func shutDown() async {
        await sessions.closeAll()
        peers.closeAll()
        services.closeAll()
        log.info("stopped")
    }
}

/// A compute node's listener: mutual TLS (`control_auth: certificate`), or TLS with optional
/// client certificates (`control_auth: none`).
enum NodeTransport: Sendable {
    case mutual(HTTP2ServerTransport.Posix)
    case optional(HTTP2ServerTransport.Custom<OptionalCertificateListener>)

    /// A gRPC server on this transport, as the two calls ``ComputeNode`` needs.
    func server(_ services: [any RegistrableRPCService]) -> (serve: @Sendable () async throws -> Void, shutdown: @Sendable () -> Void) {
        switch self {
        case let .mutual(transport):
            let server = GRPCServer(transport: transport, services: services)
            return ({ try await server.serve() }, { server.beginGracefulShutdown() })
        case let .optional(transport):
            let server = GRPCServer(transport: transport, services: services)
            return ({ try await server.serve() }, { server.beginGracefulShutdown() })
        }
    }

    /// The bound address, once listening.
    var listeningAddress: GRPCNIOTransportHTTP2.SocketAddress? {
        get async {
            switch self {
            case let .mutual(transport): return try? await transport.listeningAddress
            case let .optional(transport): return await transport.listeningAddress
            }
        }
    }
}
