import ConfideCore
import ConfideGraph
import ConfideProtos
import Foundation
import GRPCCore
import Testing

@testable import ConfideRuntime

/// Bad requests and failures: each gets the listed status or a FAILED session, and the nodes keep serving.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ComputeNodeFaultTests {
    private func client(_ deployment: LocalDeployment, _ party: Int) throws -> (RuntimeClient, Ciphercore_PartyService.Client<RuntimeClient.Transport>) {
        let client = try RuntimeClient(deployment.endpoints[party], tls: deployment.orchestratorTLS, expecting: .party(party))
        return (client, Ciphercore_PartyService.Client(wrapping: client.client))
    }

    private func createRequest(_ session: String, graph: String, party: Int, addresses: [RuntimeEndpoint], key: String = "test") throws -> Ciphercore_CreateSessionRequest {
        let settings: [UInt8] = try Ciphercore_DataRequest.with { $0.key = Data(key.utf8) }.serializedBytes()
        return .with {
            $0.sessionID = session
            $0.graphID = graph
            $0.partyID = UInt64(party)
            $0.dataSettings = Data(settings)
            $0.partyAddress = addresses.map { endpoint in .with { $0.address = endpoint.host; $0.port = UInt32(endpoint.port) } }
        }
    }

    @Test func badRequestsGetTheirStatuses() async throws {
        let deployment = try await LocalDeployment(inputs: millionairesInputs)
        let (connection, party0) = try client(deployment, 0)
        let graph = try graphBytes(RuntimeExamples.path("two_millionaires/graph.json"))

        let registered = try await party0.registerGraph(.with { $0.graphID = "g"; $0.graphJson = Data(graph) })
        #expect(registered.result == .success)
        let duplicate = try await party0.registerGraph(.with { $0.graphID = "g"; $0.graphJson = Data(graph) })
        #expect(duplicate.result == .duplicate)
        let malformed = try await party0.registerGraph(.with { $0.graphID = "bad"; $0.graphJson = Data("{\"version\":2,\"data\":\"{".utf8) })
        #expect(malformed.result == .genericFailure)
        #expect(malformed.message.contains("bad"))

        let missing = try await party0.createSession(try createRequest("s", graph: "nope", party: 0, addresses: deployment.endpoints))
        #expect(missing.result == .missingGraph)
        let wrongParty = try await party0.createSession(try createRequest("s", graph: "g", party: 1, addresses: deployment.endpoints))
        #expect(wrongParty.result == .invalidConfiguration)
        #expect(wrongParty.message.contains("party 0"))
        let twoParties = try await party0.createSession(try createRequest("s", graph: "g", party: 0, addresses: Array(deployment.endpoints.prefix(2))))
        #expect(twoParties.result == .invalidConfiguration)
        var badSettings = try createRequest("s", graph: "g", party: 0, addresses: deployment.endpoints)
        badSettings.dataSettings = Data([0xFF, 0xFF, 0xFF])
        #expect(try await party0.createSession(badSettings).result == .invalidConfiguration)

        let finishUnknown = try await party0.finishSession(.with { $0.sessionID = "never" })
        #expect(finishUnknown.result == .missingSession)
        connection.close()
        await deployment.stop()
    }

    @Test func duplicateSessionAndMissingDataKeyFailCleanly() async throws {
        let deployment = try await LocalDeployment(inputs: millionairesInputs, roundTimeout: .seconds(10))
        let orchestrator = try deployment.orchestrator()
        try await orchestrator.connect(within: .seconds(20))
        try await orchestrator.register(graphID: "g", graphJSON: try graphBytes(RuntimeExamples.path("two_millionaires/graph.json")))

        // Party 1's data node has no key "absent": party 1 fails naming the key and reports it to its result
        // service before ListSessions shows FAILED; the orchestrator then stops the others at once (before
        // their round timeout), so no session stays RUNNING.
        let failed = try await orchestrator.run(graphJSON: nil, graphID: "g", sessionID: "f1", dataKeys: ["test", "absent", "test"], deadline: .seconds(60))
        #expect(failed.statuses == [.failed, .failed, .failed])
        #expect(!failed.succeeded)
        #expect(failed.messages[1].contains("absent"))
        let stored = try deployment.result("f1", party: 1)
        #expect(stored.value == nil && stored.error?.contains("absent") == true)
        #expect(deployment.logs.all.contains { $0.contains("party1") && $0.contains("session 'f1' failed") && $0.contains("absent") })

        let (connection, party0) = try client(deployment, 0)
        try await orchestrator.createSession("s2", graphID: "g", dataKeys: ["test", "test", "test"])
        let again = try await party0.createSession(try createRequest("s2", graph: "g", party: 0, addresses: deployment.endpoints))
        #expect(again.result == .duplicateSession)
        let statuses = try await orchestrator.wait(for: "s2", deadline: .seconds(60))
        #expect(statuses == [.finished, .finished, .finished])
        connection.close()
        orchestrator.close()
        await deployment.stop()
    }

    @Test func aDataNodeThatIsDownFailsTheSessionAndTheNodeKeepsServing() async throws {
        let deployment = try await LocalDeployment(inputs: millionairesInputs, roundTimeout: .seconds(5), serviceTimeout: .seconds(5))
        deployment.dataNodes[2].stop()
        try await Task.sleep(for: .milliseconds(200))
        let orchestrator = try deployment.orchestrator()
        try await orchestrator.connect(within: .seconds(20))
        let graph = try graphBytes(RuntimeExamples.path("two_millionaires/graph.json"))
        let outcome = try await orchestrator.run(graphJSON: graph, graphID: "g", sessionID: "down", dataKeys: ["test", "test", "test"], deadline: .seconds(90))
        #expect(outcome.statuses[2] == .failed)
        #expect(outcome.messages[2].contains("data service"))
        #expect(!outcome.statuses.contains(.running) && !outcome.statuses.contains(.created))

        // The compute nodes still serve: ListSessions answers (the finished session is gone) and new graphs register.
        let list = await orchestrator.reports("down")
        #expect(list.allSatisfy { $0 == .absent })
        try await orchestrator.register(graphID: "g2", graphJSON: graph)
        orchestrator.close()
        await deployment.stop()
    }

    @Test func manySessionsBackToBackAndConcurrently() async throws {
        let deployment = try await LocalDeployment(inputs: medianInputs.map { _ in [:] }.enumerated().map { p, _ in
            ["test": RuntimeExamples.path("two_millionaires/party\(p)/input.txt")]
        })
        let orchestrator = try deployment.orchestrator()
        try await orchestrator.connect(within: .seconds(20))
        let context = try ExampleGraphs.make("millionaires")
        let envelope = try GraphEnvelope(context: context, spec: try .init(inputParties: "0,1", outputParties: "0,1")).bytes()
        try await orchestrator.register(graphID: "m", graphJSON: envelope)
        for i in 0..<100 {
            let outcome = try await orchestrator.run(graphJSON: nil, graphID: "m", sessionID: "seq\(i)", dataKeys: ["test", "test", "test"], deadline: .seconds(60))
            #expect(outcome.succeeded, "session \(i): \(outcome.messages)")
        }
        try await withThrowingTaskGroup(of: Orchestrator.Outcome.self) { group in
            for i in 0..<10 {
                group.addTask {
                    try await orchestrator.run(graphJSON: nil, graphID: "m", sessionID: "par\(i)", dataKeys: ["test", "test", "test"], deadline: .seconds(120))
                }
            }
            for try await outcome in group { #expect(outcome.succeeded, "\(outcome.sessionID): \(outcome.messages)") }
        }
        // 3000 > 2000 at both output parties, for a concurrent session too.
        for party in 0..<2 {
            #expect(try deployment.result("par7", party: party).value?.tensor?.residue(at: 0) == 1)
        }
        orchestrator.close()
        await deployment.stop()
    }
}
