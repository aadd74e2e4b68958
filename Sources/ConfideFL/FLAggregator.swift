import ConfideCore
import ConfideFLProtos
import ConfideNet
import ConfideRuntime
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Synchronization
import X509

/// The aggregator of a federation: a gRPC server (mutual TLS with the federation's CA) that hands
/// out tasks and the global model, collects (masked) updates, aggregates and checkpoints each round.
public final class FLAggregator: Sendable {
    public let plan: FLPlan
    let state: FLAggregatorState
    let log: Logger
    private let transport: HTTP2ServerTransport.Posix
    /// The service the server runs: ``FLAggregatorService``, or (in tests) a wrapper around it.
    private let service: @Sendable (FLAggregatorService) -> any RegistrableRPCService
    private let server = Mutex<GRPCServer<HTTP2ServerTransport.Posix>?>(nil)
    private let stopped = Mutex(false)
    /// Where `/metrics` is served over plain HTTP; nil: off.
    public let metricsListen: RuntimeEndpoint?
    private let boundMetricsPort = Mutex<Int?>(nil)

    /// - Throws: `.io` for unreadable TLS or registry files; `.invalidValue` for a corrupt checkpoint.
    /// - Parameter observer: called with the round and the new global model after every round.
    /// - Parameter metricsListen: where to serve `/metrics` (``FLAggregatorMetrics``); nil: off.
    public convenience init(
        plan: FLPlan, log: Logger = Logger.node("aggregator"), metricsListen: RuntimeEndpoint? = nil, observer: (@Sendable (UInt64, [Double]) -> Void)? = nil
    ) throws {
        try self.init(plan: plan, log: log, metricsListen: metricsListen, observer: observer, service: { $0 })
    }

    /// As the public initialiser, serving `service(FLAggregatorService)` (tests wrap the service to act as a malicious aggregator).
    init(
        plan: FLPlan, log: Logger, metricsListen: RuntimeEndpoint? = nil, observer: (@Sendable (UInt64, [Double]) -> Void)?,
        service: @escaping @Sendable (FLAggregatorService) -> any RegistrableRPCService
    ) throws {
        self.service = service
        self.metricsListen = metricsListen
        self.plan = plan
        self.log = log
        let tls = RuntimeTLS(caFile: plan.path(plan.caFile), certificateFile: plan.path(plan.certificateFile), keyFile: plan.path(plan.keyFile))
        try tls.checkReadable()
        let registered = try FLRegistry.loadCollaborators(plan.path(plan.collaboratorsFile))
        state = try FLAggregatorState(plan: plan, registered: registered, log: log, observer: observer)
        transport = try RuntimeTransport.server(host: plan.host, port: plan.port, security: tls.serverSecurity(requireClientCertificate: true))
    }

