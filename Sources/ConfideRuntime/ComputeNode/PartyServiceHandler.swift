import ConfideCore
import ConfideNet
import ConfideProtos
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2

/// CipherCore's `PartyService` on a ``ComputeNode``: the orchestrator's control calls and the
/// peers' `SendValue` streams.
///
/// Control calls need a client certificate naming exactly the `orchestrator` role, unless the node
/// runs with `control_auth: none` (then only together with an approval policy). `SendValue` needs
/// the certificate of exactly the party it claims, on every stream. Graphs run only when the
/// node's approval policy lists their exact bytes.
struct PartyServiceHandler: Ciphercore_PartyService.SimpleServiceProtocol {
    let node: ComputeNode

    func controlRefusal(_ context: ServerContext, _ call: String) async -> String? {
        await node.controlRefusal(context, call)
    }

    func registerGraph(request: Ciphercore_RegisterGraphRequest, context: ServerContext) async throws -> Ciphercore_RegisterGraphResponse {
        if let refusal = await controlRefusal(context, "RegisterGraph") { return .with { $0.result = .genericFailure; $0.message = refusal } }
        let id = request.graphID
        let shownID = NetRole.printable(id)
        guard !id.isEmpty else { return .with { $0.result = .genericFailure; $0.message = "graph_id is empty" } }
        if await node.graphs.contains(id) {
            return .with { $0.result = .duplicate; $0.message = "graph '\(shownID)' is already registered" }
        }
        let entry: GraphRegistry.Entry
        do {
            let bytes = [UInt8](request.graphJson)
            let envelope = try GraphEnvelope(bytes: bytes)
            let approval = try node.configuration.approvals.map { try $0.approval(of: bytes, envelope: envelope) }
            let plan = try envelope.plan()
            let cost = try GraphCost(envelope.context, plan: plan)
            if let excess = cost.excess(over: node.configuration.budget) {
                throw ConfideError(.tooLarge, "the graph is over this node's budget: \(excess)")
            }
            entry = GraphRegistry.Entry(
                plan: plan, approval: approval,
                kind: envelope.spec.map { "uncompiled, inputs \($0.inputs.map(\.description).joined(separator: ",")), output \($0.output)" } ?? "compiled",
                plannedRounds: plan.plannedRounds)
        } catch {
            let reason = RuntimeErrors.describe(error)
            node.log.warning("refused graph '\(shownID)': \(reason)")
            return .with { $0.result = .genericFailure; $0.message = "graph '\(shownID)' on party \(node.configuration.party): \(reason)" }
        }
        if let refusal = await node.graphs.add(id, entry, inUse: await node.sessions.liveGraphs()) { return refusal }
        let approved = entry.approval.map { ", approved as '\(NetRole.printable($0.name))'" } ?? ", no approval policy"
        node.log.info("registered graph '\(shownID)' (\(entry.kind), \(entry.plan.inputTypes.count) inputs\(approved))")
        return .with { $0.result = .success }
    }

    func createSession(request: Ciphercore_CreateSessionRequest, context: ServerContext) async throws -> Ciphercore_CreateSessionResponse {
        if let refusal = await controlRefusal(context, "CreateSession") { return .with { $0.result = .genericFailure; $0.message = refusal } }
        let party = node.configuration.party
        let id = request.sessionID
        func invalid(_ message: String) -> Ciphercore_CreateSessionResponse {
            node.log.warning("refused session '\(NetRole.printable(id))': \(message)")
            return .with { $0.result = .invalidConfiguration; $0.message = message }
        }
        guard !id.isEmpty else { return invalid("session_id is empty") }
        guard request.partyID == UInt64(party) else {
            return invalid("this compute node is party \(party), the request is for party \(request.partyID)")
        }
        guard request.partyAddress.count == 3 else {
            return invalid("party_address lists \(request.partyAddress.count) compute nodes, expected 3 (one per party, in party order)")
        }
        var endpoints: [RuntimeEndpoint] = []
        for (p, address) in request.partyAddress.enumerated() {
            guard !address.address.isEmpty, address.port > 0, address.port <= 65_535 else {
                return invalid("party_address[\(p)] '\(address.address):\(address.port)' is not a host and port")
            }
            endpoints.append(RuntimeEndpoint(host: RuntimeEndpoint.bare(address.address), port: Int(address.port)))
        }
        let dataRequest: Ciphercore_DataRequest
        do {
            dataRequest = try Ciphercore_DataRequest(serializedBytes: request.dataSettings)
        } catch {
            return invalid("data_settings is not a serialized DataRequest")
        }
        guard let graph = await node.graphs.entry(request.graphID) else {
            return .with { $0.result = .missingGraph; $0.message = "graph '\(request.graphID)' is not registered on party \(party)" }
        }
        let key = [UInt8](dataRequest.key)
        if let approval = graph.approval, let policy = node.configuration.approvals {
            do { try ApprovalPolicy.checkDataKey(key, of: approval, file: policy.file) } catch let error as ConfideError {
                return invalid(error.message)
            }
        }
        let link = SessionLink(sessionID: id, party: party, endpoints: endpoints, clients: node.peers)
        if let refusal = await node.sessions.create(id, graphID: request.graphID, link: link) {
            node.log.warning("refused session '\(NetRole.printable(id))': \(refusal.message)")
            return refusal
        }
        let task = Task { await node.runSession(id, graph: graph, dataKey: key, link: link) }
        await node.sessions.attach(id, task: task)
        node.log.info("created session '\(NetRole.printable(id))' of graph '\(NetRole.printable(request.graphID))' (data key '\(RuntimeText.key(key))')")
        return .with { $0.result = .success }
    }

