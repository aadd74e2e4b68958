import ConfideCore
import ConfideGraph
import Foundation
import Testing

@testable import ConfideRuntime

@Suite(.serialized, .timeLimit(.minutes(10))) struct ComputeNodeTests {
    @Test func twoMillionairesOverGRPC() async throws {
        let deployment = try await LocalDeployment(inputs: millionairesInputs)
        let orchestrator = try deployment.orchestrator()
        try await orchestrator.connect(within: .seconds(20))
        let outcome = try await orchestrator.run(
            graphJSON: try graphBytes(RuntimeExamples.path("two_millionaires/graph.json")), graphID: "g1", sessionID: "s1",
            dataKeys: ["test", "test", "test"])
        #expect(outcome.succeeded, "\(outcome.messages)")
        for party in 0..<2 {
            let result = try deployment.result("s1", party: party)
            #expect(result.value?.tensor?.scalarType == .bit)
            #expect(result.value?.tensor?.residue(at: 0) == 1)
        }
        orchestrator.close()
        await deployment.stop()
    }

    @Test func partyTrafficOverTheSocketCommunicatorWhenConfigured() async throws {
        let deployment = try await LocalDeployment(inputs: medianInputs, partyTransport: .socket)
        let orchestrator = try deployment.orchestrator()
        try await orchestrator.connect(within: .seconds(20))
        let outcome = try await orchestrator.run(graphJSON: try medianEnvelope(), graphID: "median", sessionID: "sock1", dataKeys: ["test", "test", "test"])
        #expect(outcome.succeeded, "\(outcome.messages)")
        #expect(try deployment.result("sock1", party: 0).value?.typedJSON().serialized() == #"{"kind":"array","type":"u32","value":[511]}"#)
        #expect(deployment.logs.all.contains { $0.contains("party links over sockets at tcp://127.0.0.1:") })
        orchestrator.close()
        await deployment.stop()
    }

    @Test func medianOfTheSecretSharedExampleOverGRPC() async throws {
        let deployment = try await LocalDeployment(inputs: medianInputs)
        let orchestrator = try deployment.orchestrator()
        try await orchestrator.connect(within: .seconds(20))
        let outcome = try await orchestrator.run(graphJSON: try medianEnvelope(), graphID: "median", sessionID: "m1", dataKeys: ["test", "test", "test"])
        #expect(outcome.succeeded, "\(outcome.messages)")
        let result = try deployment.result("m1", party: 0)
        #expect(result.value?.typedJSON().serialized() == #"{"kind":"array","type":"u32","value":[511]}"#)
        orchestrator.close()
        await deployment.stop()
    }
}
