import ConfideCore
import Foundation
import Testing

@testable import ConfideRuntime

struct DeploymentConfigTests {
    @Test func defaultsFollowTheSeed() throws {
        let config = try DeploymentConfig(yaml: "credentials: creds\n", file: "/deploy/d.yaml")
        #expect(config.parties.map(\.compute.address.port) == [4203, 4213, 4223])
        #expect(config.parties.map(\.data.address.port) == [4201, 4211, 4221])
        #expect(config.parties.map(\.results.address.port) == [4202, 4212, 4222])
        #expect(config.serverName == "localhost")
        #expect(config.ca == "/deploy/creds/ca.pem")
        #expect(config.parties[1].certificate == "/deploy/creds/party1/cert.pem")
        #expect(config.partyTransport == .sendValue)
        #expect(try config.party(named: "party2") == 2)
    }

    @Test func aFullFileIsRead() throws {
        let yaml = """
            credentials: c
            tls: {server_name: node.example, orchestrator_cert: o.pem, orchestrator_key: o.key}
            timeouts: {round: 7, service: 8, connect: 9, session: 10}
            data_key: k
            party_transport: socket
            budget: {scalars: 1000, rounds: 50}
            parties:
              - name: bank
                control_auth: none
                compute: {address: "10.0.0.1:5003", server_tls_listen: "0.0.0.0:5004"}
                data: {address: "10.0.0.1:5001", listen: "127.0.0.1:5001"}
                inputs: ["x=in/x.txt"]
                output: out/bank
              - name: clinic
                compute: {address: "clinic.example:5003"}
              - name: ads
                tls: {cert: a.pem, key: a.key}
            """
        let config = try DeploymentConfig(yaml: yaml, file: "/d/deploy.yaml")
        #expect(config.parties.map(\.name) == ["bank", "clinic", "ads"])
        #expect(config.parties[0].compute.listen == RuntimeEndpoint(host: "10.0.0.1", port: 5003))
        #expect(config.parties[0].serverTLSListen == RuntimeEndpoint(host: "0.0.0.0", port: 5004))
        #expect(config.parties[0].data.listen == RuntimeEndpoint(host: "127.0.0.1", port: 5001))
        #expect(config.parties[0].inputs == ["x=/d/in/x.txt"])
        #expect(config.parties[1].compute.listen == RuntimeEndpoint(host: "0.0.0.0", port: 5003))
        #expect(config.parties[2].certificate == "/d/a.pem")
        #expect(config.roundTimeout == .seconds(7) && config.sessionTimeout == .seconds(10))
        #expect(config.partyTransport == .socket)
        #expect(try config.computeNode(0).partyTransport == .socket)
        #expect(config.budget == GraphBudget(maxScalars: 1000, maxRounds: 50))
        #expect(try config.computeNode(1).budget.maxRounds == 50)
        #expect(config.parties[0].controlAuth == ControlAuth.none && config.parties[1].controlAuth == .certificate)
        #expect(config.orchestratorTLS.serverName == "node.example")
        #expect(try config.party(named: "clinic") == 1)
    }

    @Test(arguments: [
        ("colour: blue\n", "unknown key 'colour'"),
        ("parties:\n  - name: a\n    computer: {}\n  - {}\n  - {}\n", ":3: unknown key 'computer' in parties[0]"),
        ("parties:\n  - name: a\n", "parties lists 1 party"),
        ("timeouts: {round: -1}\n", "timeouts.round must be an integer"),
        ("party_transport: carrier-pigeon\n", "party_transport must be grpc or socket"),
        ("parties:\n  - compute: {address: \"nohost\"}\n  - {}\n  - {}\n", "is not HOST:PORT"),
        ("parties:\n  - name: a\n  - name: a\n  - name: b\n", "party names must differ"),
        ("[1, 2]\n", "the document must be a mapping"),
    ])
    func badFilesNameTheProblem(yaml: String, expected: String) {
        #expect {
            _ = try DeploymentConfig(yaml: yaml, file: "bad.yaml")
        } throws: { error in
            let message = (error as? ConfideError)?.message ?? ""
            return message.contains("bad.yaml") && message.contains(expected)
        }
    }
}
