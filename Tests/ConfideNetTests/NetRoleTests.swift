import ConfideCore
import Foundation
import Testing
import X509

@testable import ConfideNet

@Suite struct NetRoleTests {
    @Test func canonicalNamesParseAndOthersAreRefused() throws {
        #expect(try NetRole(name: "party0") == .party(0))
        #expect(try NetRole(name: "party12") == .party(12))
        #expect(try NetRole(name: "party2-data") == .partyData(2))
        #expect(try NetRole(name: "orchestrator") == .orchestrator)
        #expect(try NetRole(name: "aggregator") == .named("aggregator"))
        for name in ["party01", "party", "party-1", "party1-Data", "party1-data-data", "party١", "party+1", "party1 ", "party9999999999", ""] {
            #expect(throws: ConfideError.self, "\(name)") { try NetRole(name: name) }
        }
        for role in [NetRole.party(3), .partyData(0), .orchestrator, .named("hospital-a")] {
            #expect(try NetRole(name: role.name) == role)
        }
        #expect(NetRole.printable("a\r\nb\u{7}") == "a??b?")
        #expect(NetRole.printable(String(repeating: "x", count: 100)).count == 64)
    }

    @Test func aCertificateNamesExactlyOneRole() throws {
        let ca = try NetCertificateAuthority.generate(days: 1)
        let data = try ca.issue(commonName: "party1-data", hosts: ["localhost", "127.0.0.1"])
        #expect(try NetRole.of(der: try derOf(data.certificatePEM)) == .partyData(1))
        let orchestrator = try ca.issue(commonName: "orchestrator", hosts: ["localhost"])
        #expect(try NetRole.of(der: try derOf(orchestrator.certificatePEM)) == .orchestrator)
        // issue refuses what would name two roles, and non-canonical names.
        #expect(throws: ConfideError.self) { try ca.issue(commonName: "party1", hosts: ["party2"]) }
        #expect(throws: ConfideError.self) { try ca.issue(commonName: "party1", hosts: ["orchestrator"]) }
        #expect(throws: ConfideError.self) { try ca.issue(commonName: "party01", hosts: []) }
        // Certificates made some other way are refused when they name several roles.
        let twoParties = try ca.sign(commonNames: ["party1"], alternativeNames: [.dnsName("party1"), .dnsName("party2")], days: 1)
        let refused = #expect(throws: ConfideError.self) { try NetRole.of(der: try derOf(twoParties.certificatePEM)) }
        #expect(refused?.message.contains("also names 'party2'") == true)
        let twoCommonNames = try ca.sign(commonNames: ["party1", "party2"], alternativeNames: [.dnsName("localhost")], days: 1)
        #expect(throws: ConfideError.self) { try NetRole.of(der: try derOf(twoCommonNames.certificatePEM)) }
        let padded = try ca.sign(commonNames: ["party01"], alternativeNames: [.dnsName("party01")], days: 1)
        #expect(throws: ConfideError.self) { try NetRole.of(der: try derOf(padded.certificatePEM)) }
        #expect(throws: ConfideError.self) { try NetRole.of(der: [0x30, 0x03, 0x02, 0x01]) }
    }

    private func derOf(_ pem: String) throws -> [UInt8] {
        try Certificate(pemEncoded: pem).serializeAsPEM().derBytes
    }
}
