import ConfideCore
import ConfideGraph
import ConfideMPC
import ConfideNet
import ConfideProtos
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Testing

@testable import ConfideRuntime

/// Who may do what on a deployment, over real mutual TLS on loopback.
@Suite(.serialized, .timeLimit(.minutes(10))) struct AuthorizationTests {
    /// Party 0's input revealed to party 1 by an identity graph: the attack an approval policy stops.
    static func exfiltrationEnvelope() throws -> [UInt8] {
        let context = Context(
            graphs: [Graph(nodes: [Node(.input(.scalar(.u32))), Node(.input(.scalar(.u32))), Node(.nop, dependencies: [0])], outputNode: 2)], mainGraph: 0)
        return try GraphEnvelope(context: context, spec: try IOSpec(inputParties: "0,1", outputParties: "1")).bytes()
    }

    static var fiveSeconds: CallOptions {
        var options = CallOptions.defaults
        options.timeout = .seconds(5)
        return options
    }

    static func millionairesPolicy(_ directory: String, keys: [String]? = ["test"]) throws -> ApprovalPolicy {
        let approval = try GraphApproval.make(
            bytes: try graphBytes(RuntimeExamples.path("two_millionaires/graph.json")), name: "millionaires", outputParties: [0, 1], dataKeys: keys)
        return ApprovalPolicy(file: directory + "/policy.yaml", approvals: [approval])
    }

    /// A PartyService client of compute node `party` presenting `tls`.
    static func partyService(_ deployment: LocalDeployment, _ party: Int, tls: RuntimeTLS) throws -> (RuntimeClient, Ciphercore_PartyService.Client<RuntimeClient.Transport>) {
        let client = try RuntimeClient(deployment.endpoints[party], tls: tls, expecting: .party(party))
        return (client, Ciphercore_PartyService.Client(wrapping: client.client))
    }

    @Test func aPartyCertificateUsedAsOrchestratorIsRefusedOnEveryControlCall() async throws {
        let deployment = try await LocalDeployment(inputs: millionairesInputs)
        let (client, service) = try AuthorizationTests.partyService(deployment, 0, tls: LocalDeployment.tls(deployment.directory, "party1/cert.pem", "party1/key.pem"))
        let graph = try graphBytes(RuntimeExamples.path("two_millionaires/graph.json"))
        let register = try await service.registerGraph(.with { $0.graphID = "g"; $0.graphJson = Data(graph) })
        #expect(register.result == .genericFailure)
        #expect(register.message.contains("orchestrator role") && register.message.contains("'party1'"), "\(register.message)")
        let create = try await service.createSession(.with { $0.sessionID = "s"; $0.graphID = "g"; $0.partyID = 0 })
        #expect(create.result == .genericFailure && create.message.contains("orchestrator"), "\(create.message)")
        let finish = try await service.finishSession(.with { $0.sessionID = "s" })
        #expect(finish.result == .genericFailure && finish.message.contains("orchestrator"), "\(finish.message)")
        await #expect(throws: RPCError.self) { _ = try await service.listSessions(.init()) }
        // A data-node certificate is no orchestrator either; the orchestrator's certificate is.
        let (dataClient, dataService) = try AuthorizationTests.partyService(
            deployment, 0, tls: LocalDeployment.tls(deployment.directory, "party0/data_cert.pem", "party0/data_key.pem"))
        #expect(try await dataService.registerGraph(.with { $0.graphID = "g"; $0.graphJson = Data(graph) }).result == .genericFailure)
        let (orchestratorClient, orchestrator) = try AuthorizationTests.partyService(deployment, 0, tls: deployment.orchestratorTLS)
        #expect(try await orchestrator.registerGraph(.with { $0.graphID = "g"; $0.graphJson = Data(graph) }).result == .success)
        #expect(deployment.logs.all.contains { $0.contains("refused RegisterGraph from a client with 'party1'") })
        for c in [client, dataClient, orchestratorClient] { c.close() }
        await deployment.stop()
    }

    /// Graphs can be listed and deleted by the orchestrator only; a deleted graph starts no session,
    /// and `run(deleteGraph:)` leaves nothing behind.
    @Test func theOrchestratorListsAndDeletesGraphsAndNoOneElseCan() async throws {
        let deployment = try await LocalDeployment(inputs: millionairesInputs)
        let orchestrator = try deployment.orchestrator()
        try await orchestrator.connect(within: .seconds(20))
        let graph = try graphBytes(RuntimeExamples.path("two_millionaires/graph.json"))
        try await orchestrator.register(graphID: "kept", graphJSON: graph)
        let listed = try await orchestrator.graphs(on: 1)
        #expect(listed.map(\.graphID) == ["kept"] && listed[0].kind == "compiled" && listed[0].liveSessions == 0)
        let partyClient = try RuntimeClient(deployment.endpoints[0], tls: LocalDeployment.tls(deployment.directory, "party1/cert.pem", "party1/key.pem"), expecting: .party(0))
        let admin = Confide_GraphAdmin.Client(wrapping: partyClient.client)
        let refused = try await admin.deleteGraph(.with { $0.graphID = "kept" }, options: Self.fiveSeconds)
        #expect(refused.result == .genericFailure && refused.message.contains("orchestrator role") && refused.message.contains("'party1'"), "\(refused.message)")
        await #expect(throws: RPCError.self) { _ = try await admin.listGraphs(.init(), options: Self.fiveSeconds) }
        #expect(try await orchestrator.graphs(on: 0).map(\.graphID) == ["kept"])
        try await orchestrator.deleteGraph("kept")
        for party in 0..<3 { #expect(try await orchestrator.graphs(on: party).isEmpty) }
        let missing = await #expect(throws: ConfideError.self) { try await orchestrator.deleteGraph("kept") }
        #expect(missing?.message.contains("party 0 did not delete graph 'kept' (missingGraph)") == true, "\(missing?.message ?? "")")
        let noSession = await #expect(throws: ConfideError.self) {
            try await orchestrator.createSession("after-delete", graphID: "kept", dataKeys: ["test", "test", "test"])
        }
        #expect(noSession?.message.contains("not registered") == true, "\(noSession?.message ?? "")")
        let outcome = try await orchestrator.run(graphJSON: graph, graphID: "once", sessionID: "s1", dataKeys: ["test", "test", "test"], deleteGraph: true)
        #expect(outcome.succeeded, "\(outcome.messages)")
        for party in 0..<3 { #expect(try await orchestrator.graphs(on: party).isEmpty) }
        #expect(deployment.logs.all.contains { $0.contains("deleted graph 'kept'") })
        partyClient.close()
        orchestrator.close()
        await deployment.stop()
    }

    @Test func theExfiltrationGraphIsRefusedUnderAPolicyThatLacksIt() async throws {
        let directory = NSTemporaryDirectory() + "confide-auth-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let policy = try AuthorizationTests.millionairesPolicy(directory)
        let deployment = try await LocalDeployment(inputs: millionairesInputs, approvals: [policy, policy, policy], directory: directory)
        let orchestrator = try deployment.orchestrator()
        try await orchestrator.connect(within: .seconds(20))
        let error = await #expect(throws: ConfideError.self) {
            try await orchestrator.register(graphID: "exfiltrate", graphJSON: try AuthorizationTests.exfiltrationEnvelope())
        }
        #expect(error?.message.contains("party 0 refused graph 'exfiltrate'") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("not-approved") == true)
        #expect(deployment.logs.all.contains { $0.contains("[party0]") || $0.contains("party0") } && deployment.logs.all.contains { $0.contains("refused graph 'exfiltrate'") })
        // The approved graph runs, with the data key the policy allows and no other.
        let outcome = try await orchestrator.run(
            graphJSON: try graphBytes(RuntimeExamples.path("two_millionaires/graph.json")), graphID: "g1", sessionID: "s1", dataKeys: ["test", "test", "test"])
        #expect(outcome.succeeded, "\(outcome.messages)")
        #expect(try deployment.result("s1", party: 0).value?.tensor?.residue(at: 0) == 1)
        try await orchestrator.register(graphID: "g2", graphJSON: try graphBytes(RuntimeExamples.path("two_millionaires/graph.json")))
        let keyError = await #expect(throws: ConfideError.self) {
            try await orchestrator.createSession("s2", graphID: "g2", dataKeys: ["other", "other", "other"])
        }
        #expect(keyError?.message.contains("does not allow this data key") == true, "\(keyError?.message ?? "")")
        orchestrator.close()
        await deployment.stop()
    }

    @Test func sessionIdsAreNeverReusedAndResultsNeverOverwritten() async throws {
        let deployment = try await LocalDeployment(inputs: millionairesInputs)
        let orchestrator = try deployment.orchestrator()
        try await orchestrator.connect(within: .seconds(20))
        let graph = try graphBytes(RuntimeExamples.path("two_millionaires/graph.json"))
        let first = try await orchestrator.run(graphJSON: graph, graphID: "g1", sessionID: "once", dataKeys: ["test", "test", "test"])
        #expect(first.succeeded, "\(first.messages)")
        try await orchestrator.register(graphID: "g2", graphJSON: graph)
        let error = await #expect(throws: ConfideError.self) {
            try await orchestrator.createSession("once", graphID: "g2", dataKeys: ["test", "test", "test"])
        }
        #expect(error?.message.contains("never reused") == true, "\(error?.message ?? "")")
        #expect(throws: ConfideError.self) { try deployment.dataNodes[0].results.store(key: "once", value: nil, error: "forged") }
        #expect(try deployment.result("once", party: 0).value?.tensor?.residue(at: 0) == 1)
        orchestrator.close()
        await deployment.stop()
    }

    @Test func clientsCheckTheExactRoleOfTheServerTheyReach() async throws {
        let deployment = try await LocalDeployment(inputs: millionairesInputs)
        let party0 = LocalDeployment.tls(deployment.directory, "party0/cert.pem", "party0/key.pem")
        let ports = try #require(await deployment.dataNodes[0].listeningPorts())
        let dataEndpoint = RuntimeEndpoint(host: "127.0.0.1", port: ports.data)
        // Party 0's data service, reached as itself: the compute node gets its inputs.
        let good = try RuntimeClient(dataEndpoint, tls: party0, expecting: .partyData(0))
        let answer = try await Ciphercore_DataManagerService.Client(wrapping: good.client).getValue(.with { $0.key = Data("test".utf8) })
        #expect(answer.status == .ok)
        // The same server taken for a peer compute node (a data-node certificate posing as party 1) is refused.
        let posing = try RuntimeClient(dataEndpoint, tls: party0, expecting: .party(1))
        await #expect(throws: (any Error).self) {
            _ = try await Ciphercore_DataManagerService.Client(wrapping: posing.client).getValue(
                .with { $0.key = Data("test".utf8) }, options: AuthorizationTests.fiveSeconds)
        }
        // Compute node 1 taken for party 2 is refused too; taken for itself it answers.
        let wrongPeer = try RuntimeClient(deployment.endpoints[1], tls: deployment.orchestratorTLS, expecting: .party(2))
        await #expect(throws: (any Error).self) {
            _ = try await Ciphercore_PartyService.Client(wrapping: wrongPeer.client).listSessions(.init(), options: AuthorizationTests.fiveSeconds)
        }
        let rightPeer = try RuntimeClient(deployment.endpoints[1], tls: deployment.orchestratorTLS, expecting: .party(1))
        _ = try await Ciphercore_PartyService.Client(wrapping: rightPeer.client).listSessions(.init(), options: AuthorizationTests.fiveSeconds)
        for c in [good, posing, wrongPeer, rightPeer] { c.close() }
        await deployment.stop()
    }

    @Test func aPeerAddressAtAServerThatIsNotThatPeerFailsTheSessionNamingTheAddress() async throws {
        let deployment = try await LocalDeployment(inputs: millionairesInputs)
        let orchestrator = try deployment.orchestrator()
        try await orchestrator.connect(within: .seconds(20))
        // Party 1's address is its data service: a live TLS server of the deployment, but not party1.
        let ports = try #require(await deployment.dataNodes[1].listeningPorts())
        let wrong = RuntimeEndpoint(host: "127.0.0.1", port: ports.data)
        var addresses = deployment.endpoints
        addresses[1] = wrong
        // The round timeout is 60 s; the session must end well before the 20 s deadline.
        let outcome = try await orchestrator.run(
            graphJSON: try graphBytes(RuntimeExamples.path("two_millionaires/graph.json")), graphID: "g", sessionID: "wrong-peer",
            dataKeys: ["test", "test", "test"], partyAddresses: addresses, deadline: .seconds(20))
        #expect(!outcome.succeeded)
        #expect(outcome.messages.contains { $0.contains("\(wrong)") }, "\(outcome.messages)")
        orchestrator.close()
        await deployment.stop()
    }

    @Test func controlAuthNoneNeedsAPolicyAndTheServerTLSListenerNeedsControlAuthNone() throws {
        let tls = RuntimeTLS(caFile: "/nonexistent/ca.pem", certificateFile: "/nonexistent/c.pem", keyFile: "/nonexistent/k.pem")
        var configuration = ComputeNodeConfiguration(
            party: 0, listen: RuntimeEndpoint(host: "127.0.0.1", port: 0), data: RuntimeEndpoint(host: "127.0.0.1", port: 1),
            results: RuntimeEndpoint(host: "127.0.0.1", port: 2), tls: tls)
        configuration.controlAuth = .none
        #expect(throws: ConfideError.self) { try configuration.validate() }
        configuration.controlAuth = .certificate
        configuration.serverTLSListen = RuntimeEndpoint(host: "127.0.0.1", port: 0)
        let error = #expect(throws: ConfideError.self) { try configuration.validate() }
        #expect(error?.message.contains("control_auth none") == true)
    }
}

