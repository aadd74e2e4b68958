import ConfideNet
import ConfideProtos
import GRPCCore

/// Confide's `GraphAdmin` on a ``ComputeNode`` (beside CipherCore's PartyService, same port and
/// the same control-call authorization): delete and list registered graphs, and report a
/// session's progress.
struct GraphAdminHandler: Confide_GraphAdmin.SimpleServiceProtocol {
    let node: ComputeNode

    func deleteGraph(request: Confide_DeleteGraphRequest, context: ServerContext) async throws -> Confide_DeleteGraphResponse {
        if let refusal = await node.controlRefusal(context, "DeleteGraph") {
            return .with {
                $0.result = .genericFailure; $0.message = refusal
            }
        }
        let shownID = NetRole.printable(request.graphID)
        guard await node.graphs.remove(request.graphID) else {
            return .with {
                $0.result = .missingGraph; $0.message = "graph '\(shownID)' is not registered on party \(node.configuration.party)"
            }
        }
        let live = await node.sessions.liveSessionsPerGraph()[request.graphID] ?? 0
        let note = live > 0 ? " (\(live) live session\(live == 1 ? "" : "s") finish with it)" : ""
        node.log.info("deleted graph '\(shownID)'\(note)")
        return .with { $0.result = .success }
    }

    func listGraphs(request: Confide_ListGraphsRequest, context: ServerContext) async throws -> Confide_ListGraphsResponse {
        if await node.controlRefusal(context, "ListGraphs") != nil {
            throw RPCError(code: .permissionDenied, message: "ListGraphs needs the orchestrator certificate")
        }
        let graphs = await node.graphs.list()
        let live = await node.sessions.liveSessionsPerGraph()
        return .with { response in
            response.graphs = graphs.map { graph in
                .with {
                    $0.graphID = graph.id
                    $0.kind = graph.entry.kind
                    $0.approval = graph.entry.approval?.name ?? ""
                    $0.liveSessions = UInt64(live[graph.id] ?? 0)
                }
            }
        }
    }

    func sessionProgress(request: Confide_SessionProgressRequest, context: ServerContext) async throws -> Confide_SessionProgressResponse {
        if let refusal = await node.controlRefusal(context, "SessionProgress") { return .with { $0.result = .genericFailure; $0.message = refusal } }
        guard let progress = await node.sessions.progress(request.sessionID) else {
            return .with {
                $0.result = .missingSession
                $0.message = "session '\(NetRole.printable(request.sessionID))' does not exist on party \(node.configuration.party)"
            }
        }
        return .with {
            $0.result = .success
            $0.rounds = UInt64(progress.reading.rounds)
            $0.bytesSent = UInt64(progress.reading.bytesSent)
            $0.bytesReceived = UInt64(progress.reading.bytesReceived)
            $0.plannedRounds = UInt64(max(0, progress.plannedRounds ?? 0))
        }
    }
}
