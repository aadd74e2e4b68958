import ConfideCore
import ConfideComm
import Foundation
import Testing
import Crypto
import SwiftASN1
import X509

@testable import ConfideNet

@Suite struct NetCredentialsTests {
    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func writesTheCipherCoreLayoutAndRefusesToOverwrite() throws {
        let out = netTestDirectory() + "/creds"
        try NetCredentials.writeDeployment(to: out, parties: 3, hosts: ["localhost", "127.0.0.1", "::1", "node.example"], days: 2, force: false)
        for file in NetCredentials.deploymentFiles(parties: 3) {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "missing \(file)")
            if file.hasSuffix("key.pem") { #expect(try mode("\(out)/\(file)") == 0o600, "\(file) is not 0600") }
        }
        #expect(try String(contentsOfFile: "\(out)/party1/key.pem", encoding: .utf8).contains("PRIVATE KEY"))
        let certificate = try String(contentsOfFile: "\(out)/party1/cert.pem", encoding: .utf8)
        let der = try NIOSSLCertificateDER(certificate)
        #expect(try NetRole.of(der: der) == .party(1))
        #expect(try NetRole.of(der: try NIOSSLCertificateDER(try String(contentsOfFile: "\(out)/party1/data_cert.pem", encoding: .utf8))) == .partyData(1))
        let before = try String(contentsOfFile: "\(out)/ca.pem", encoding: .utf8)
        #expect(throws: ConfideError.self) {
            try NetCredentials.writeDeployment(to: out, parties: 3, hosts: ["localhost"], days: 2, force: false)
        }
        #expect(try String(contentsOfFile: "\(out)/ca.pem", encoding: .utf8) == before)
        try NetCredentials.writeDeployment(to: out, parties: 3, hosts: ["localhost"], days: 2, force: true)
        #expect(try String(contentsOfFile: "\(out)/ca.pem", encoding: .utf8) != before)
    }

    @Test func keysNeverAppearInDescriptions() throws {
        let ca = try NetCertificateAuthority.generate(days: 1)
        let identity = try ca.issue(commonName: "party0", hosts: [], days: 1)
        let security = NetSecurity.mutualTLS(identity)
        for text in [String(describing: identity), String(reflecting: identity), String(describing: ca), String(reflecting: security), String(describing: security)] {
            #expect(!text.contains("PRIVATE KEY"))
            #expect(!text.contains(String(identity.keyPEM.split(separator: "\n")[1].prefix(20))))
        }
        var dumped = ""
        dump(security, to: &dumped)
        #expect(!dumped.contains("PRIVATE KEY"))
    }

    @Test func rejectsBadArguments() {
        let out = netTestDirectory()
        #expect(throws: ConfideError.self) { try NetCredentials.writeDeployment(to: out, parties: 0, hosts: [], days: 1, force: false) }
        #expect(throws: ConfideError.self) { try NetCredentials.writeDeployment(to: out, parties: 3, hosts: [], days: 0, force: false) }
        #expect(throws: ConfideError.self) { try NetCertificateAuthority(certificatePEM: "nope", keyPEM: "nope") }
    }

    @Test func issuesOneNodeFromAnExistingCA() throws {
        let out = netTestDirectory()
        try NetCredentials.writeDeployment(to: out, parties: 3, hosts: ["localhost"], days: 2, force: false)
        let extra = out + "/extra"
        try NetCredentials.issueNode(
            caCertificate: "\(out)/ca.pem", caKey: "\(out)/ca_key.pem", name: "party2", hosts: ["10.0.0.7"], days: 2,
            directory: extra, certFile: "party2/cert.pem", keyFile: "party2/key.pem", force: false)
        #expect(try mode("\(extra)/party2/key.pem") == 0o600)
        // A CA key that does not belong to the CA certificate is refused.
        let other = netTestDirectory()
        try NetCredentials.writeDeployment(to: other, parties: 1, hosts: [], days: 1, force: false)
        #expect(throws: ConfideError.self) {
            try NetCredentials.issueNode(
                caCertificate: "\(out)/ca.pem", caKey: "\(other)/ca_key.pem", name: "party0", hosts: [], days: 1,
                directory: other + "/x", certFile: "c.pem", keyFile: "k.pem", force: false)
        }
    }

    @Test func socketCommunicatorAcceptsGeneratedFiles() async throws {
        let out = netTestDirectory()
        try NetCredentials.writeDeployment(to: out, parties: 3, hosts: ["localhost", "127.0.0.1", "::1"], days: 2, force: false)
        // A node re-issued from the existing CA works alongside the others.
        try NetCredentials.issueNode(
            caCertificate: "\(out)/ca.pem", caKey: "\(out)/ca_key.pem", name: "party2", hosts: ["127.0.0.1"], days: 2,
            directory: out, certFile: "party2/cert.pem", keyFile: "party2/key.pem", force: true)
        let identities = try (0..<3).map { try NetIdentity.load(directory: out, party: $0) }
        let comms = try await netConnect(security: { .mutualTLS(identities[$0]) })
        let tag = MessageTag(kind: "hello", sequence: 1)
        async let r1 = comms[1].exchange([], expecting: [ExpectedMessage(from: 0, tag: tag)], timeout: nil)
        async let r2 = comms[2].exchange([], expecting: [ExpectedMessage(from: 0, tag: tag)], timeout: nil)
        _ = try await comms[0].exchange([OutgoingMessage(to: 1, tag: tag, bytes: [1, 2]), OutgoingMessage(to: 2, tag: tag, bytes: [3])], expecting: [], timeout: nil)
        #expect(try await r1 == [[1, 2]])
        #expect(try await r2 == [[3]])
        await netClose(comms)
        #expect(throws: ConfideError.self) { try NetIdentity.load(directory: out + "/missing", party: 0) }
    }

    @Test func aSignedRequestKeepsTheKeyWithTheNodeAndNamesItsRole() throws {
        let ca = try NetCertificateAuthority.generate(days: 1)
        let (keyPEM, requestPEM) = try NetCredentials.request(role: .party(2))
        #expect(keyPEM.contains("PRIVATE KEY") && !requestPEM.contains("PRIVATE KEY"))
        let issued = try ca.issue(requestPEM: requestPEM, hosts: ["localhost", "10.1.2.3"], days: 1)
        #expect(issued.role == .party(2))
        let der = try NIOSSLCertificateDER(issued.certificatePEM)
        #expect(try NetRole.of(der: der) == .party(2))
        // The certificate carries the request's key.
        let certificate = try Certificate(pemEncoded: issued.certificatePEM)
        let key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
        #expect(certificate.publicKey == Certificate.PublicKey(key.publicKey))
        // Refused: a collaborator name, a request whose signature does not verify, garbage.
        #expect(throws: ConfideError.self) { try NetCredentials.request(role: .named("alice")) }
        var bytes = try CertificateSigningRequest(pemEncoded: requestPEM).serializeAsPEM().derBytes
        bytes[bytes.count - 5] ^= 0x01
        let tampered = PEMDocument(type: "CERTIFICATE REQUEST", derBytes: bytes).pemString
        #expect(throws: ConfideError.self) { try ca.issue(requestPEM: tampered, hosts: [], days: 1) }
        #expect(throws: ConfideError.self) { try ca.issue(requestPEM: "not a request", hosts: [], days: 1) }
        #expect(throws: ConfideError.self) { try ca.issue(requestPEM: requestPEM, hosts: ["party3"], days: 1) }
    }
}

/// DER bytes of the first certificate in a PEM text.
private func NIOSSLCertificateDER(_ pem: String) throws -> [UInt8] {
    let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
    guard let data = Data(base64Encoded: body) else { throw ConfideError(.invalidValue, "not PEM") }
    return Array(data)
}
