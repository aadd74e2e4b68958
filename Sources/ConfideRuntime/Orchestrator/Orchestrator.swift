import ConfideCore
import ConfideProtos
import Foundation
import GRPCCore

/// The orchestrator's side of CipherCore's flow: register a graph on the three compute nodes,
/// create a session, follow it until no party is CREATED or RUNNING, and finish it.
public final class Orchestrator: Sendable {
    /// How each party's compute node is reached, in party order.
    public let nodes: [RuntimeEndpoint]
    private let clients: [RuntimeClient]

    /// What one session ended with on each party.
    public struct Outcome: Sendable {
        public var sessionID: String
        public var statuses: [Status]
        /// FinishSession's message per party (the failure reason of a FAILED party).
        public var messages: [String]
        public var succeeded: Bool { statuses.allSatisfy { $0 == .finished } }
    }

    /// - Throws: `.invalidArgument` unless there are three nodes.
    public init(nodes: [RuntimeEndpoint], tls: RuntimeTLS) throws {
        guard nodes.count == 3 else { throw ConfideError(.invalidArgument, "an orchestrator drives 3 compute nodes, got \(nodes.count)") }
        self.nodes = nodes
        clients = try nodes.enumerated().map { try RuntimeClient($1, tls: tls, expecting: .party($0)) }
    }

    public func close() {
        for client in clients { client.close() }
    }

    private func service(_ party: Int) -> Ciphercore_PartyService.Client<RuntimeClient.Transport> {
        Ciphercore_PartyService.Client(wrapping: clients[party].client)
    }

    private func options(_ timeout: Duration) -> CallOptions {
        var options = CallOptions.defaults
        options.timeout = timeout
        return options
    }

