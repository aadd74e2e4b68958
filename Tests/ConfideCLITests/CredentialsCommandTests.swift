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
}
