import ConfideNet
import ConfideRuntime
import Foundation
import Testing

@Suite struct FLCommandTests {
    static let dataset = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/confide/Resources/fl/breast_cancer.csv").path

    /// init, then a collaborator's request signed by the federation CA and registered in cols.yaml.
    @Test func initRequestAndSign() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ws = dir.appendingPathComponent("ws").path
        let initResult = try await ConfideProcess.run(["fl", "init", ws, "--data", Self.dataset, "--collaborators", "a,b,c"])
        #expect(initResult.status == 0, "\(initResult.stderr)")
        for file in ["plan.yaml", "cols.yaml", "data.yaml", "cert/ca.pem", "cert/aggregator_cert.pem", "data/a.csv", "data/test.csv"] {
            #expect(FileManager.default.fileExists(atPath: "\(ws)/\(file)"), "\(file)")
        }
        // The CA key stays out of the aggregator's workspace, owner-only.
        #expect(!FileManager.default.fileExists(atPath: "\(ws)/cert/ca_key.pem"))
        #expect(try FileManager.default.attributesOfItem(atPath: "\(ws)-ca/ca_key.pem")[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.attributesOfItem(atPath: "\(ws)-ca")[.posixPermissions] as? Int == 0o700)
        let request = try await ConfideProcess.run(["credentials", "request", "--name", "a", "--out", "\(ws)/cert"])
        #expect(request.status == 0, "\(request.stderr)")
        let key = try FileManager.default.attributesOfItem(atPath: "\(ws)/cert/a_key.pem")[.posixPermissions] as? Int
        #expect(key == 0o600)
        let sign = try await ConfideProcess.run([
            "credentials", "sign", "\(ws)/cert/a.csr", "--ca", "\(ws)/cert/ca.pem", "--ca-key", "\(ws)-ca/ca_key.pem", "--registry", "\(ws)/cols.yaml",
        ])
        #expect(sign.status == 0, "\(sign.stderr)")
        #expect(try String(contentsOfFile: "\(ws)/cols.yaml", encoding: .utf8).contains("collaborators: [a]"))
        #expect(FileManager.default.fileExists(atPath: "\(ws)/cert/a_cert.pem"))
        let garbage = dir.appendingPathComponent("bad.csr").path
        try "not a request".write(toFile: garbage, atomically: true, encoding: .utf8)
        let bad = try await ConfideProcess.run(["credentials", "sign", garbage, "--ca", "\(ws)/cert/ca.pem", "--ca-key", "\(ws)-ca/ca_key.pem", "--registry", "\(ws)/cols.yaml"])
        #expect(bad.status != 0 && bad.stderr.contains("not a PEM certificate signing request"))
    }

    @Test func planWithUnknownKeyIsRefused() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = dir.appendingPathComponent("plan.yaml").path
        try "rounds: 3\nstraggler:\n  cutoff: 5\n".write(toFile: plan, atomically: true, encoding: .utf8)
        let result = try await ConfideProcess.run(["fl", "aggregator", "--plan", plan])
        #expect(result.status != 0)
        #expect(result.stderr.contains("plan.yaml:3: unknown key 'cutoff' in straggler"), "\(result.stderr)")
    }

    /// The demo, started in a folder outside the repository with its shipped data: secure aggregation
    /// within 2 percentage points of pooled training, chart and table written.
    @Test func demoReachesPooledAccuracyFromAnyFolder() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("demo").path
        let confide = ConfideProcess.executable("confide").path
        let outcome = try await ChildProcess.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "cd '\(dir.path)' && exec '\(confide)' fl demo --out demo --rounds 5"], timeout: ConfideProcess.deadline)
        let result = ConfideProcess.Result(status: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr)
        #expect(result.status == 0, "\(result.stderr)")
        let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("federated (final round)") }.map(String.init) ?? ""
        let difference = line.split(separator: " ").last { $0.hasPrefix("+") || $0.hasPrefix("-") }.flatMap { Double($0) }
        #expect(difference != nil && abs(difference!) <= 2, "\(result.stdout)")
        #expect(FileManager.default.fileExists(atPath: "\(out)/accuracy.svg"))
        #expect(try String(contentsOfFile: "\(out)/accuracy.txt", encoding: .utf8).contains("pooled training"))
    }
}

@Suite struct FLProcessTests {
    /// The aggregator and three collaborators as processes; the aggregator is killed (SIGKILL) after round 1
    /// is checkpointed and started again: it resumes from the checkpoint and the federation finishes.
    @Test func aggregatorKilledAndRestartedResumes() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ws = dir.appendingPathComponent("ws").path
        #expect(try await ConfideProcess.run(["fl", "init", ws, "--data", FLCommandTests.dataset, "--collaborators", "a,b,c", "--register"]).status == 0)
        for name in ["a", "b", "c"] {
            #expect(try await ConfideProcess.run(["credentials", "request", "--name", name, "--out", "\(ws)/cert"]).status == 0)
            #expect(try await ConfideProcess.run(["credentials", "sign", "\(ws)/cert/\(name).csr", "--ca", "\(ws)/cert/ca.pem", "--ca-key", "\(ws)-ca/ca_key.pem", "--registry", "\(ws)/cols.yaml"]).status == 0)
        }
        // A port free now (both aggregators listen on it; collaborators find it in the plan).
        let port = try await NetAddress.freeLoopbackPorts(1)[0]
        var plan = try String(contentsOfFile: "\(ws)/plan.yaml", encoding: .utf8)
        plan = plan.replacingOccurrences(of: "rounds: 10", with: "rounds: 8").replacingOccurrences(of: "port: 50551", with: "port: \(port)")
        try plan.write(toFile: "\(ws)/plan.yaml", atomically: true, encoding: .utf8)
        let confide = ConfideProcess.executable("confide")
        // The collaborators' logs go to files, shown when the test fails.
        let collaborators = try ["a", "b", "c"].map { name in
            let process = try ChildProcess(
                confide, ["fl", "collaborator", "--plan", "\(ws)/plan.yaml", "--name", name], stdout: .discard, stderr: .file(dir.appendingPathComponent("\(name).log").path))
            try process.start()
            return process
        }
        // The first aggregator's log tells when round 1 is aggregated and checkpointed.
        let first = try ChildProcess(confide, ["fl", "aggregator", "--plan", "\(ws)/plan.yaml"], stdout: .discard)
        try first.start()
        defer { for process in collaborators + [first] { process.kill() } }
        let checkpointed = await first.waitForOutput(containing: "round 1 aggregated", timeout: ConfideProcess.deadline)
        #expect(checkpointed, "\(first.capturedOutput)")
        #expect(!first.capturedOutput.contains("federation finished"), "the federation finished before the kill")
        first.kill()
        _ = await first.wait()
        let second = try ChildProcess(confide, ["fl", "aggregator", "--plan", "\(ws)/plan.yaml"], stdout: .discard)
        try second.start()
        let outcome = await second.wait(timeout: ConfideProcess.deadline)
        var logs = ""
        for name in ["a", "b", "c"] { logs += "\n[\(name)]\n" + ((try? String(contentsOf: dir.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? "") }
        #expect(outcome.status == 0 && !outcome.timedOut, "\(outcome.stderr)\(logs)")
        #expect(outcome.stderr.contains("resumed from checkpoint"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("round 8 aggregated from 3 collaborators"), "\(outcome.stderr)\(logs)")
        var statuses: [Int32] = []
        for process in collaborators { statuses.append(await process.wait(timeout: .seconds(60)).status) }
        #expect(statuses == [0, 0, 0], "\(logs)")
    }
}
