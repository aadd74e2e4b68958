import ConfideCore
import ConfideFLProtos
import ConfideRuntime
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Testing

@testable import ConfideFL

@Suite(.timeLimit(.minutes(10))) struct LargeModelTests {
    /// A 100 MiB model goes to a collaborator and a 100 MiB update comes back, both streamed in 1 MiB chunks.
    @Test func hundredMegabyteModelStreamsBothWays() async throws {
        let ws = try FLTestWorkspace(rounds: 1, secure: false) { $0.minimumCollaborators = 1; $0.cutoffSeconds = 0.2 }
        defer { ws.remove() }
        let parameters = 100 << 17  // 13,107,200 float64 values = 100 MiB
        var model = [Double](repeating: 0.25, count: parameters)
        model[parameters - 1] = 7
        try FLCheckpoint(nextRound: 1, model: model, history: []).write(to: ws.plan.path(ws.plan.checkpointFile))
        let aggregator = try FLAggregator(plan: ws.plan, log: Logger.node("aggregator", level: .warning))
        let server = Task { try await aggregator.run() }
        let port = try await port(of: aggregator)
        let tls = ws.tls("alice")
        let client = GRPCClient(transport: try RuntimeTransport.client(host: "127.0.0.1", port: port, security: try tls.clientSecurity(expecting: .named("aggregator")), serverName: "aggregator"))
        let connections = Task { try await client.runConnections() }
        let service = Confide_Fl_Aggregator.Client(wrapping: client)
        var taskRequest = Confide_Fl_TaskRequest()
        taskRequest.collaborator = "alice"
        let task = try await service.getTask(taskRequest)
        #expect(task.kind == .run && task.round == 1 && !task.attempt.isEmpty)
        var request = Confide_Fl_ModelRequest()
        request.collaborator = "alice"
        request.round = 1
        let (bytes, chunks) = try await service.getModel(request) { response in
            var data = Data(), count = 0
            for try await chunk in response.messages {
                data.append(chunk.data)
                count += 1
            }
            return (data, count)
        }
        #expect(bytes.count == parameters * 8 && chunks == 100)
        var fetched = try FLWire.doubles(bytes, what: "model")
        #expect(fetched.last == 7 && fetched[0] == 0.25)
        fetched[0] = 0.5
        let update = FLWire.bytes(fetched)
        _ = try await service.sendUpdate { writer in
            for (index, piece) in FLWire.chunks(update).enumerated() {
                var chunk = Confide_Fl_Chunk()
                chunk.collaborator = "alice"
                chunk.round = 1
                chunk.attempt = task.attempt
                chunk.data = piece
                if index == 0 {
                    chunk.totalBytes = UInt64(update.count)
                    chunk.encoding = "plain"
                    chunk.weight = 1
                }
                try await writer.write(chunk)
            }
        }
        // Like a collaborator, ask until told the federation is done: the aggregator then stops at once.
        var done = false
        for _ in 0..<600 where !done {
            done = try await service.getTask(taskRequest).kind == .done
            if !done { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(done)
        try await server.value
        client.beginGracefulShutdown()
        _ = try? await connections.value
        let result = await aggregator.result().model
        #expect(result.count == parameters && result[0] == 0.5 && result[parameters - 1] == 7)
    }
}