    func finishSession(request: Ciphercore_FinishSessionRequest, context: ServerContext) async throws -> Ciphercore_FinishSessionResponse {
        if let refusal = await controlRefusal(context, "FinishSession") { return .with { $0.result = .genericFailure; $0.message = refusal } }
        guard let record = await node.sessions.finish(request.sessionID) else {
            return .with { $0.result = .missingSession; $0.message = "session '\(NetRole.printable(request.sessionID))' does not exist on party \(node.configuration.party)" }
        }
        node.log.info("finished session '\(NetRole.printable(request.sessionID))' (\(record.status))")
        return .with { response in
            response.result = .success
            switch record.status {
            case .failed: response.message = "the session failed: \(record.message)"
            case .created, .running: response.message = "the session was stopped while \(record.status == .created ? "created" : "running")"
            default: response.message = ""
            }
        }
    }

    func listSessions(request: Ciphercore_SessionListRequest, context: ServerContext) async throws -> Ciphercore_SessionListResponse {
        if await controlRefusal(context, "ListSessions") != nil { throw RPCError(code: .permissionDenied, message: "ListSessions needs the orchestrator certificate") }
        let entries = await node.sessions.list()
        return .with { response in
            response.session = entries.map { entry in .with { $0.sessionID = entry.id; $0.status = entry.status } }
        }
    }

    func sendValue(
        request: RPCAsyncSequence<Ciphercore_SendValueRequest, any Error>, response: RPCWriter<Ciphercore_SendValueResponse>,
        context: ServerContext
    ) async throws {
        let me = node.configuration.party
        let certified = await node.callerRole(context)
        var link: SessionLink?
        var peer = -1
        var seen = Set<UInt64>()
        var assembler = MessageAssembler(limit: RuntimeTransport.maxMessageBytes)
        func reply(_ status: Ciphercore_SendValueResponse.SendValueStatus, _ nodeID: UInt64, _ message: String = "") async throws {
            try await response.write(.with { $0.result = status; $0.nodeID = nodeID; $0.message = message })
        }
        do {
            for try await message in request {
                if link == nil {
                    let claimed = Int(clamping: message.partyID)
                    guard (0..<3).contains(claimed), claimed != me else {
                        try await reply(.wrongParty, message.nodeID, "party_id \(message.partyID) is not a peer of party \(me)")
                        return
                    }
                    guard certified == .party(claimed) else {
                        node.log.warning("refused SendValue claiming party \(claimed): the client certificate is not exactly party\(claimed)")
                        try await reply(.wrongParty, message.nodeID, "the client certificate is not exactly party\(claimed)")
                        return
                    }
                    guard let found = await node.sessions.link(message.sessionID, waitingUpTo: node.configuration.sessionWait) else {
                        try await reply(.unknownSession, message.nodeID, "session '\(message.sessionID)' does not exist on party \(me)")
                        return
                    }
                    link = found
                    peer = claimed
                }
                guard let link else { return }
                guard message.sessionID == link.sessionID, Int(clamping: message.partyID) == peer else {
                    try await reply(.wrongParty, message.nodeID, "one SendValue stream carries one session and one sender")
                    return
                }
                guard !seen.contains(message.nodeID) else {
                    try await reply(.duplicate, message.nodeID, "message \(message.nodeID) arrived twice")
                    continue
                }
                let bytes: [UInt8]
                do {
                    guard let whole = try assembler.accept(message.data, for: message.nodeID) else { continue }
                    bytes = whole
                } catch let error as ConfideError {
                    // A malformed chunk loses the message: the session cannot go on with this peer.
                    link.mailbox.failPeer(peer, ConfideError(.peerFailure, "party \(me): party \(peer) sent a malformed message: \(error.message)"))
                    try await reply(.unknownError, message.nodeID, error.message)
                    return
                }
                seen.insert(message.nodeID)
                if let error = link.mailbox.deliver(from: peer, tag: SessionLink.wireTag(message.nodeID), bytes: bytes) {
                    guard error.code == .tooLarge else {
                        try await reply(.duplicate, message.nodeID, error.message)
                        continue
                    }
                    link.mailbox.failPeer(peer, error)
                    try await reply(.unknownError, message.nodeID, error.message)
                    return
                }
                try await reply(.success, message.nodeID)
            }
        } catch {
            if let link, peer >= 0 {
                link.mailbox.failPeer(
                    peer, ConfideError(.peerFailure, "party \(me): the stream from party \(peer) in session '\(link.sessionID)' failed", cause: RuntimeErrors.describe(error)))
            }
        }
    }
}
