import ConfideCore

/// How a session's parties talk to each other.
public enum PartyTransport: String, Sendable, CaseIterable {
    /// `PartyService.SendValue` streams on the compute port (the default).
    case sendValue = "grpc"
    /// A ConfideNet socket communicator per session (mutual TLS with the node's certificate) on an
    /// OS-chosen port of the compute node's listen address; the ports are agreed over SendValue.
    case socket
}

/// Who may make a compute node's control calls (RegisterGraph, CreateSession, ListSessions,
/// FinishSession).
public enum ControlAuth: String, Sendable, CaseIterable {
    /// Only a client whose certificate names the `orchestrator` role (the default).
    case certificate
    /// Any client that reached the node over TLS: the node's listeners ask for a client certificate
    /// but admit clients without one (CipherCore's example orchestrator, which gives peers the same
    /// port); `SendValue` still needs a party certificate. Allowed only with an approval policy,
    /// which then is the only thing between a caller and the party's data.
    case none
}

/// How one compute node runs: its party, where it listens, its own data and result services, its
/// TLS files and its timeouts.
public struct ComputeNodeConfiguration: Sendable {
    /// This node's party, 0, 1 or 2.
    public var party: Int
    /// Where the node serves `PartyService` (port 0: chosen by the OS).
    public var listen: RuntimeEndpoint
    /// This party's data service (`DataManagerService`).
    public var data: RuntimeEndpoint
    /// This party's result service (`ResultProviderService`).
    public var results: RuntimeEndpoint
    public var tls: RuntimeTLS
    /// How long a round waits for a peer's message before the session fails.
    public var roundTimeout: Duration
    /// How long a data or result call may take.
    public var serviceTimeout: Duration
    /// How long a peer's `SendValue` stream waits for its session to be created on this node.
    public var sessionWait: Duration
    /// A second listener, the same as the main one (`--server-tls-port`, kept for deployments that
    /// used it); only with `control_auth: none`.
    public var serverTLSListen: RuntimeEndpoint?
    /// The party links of sessions.
    public var partyTransport: PartyTransport = .sendValue
    /// The most graphs and sessions a node holds.
    public var maxGraphs: Int
    public var maxSessions: Int
    /// The graphs this party's operator approved; nil: every graph may run (the node says so loudly).
    public var approvals: ApprovalPolicy?
    /// Who may make control calls.
    public var controlAuth: ControlAuth = .certificate
    /// The most one graph may cost; RegisterGraph refuses more.
    public var budget = GraphBudget()
    /// Where `/metrics` is served over plain HTTP (`--metrics-port`, YAML `compute.metrics_port`); nil: off.
    public var metricsListen: RuntimeEndpoint?

    public init(
        party: Int, listen: RuntimeEndpoint, data: RuntimeEndpoint, results: RuntimeEndpoint, tls: RuntimeTLS,
        roundTimeout: Duration = .seconds(30), serviceTimeout: Duration = .seconds(30), sessionWait: Duration = .seconds(30),
        serverTLSListen: RuntimeEndpoint? = nil, partyTransport: PartyTransport = .sendValue, maxGraphs: Int = 256, maxSessions: Int = 1024
    ) {
        self.partyTransport = partyTransport
        self.party = party
        self.listen = listen
        self.data = data
        self.results = results
        self.tls = tls
        self.roundTimeout = roundTimeout
        self.serviceTimeout = serviceTimeout
        self.sessionWait = sessionWait
        self.serverTLSListen = serverTLSListen
        self.maxGraphs = maxGraphs
        self.maxSessions = maxSessions
    }

    /// Checks the party, the control-plane settings and the TLS files.
    /// - Throws: `.invalidArgument` for a party outside 0...2, `control_auth: none` without an
    ///   approval policy, or a server-side-TLS listener without `control_auth: none`; `.io` naming an
    ///   unreadable TLS file.
    public func validate() throws {
        guard (0..<3).contains(party) else { throw ConfideError(.invalidArgument, "party \(party) does not exist: expected 0, 1 or 2") }
        if controlAuth == .none && approvals == nil {
            throw ConfideError(.invalidArgument, "control_auth none lets any TLS client drive sessions: it needs an approval policy (--approved-graphs)")
        }
        if serverTLSListen != nil && controlAuth != .none {
            throw ConfideError(
                .invalidArgument, "the server-side-TLS listener serves clients without a certificate: it needs control_auth none and an approval policy")
        }
        try tls.checkReadable()
    }
}
