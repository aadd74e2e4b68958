import ConfideCore
import ConfideNet
import Foundation
import Testing
import X509

@testable import ConfideRuntime

@Suite struct RoleVerifierTests {
    static func certificate(_ directory: String, _ file: String) throws -> Certificate {
        try Certificate(pemEncoded: try String(contentsOfFile: directory + "/" + file, encoding: .utf8))
    }

    @Test func onlyACertificateOfTheDeploymentNamingTheExpectedRolePasses() async throws {
        let directory = NSTemporaryDirectory() + "confide-rv-\(UUID().uuidString.prefix(8))"
        let other = directory + "-other"
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: other)
        }
        try NetCredentials.writeDeployment(to: directory, parties: 3, hosts: ["localhost", "127.0.0.1"], days: 1, force: false)
        try NetCredentials.writeDeployment(to: other, parties: 3, hosts: ["localhost", "127.0.0.1"], days: 1, force: false)
        let party1 = try Self.certificate(directory, "party1/cert.pem")
        let data1 = try Self.certificate(directory, "party1/data_cert.pem")
        let orchestrator = try Self.certificate(directory, "orchestrator_cert.pem")
        let foreign = try Self.certificate(other, "party1/cert.pem")
        func verify(_ chain: [Certificate], as role: NetRole) async throws -> Bool {
            try await RoleVerifier(caFile: directory + "/ca.pem", role: role).verify(chain)
        }
        #expect(try await verify([party1], as: .party(1)))
        #expect(try await verify([data1], as: .partyData(1)))
        #expect(try await verify([orchestrator], as: .orchestrator))
        #expect(try await !verify([party1], as: .party(2)))
        #expect(try await !verify([data1], as: .party(1)))
        #expect(try await !verify([orchestrator], as: .party(0)))
        #expect(try await !verify([foreign], as: .party(1)))
        #expect(try await !verify([], as: .party(1)))
        #expect(throws: ConfideError.self) { try RoleVerifier(caFile: directory + "/missing.pem", role: .party(0)) }
    }
}