    /// Waits until every compute node answers ListSessions, retrying with back-off (nodes may still be starting).
    /// - Throws: `.timeout` naming the nodes that did not answer within `deadline`.
    public func connect(within deadline: Duration, onRetry: @Sendable (Int, String) -> Void = { _, _ in }) async throws {
        let start = ContinuousClock.now
        var delay = Duration.milliseconds(100)
        for party in 0..<3 {
            while true {
                do {
                    _ = try await service(party).listSessions(.init(), options: options(.seconds(5)))
                    break
                } catch {
                    if ContinuousClock.now - start > deadline {
                        throw ConfideError(
                            .timeout, "the compute node of party \(party) at \(nodes[party]) did not answer within \(deadline)", cause: RuntimeErrors.describe(error))
                    }
                    onRetry(party, RuntimeErrors.describe(error))
                    try await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(2))
                }
            }
        }
    }

    /// Registers `graphJSON` under `graphID` on the three nodes.
    /// - Throws: `.invalidGraph` naming the party that refused it and why (DUPLICATE included).
    public func register(graphID: String, graphJSON: [UInt8]) async throws {
        for party in 0..<3 {
            let response = try await call(party, "RegisterGraph") {
                try await self.service(party).registerGraph(.with { $0.graphID = graphID; $0.graphJson = Data(graphJSON) }, options: self.options(.seconds(120)))
            }
            guard response.result == .success else {
                throw ConfideError(.invalidGraph, "party \(party) refused graph '\(graphID)' (\(response.result)): \(response.message)")
            }
        }
    }

    /// Deletes graph `graphID` from the three nodes (Confide's GraphAdmin; CipherCore nodes lack it).
    /// Sessions already running it finish with it.
    /// - Throws: `.invalidArgument` naming the first party that does not hold the graph or refuses;
    ///   `.io` for a node that does not answer. Every node is asked, whatever an earlier one said.
    public func deleteGraph(_ graphID: String) async throws {
        var failures: [ConfideError] = []
        for party in 0..<3 {
            do {
                let response = try await call(party, "DeleteGraph") {
                    try await self.admin(party).deleteGraph(.with { $0.graphID = graphID }, options: self.options(.seconds(30)))
                }
                if response.result != .success {
                    failures.append(ConfideError(.invalidArgument, "party \(party) did not delete graph '\(graphID)' (\(response.result)): \(response.message)"))
                }
            } catch let error as ConfideError {
                failures.append(error)
            }
        }
        if let first = failures.first { throw first }
    }

    /// The graphs party `party`'s node holds, least recently used first.
    /// - Throws: `.io` when the node does not answer or refuses the caller.
    public func graphs(on party: Int) async throws -> [Confide_ListGraphsResponse.GraphEntry] {
        try await call(party, "ListGraphs") { try await self.admin(party).listGraphs(.init(), options: self.options(.seconds(30))) }.graphs
    }

    /// How far a session has come on party `party`'s node (Confide's GraphAdmin).
    /// - Returns: nil when the node does not know the session or cannot say (a CipherCore node).
    public func progress(_ sessionID: String, party: Int) async -> Confide_SessionProgressResponse? {
        guard let response = try? await admin(party).sessionProgress(.with { $0.sessionID = sessionID }, options: options(.seconds(5))),
            response.result == .success
        else { return nil }
        return response
    }

    private func admin(_ party: Int) -> Confide_GraphAdmin.Client<RuntimeClient.Transport> {
        Confide_GraphAdmin.Client(wrapping: clients[party].client)
    }

    /// Creates the session on the three nodes.
    /// - Parameters:
    ///   - dataKeys: the data key each party's compute node asks its data node for.
    ///   - partyAddresses: how the compute nodes reach each other (defaults to ``nodes``).
    /// - Throws: `.invalidArgument` naming the party that refused and its status (MISSING_GRAPH,
    ///   DUPLICATE_SESSION, INVALID_CONFIGURATION).
    public func createSession(_ sessionID: String, graphID: String, dataKeys: [String], partyAddresses: [RuntimeEndpoint]? = nil) async throws {
        guard dataKeys.count == 3 else { throw ConfideError(.invalidArgument, "a session needs 3 data keys, got \(dataKeys.count)") }
        let addresses = (partyAddresses ?? nodes).map { endpoint in
            Ciphercore_Address.with { $0.address = endpoint.host; $0.port = UInt32(endpoint.port) }
        }
        for party in 0..<3 {
            let settings = try Ciphercore_DataRequest.with { $0.key = Data(dataKeys[party].utf8) }.serializedBytes() as [UInt8]
            let request = Ciphercore_CreateSessionRequest.with {
                $0.sessionID = sessionID
                $0.graphID = graphID
                $0.partyID = UInt64(party)
                $0.dataSettings = Data(settings)
                $0.partyAddress = addresses
            }
            let response = try await call(party, "CreateSession") {
                try await self.service(party).createSession(request, options: self.options(.seconds(30)))
            }
            guard response.result == .success else {
                throw ConfideError(.invalidArgument, "party \(party) refused session '\(sessionID)' (\(response.result)): \(response.message)")
            }
        }
    }

    /// What one party's node says of a session.
    public enum Report: Sendable, Equatable {
        case listed(Status)
        /// The node answers but does not list the session.
        case absent
        /// The node does not answer (the reason, without values).
        case unreachable(String)
    }

    /// The session's state on each party.
    public func reports(_ sessionID: String) async -> [Report] {
        var out: [Report] = []
        for party in 0..<3 {
            do {
                let list = try await service(party).listSessions(.init(), options: options(.seconds(5)))
                out.append(list.session.first { $0.sessionID == sessionID }.map { .listed(Status($0.status)) } ?? .absent)
            } catch {
                out.append(.unreachable(RuntimeErrors.describe(error)))
            }
        }
        return out
    }

    /// Polls until no party is CREATED or RUNNING, or one party FAILED (``run`` then finishes the
    /// others, which cancels them). A node that does not answer keeps its last known status
    /// until it has been silent for `unreachableGrace`, then counts as FAILED (``SessionStatusTracker``).
    /// - Throws: `.timeout` after `deadline`; `.invalidArgument` when a node does not list the session.
    public func wait(
        for sessionID: String, deadline: Duration, unreachableGrace: Duration = .seconds(15), progress: @Sendable ([Status]) -> Void = { _ in }
    ) async throws -> [Status] {
        let clock = ContinuousClock()
        let start = clock.now
        var delay = Duration.milliseconds(20)
        var tracker = SessionStatusTracker(unreachableGrace: unreachableGrace)
        while true {
            let reports = await reports(sessionID)
            if let absent = reports.firstIndex(of: .absent) {
                throw ConfideError(.invalidArgument, "session '\(sessionID)' is not listed by party \(absent)")
            }
            let now = clock.now
            tracker.update(reports, at: now)
            progress(tracker.statuses)
            if tracker.decided { return tracker.statuses }
            guard now - start < deadline else {
                throw ConfideError(.timeout, "session '\(sessionID)' did not end within \(deadline)")
            }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .milliseconds(500))
        }
    }

    /// Finishes the session on the three nodes.
    /// - Returns: each party's FinishSession message (a failed party's reason).
    public func finish(_ sessionID: String) async -> [String] {
        var messages: [String] = []
        for party in 0..<3 {
            do {
                let response = try await service(party).finishSession(.with { $0.sessionID = sessionID }, options: options(.seconds(10)))
                messages.append(response.result == .success ? response.message : "\(response.result): \(response.message)")
            } catch {
                messages.append("the compute node at \(nodes[party]) does not answer (\(RuntimeErrors.describe(error)))")
            }
        }
        return messages
    }

    /// Registers (unless `graphID` is already known to the caller), creates, waits and finishes. When
    /// one party fails, the others are stopped at once and count as FAILED too (their FinishSession
    /// message says they were stopped).
    /// - Parameter deleteGraph: delete the graph from the nodes afterwards (it was registered for
    ///   this session only), also when the session could not be created. A node that cannot delete
    ///   it (a CipherCore node has no GraphAdmin) leaves it to its registry's eviction.
    public func run(
        graphJSON: [UInt8]?, graphID: String, sessionID: String, dataKeys: [String], partyAddresses: [RuntimeEndpoint]? = nil,
        deadline: Duration = .seconds(600), deleteGraph: Bool = false, progress: @Sendable ([Status]) -> Void = { _ in }
    ) async throws -> Outcome {
        if let graphJSON { try await register(graphID: graphID, graphJSON: graphJSON) }
        var statuses: [Status]
        do {
            try await createSession(sessionID, graphID: graphID, dataKeys: dataKeys, partyAddresses: partyAddresses)
            statuses = try await wait(for: sessionID, deadline: deadline, progress: progress)
        } catch {
            if deleteGraph { try? await self.deleteGraph(graphID) }
            throw error
        }
        let messages = await finish(sessionID)
        if deleteGraph { try? await self.deleteGraph(graphID) }
        if statuses.contains(.failed) { statuses = statuses.map { $0 == .finished ? $0 : .failed } }
        return Outcome(sessionID: sessionID, statuses: statuses, messages: messages)
    }

    private func call<T: Sendable>(_ party: Int, _ method: String, _ body: @Sendable () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw ConfideError(.io, "\(method) on party \(party) at \(nodes[party]) failed", cause: RuntimeErrors.describe(error))
        }
    }
}