    /// Serves until the last round is aggregated (then returns) or ``stop()``.
    /// - Throws: `.invalidValue` when a round could not be unmasked (the federation stopped; see
    ///   ``FLSecAggUnmasker``); `.io` when the server cannot serve.
    public func run() async throws {
        guard let listen = metricsListen else { return try await serveRounds() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await MetricsServer(self.state.metrics.service, listen: listen).run(logger: self.log) { port in
                    self.boundMetricsPort.withLock { $0 = port }
                }
            }
            group.addTask { try await self.serveRounds() }
            // The rounds end the run (a metrics server that cannot bind ends it too, with its error).
            try await group.next()
            group.cancelAll()
        }
    }

    /// The port `/metrics` is served on, once it is.
    public func metricsPort() -> Int? {
        boundMetricsPort.withLock { $0 }
    }

    private func serveRounds() async throws {
        let server = GRPCServer(transport: transport, services: [service(FLAggregatorService(aggregator: self))])
        self.server.withLock { $0 = server }
        if stopped.withLock({ $0 }) { stop() }
        log.info("aggregating \(plan.rounds) rounds (\(plan.secure ? "secure aggregation" : "plain \(plan.aggregation.rawValue)")) on \(plan.host):\(plan.port)")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do { try await server.serve() } catch {
                    if self.stopped.withLock({ $0 }) { return }
                    throw ConfideError(.io, "cannot serve on \(self.plan.host):\(self.plan.port)", cause: "\(type(of: error))")
                }
            }
            group.addTask {
                // Ends with the federation or on stop().
                while !Task.isCancelled && !self.stopped.withLock({ $0 }) {
                    do { try await self.state.tick() } catch {
                        self.log.error("round failed: \((error as? ConfideError)?.message ?? "\(type(of: error))")")
                    }
                    if await self.state.finished {
                        // Serve until every collaborator of this run has learnt that the federation is done (one
                        // that left or died cannot: the straggler cut-off, and at least 10 s for a collaborator
                        // slowed down by its machine, bounds the wait).
                        let deadline = ContinuousClock.now + .seconds(max(10, self.plan.cutoffSeconds))
                        while await !self.state.everyoneToldDone, ContinuousClock.now < deadline, !self.stopped.withLock({ $0 }) {
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        self.stop()
                        return
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            try await group.waitForAll()
        }
        if let failure = await state.failure { throw failure }
    }

    public func listeningPort() async -> Int? {
        guard let address = try? await transport.listeningAddress else { return nil }
        return address.ipv4?.port ?? address.ipv6?.port
    }

    public func stop() {
        stopped.withLock { $0 = true }
        server.withLock { $0 }?.beginGracefulShutdown()
    }

    /// The final (or current) global model and the per-round metrics.
    public func result() async -> (model: [Double], history: [FLCheckpoint.RoundMetrics]) {
        (await state.model, await state.history)
    }

    /// Checks the claimed name: registered, and exactly the one role the client certificate names (``NetRole/of(certificate:)``).
    func authenticate(_ claimed: String, _ context: ServerContext) async throws {
        let certificate = try peerCertificate(context, claimed: claimed)
        guard (try? NetRole.of(certificate: certificate)) == .named(claimed) else {
            log.warning("rejected '\(NetRole.printable(claimed))': the client certificate is issued to \(Self.commonNames(certificate).map { NetRole.printable($0) }.joined(separator: ", "))")
            throw RPCError(code: .permissionDenied, message: "the certificate does not name collaborator '\(NetRole.printable(claimed))'")
        }
        guard await state.isRegistered(claimed) else {
            log.warning("rejected '\(NetRole.printable(claimed))': not a registered collaborator")
            throw RPCError(code: .permissionDenied, message: "'\(NetRole.printable(claimed))' is not a registered collaborator")
        }
    }

    /// The verified client certificate of the call.
    func peerCertificate(_ context: ServerContext, claimed: String) throws -> Certificate {
        guard let posix = context.transportSpecific as? HTTP2ServerTransport.Posix.Context, let certificate = posix.peerCertificate else {
            log.warning("rejected a call without a client certificate (claimed '\(NetRole.printable(claimed))')")
            throw RPCError(code: .unauthenticated, message: "a client certificate is required")
        }
        return certificate
    }

    static func commonNames(_ certificate: Certificate) -> [String] {
        var names: [String] = []
        for rdn in certificate.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                if let text = String(attribute.value) { names.append(text) }
            }
        }
        return names
    }

    /// Waits until `ready` answers, polling the round state.
    func wait<T: Sendable>(_ ready: @Sendable () async throws -> T?) async throws -> T {
        while true {
            if let value = try await ready() { return value }
            if stopped.withLock({ $0 }) { throw RPCError(code: .unavailable, message: "the aggregator is stopping") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Maps a ``ConfideError`` to a gRPC status the collaborator can act on.
func rpcError(_ error: ConfideError) -> RPCError {
    switch error.code {
    case .outOfRange: return RPCError(code: .failedPrecondition, message: error.message)
    case .authenticationFailed: return RPCError(code: .permissionDenied, message: error.message)
    default: return RPCError(code: .invalidArgument, message: error.message)
    }
}