/// `control_auth: none` with a policy: CipherCore's way of connecting (server-side TLS only, the
/// compute ports as party addresses) on the nodes' one port.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ControlAuthNoneTests {
    /// A PartyService client with server-side TLS only (no client certificate), as grpcio's `ssl_channel_credentials(ca)`.
    static func anonymous(_ endpoint: RuntimeEndpoint, ca: String) throws -> (GRPCClient<HTTP2ClientTransport.Posix>, Task<Void, Never>) {
        let security = HTTP2ClientTransport.Posix.TransportSecurity.tls { config in
            config.trustRoots = .certificates([.file(path: ca, format: .pem)])
            config.serverCertificateVerification = .noHostnameVerification
        }
        let client = GRPCClient(transport: try RuntimeTransport.client(host: endpoint.host, port: endpoint.port, security: security, serverName: "localhost"))
        return (client, Task { try? await client.runConnections() })
    }

    @Test func aClientWithoutACertificateRunsOnlyApprovedGraphsOnTheComputePorts() async throws {
        let directory = NSTemporaryDirectory() + "confide-none-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let policy = try AuthorizationTests.millionairesPolicy(directory)
        let deployment = try await LocalDeployment(inputs: millionairesInputs, approvals: [policy, policy, policy], controlAuth: .none, directory: directory)
        let clients = try deployment.endpoints.map { try ControlAuthNoneTests.anonymous($0, ca: directory + "/ca.pem") }
        let services = clients.map { Ciphercore_PartyService.Client(wrapping: $0.0) }
        let graph = try graphBytes(RuntimeExamples.path("two_millionaires/graph.json"))
        for service in services {
            let unapproved = try await service.registerGraph(.with { $0.graphID = "x"; $0.graphJson = Data(try AuthorizationTests.exfiltrationEnvelope()) })
            #expect(unapproved.result == .genericFailure && unapproved.message.contains("not-approved"), "\(unapproved.message)")
            #expect(try await service.registerGraph(.with { $0.graphID = "g"; $0.graphJson = Data(graph) }).result == .success)
        }
        let addresses = deployment.endpoints.map { endpoint in Ciphercore_Address.with { $0.address = endpoint.host; $0.port = UInt32(endpoint.port) } }
        let settings = try Ciphercore_DataRequest.with { $0.key = Data("test".utf8) }.serializedBytes() as [UInt8]
        for (party, service) in services.enumerated() {
            let created = try await service.createSession(
                .with {
                    $0.sessionID = "anon"
                    $0.graphID = "g"
                    $0.partyID = UInt64(party)
                    $0.dataSettings = Data(settings)
                    $0.partyAddress = addresses
                })
            #expect(created.result == .success, "\(created.message)")
        }
        var statuses: [Ciphercore_SessionListResponse.SessionEntry.SessionStatus] = []
        for _ in 0..<600 {
            statuses = []
            for service in services {
                let listed = try await service.listSessions(.init()).session
                statuses.append(listed.first(where: { $0.sessionID == "anon" })?.status ?? .failed)
            }
            if !statuses.contains(where: { $0 == .created || $0 == .running }) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(statuses == [.finished, .finished, .finished])
        #expect(try deployment.result("anon", party: 0).value?.tensor?.residue(at: 0) == 1)
        // SendValue still needs the certificate of the party it claims.
        let stream = try await services[0].sendValue(
            requestProducer: { writer in try await writer.write(.with { $0.sessionID = "anon"; $0.partyID = 1; $0.nodeID = 1 }) },
            onResponse: { response in try await response.messages.reduce(into: [Ciphercore_SendValueResponse]()) { $0.append($1) } })
        #expect(stream.first?.result == .wrongParty, "\(stream)")
        for (client, task) in clients {
            client.beginGracefulShutdown()
            await task.value
        }
        await deployment.stop()
    }
}
