import Foundation
import Testing

@Suite("confide credentials")
struct CredentialsCommandTests {
    private func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func writesLayoutKeys0600AndRefusesOverwrite() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("creds")
        let result = try await ConfideProcess.run(["credentials", "--out", out.path, "--parties", "2", "--days", "3", "--hosts", "localhost,10.0.0.1"])
        #expect(result.status == 0, "\(result.stderr)")
        for file in ["ca.pem", "party0/cert.pem", "party1/data_cert.pem", "orchestrator_cert.pem"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "missing \(file)")
        }
        for file in ["ca_key.pem", "party0/key.pem", "party1/data_key.pem", "orchestrator_key.pem"] {
            #expect(try mode(out.appendingPathComponent(file)) == 0o600, "\(file) is not 0600")
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("party2").path))
        let again = try await ConfideProcess.run(["credentials", "--out", out.path, "--parties", "2"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("--force"))
        #expect(!again.stderr.contains("PRIVATE KEY"))
        let forced = try await ConfideProcess.run(["credentials", "--out", out.path, "--parties", "2", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        let node = try await ConfideProcess.run([
            "credentials", "--out", dir.appendingPathComponent("node").path, "--ca-cert", out.appendingPathComponent("ca.pem").path,
            "--ca-key", out.appendingPathComponent("ca_key.pem").path, "--name", "party1",
        ])
        #expect(node.status == 0, "\(node.stderr)")
        #expect(try mode(dir.appendingPathComponent("node/party1/key.pem")) == 0o600)
        let incomplete = try await ConfideProcess.run(["credentials", "--out", dir.path, "--name", "party1"])
        #expect(incomplete.status != 0)
    }

    /// A party makes its own key and request; the CA holder signs it; the key never leaves the party's folder.
    @Test func aPartyRequestsItsCertificateAndTheCASignsIt() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ca = dir.appendingPathComponent("ca")
        #expect(try await ConfideProcess.run(["credentials", "--out", ca.path, "--parties", "3"]).status == 0)
        let party = dir.appendingPathComponent("party2")
        let request = try await ConfideProcess.run(["credentials", "request", "--name", "party2-data", "--out", party.path])
        #expect(request.status == 0, "\(request.stderr)")
        #expect(try mode(party.appendingPathComponent("party2-data_key.pem")) == 0o600)
        let csr = party.appendingPathComponent("party2-data.csr").path
        let signed = try await ConfideProcess.run([
            "credentials", "sign", csr, "--ca", ca.appendingPathComponent("ca.pem").path, "--ca-key", ca.appendingPathComponent("ca_key.pem").path,
            "--hosts", "localhost,10.0.0.7",
        ])
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(!signed.stdout.contains("PRIVATE KEY") && !signed.stderr.contains("PRIVATE KEY"))
        let certificate = try String(contentsOf: party.appendingPathComponent("party2-data_cert.pem"), encoding: .utf8)
        #expect(certificate.contains("BEGIN CERTIFICATE"))
        // Signing again never replaces the certificate; non-canonical and tampered requests are refused.
        let again = try await ConfideProcess.run(["credentials", "sign", csr, "--ca", ca.appendingPathComponent("ca.pem").path, "--ca-key", ca.appendingPathComponent("ca_key.pem").path])
        #expect(again.status != 0 && again.stderr.contains("never replaced"), "\(again.stderr)")
        let padded = try await ConfideProcess.run(["credentials", "request", "--name", "party02", "--out", party.path])
        #expect(padded.status != 0 && padded.stderr.contains("canonical"), "\(padded.stderr)")
    }
}
