import ConfideCore
import ConfideRuntime
import Crypto
import Foundation
import Logging
import Synchronization

@testable import ConfideFL

/// A temporary federation workspace: the example data split over three collaborators with signed certificates.
struct FLTestWorkspace {
    let directory: URL
    var plan: FLPlan
    let names = ["alice", "bob", "carol"]

    static var dataset: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/confide/Resources/fl/breast_cancer.csv").path
    }

    init(rounds: Int = 2, secure: Bool = true, configure: (inout FLPlan) -> Void = { _ in }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("confide-fl-\(UUID().uuidString)")
        var plan = FLPlan()
        plan.rounds = rounds
        plan.secure = secure
        plan.port = 0
        plan.labelColumn = "benign"
        // Generous: under a loaded CI machine a debug collaborator may take tens of seconds per phase;
        // tests about stragglers set their own short cut-off.
        plan.cutoffSeconds = 300
        plan.model.epochs = 2
        configure(&plan)
        try FLWorkspace.create(at: directory.path, plan: plan, dataset: Self.dataset, collaborators: names, register: false, force: false)
        self.plan = try FLPlan.load(directory.appendingPathComponent("plan.yaml").path)
        for name in names { try sign(name) }
    }

    func sign(_ name: String, register: Bool = true) throws {
        let request = try FLCertificates.request(name: name, folder: plan.path("cert"))
        let registry = register ? plan.path(plan.collaboratorsFile) : directory.appendingPathComponent("other-cols.yaml").path
        _ = try FLCertificates.sign(request: request, caCertificate: plan.path(plan.caFile), caKey: FLWorkspace.caKeyFolder(of: directory.path) + "/ca_key.pem", registry: registry, hosts: ["localhost", "127.0.0.1"])
    }

    func tls(_ certificateOwner: String) -> RuntimeTLS {
        RuntimeTLS(caFile: plan.path(plan.caFile), certificateFile: plan.path("cert/\(certificateOwner)_cert.pem"), keyFile: plan.path("cert/\(certificateOwner)_key.pem"))
    }

    func collaborator(_ name: String, port: Int, certificateOf owner: String? = nil, faults: FLCollaborator.Faults = .init(), log: Logger? = nil) throws -> FLCollaborator {
        let dataName = names.contains(name) ? name : "alice"
        return try FLCollaborator(
            name: name, plan: plan, tls: tls(owner ?? name), dataFile: plan.path("data/\(dataName).csv"), port: port, faults: faults,
            log: log ?? Logger.node(name, level: .warning))
    }

    /// The signing identity of `name` (its certificate and key in the workspace).
    func signer(_ name: String) throws -> FLSigner {
        try FLSigner(certificateFile: plan.path("cert/\(name)_cert.pem"), keyFile: plan.path("cert/\(name)_key.pem"))
    }

    /// Fresh keys of `name` for `round` and `attempt`, signed with its certificate, and the key that verifies them.
    func advertisement(_ name: String, round: UInt64, attempt: String) async throws -> (FLKeyAdvertisement, P256.Signing.PublicKey) {
        let verifier = try FLPeerVerifier(caFile: plan.path(plan.caFile))
        let advertisement = try FLKeyAdvertisement.signed(
            collaborator: name, keys: FLSecAggParticipant(name: name, round: round, threshold: 2).publicKeys, signer: signer(name),
            federation: verifier.federation, round: round, attempt: attempt)
        return (advertisement, try await advertisement.verify(verifier, round: round, attempt: attempt))
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
        try? FileManager.default.removeItem(atPath: FLWorkspace.caKeyFolder(of: directory.path))
    }
}

/// Collects log lines (tests look for names in them).
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func log(_ node: String) -> Logger { Logger.node(node, level: .info) { line in self.lines.withLock { $0.append(line) } } }
    var all: [String] { lines.withLock { $0 } }
    func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }
}

/// The aggregator's port, once it listens (`listeningAddress` suspends until then).
func port(of aggregator: FLAggregator) async throws -> Int {
    guard let port = await aggregator.listeningPort() else { throw ConfideError(.io, "aggregator did not listen") }
    return port
}

/// Runs `aggregator` and, beside it, `collaborate(name, port)` for every collaborator of `ws` until all end.
func federate(_ ws: FLTestWorkspace, _ aggregator: FLAggregator, _ collaborate: @escaping @Sendable (String, Int) async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await aggregator.run() }
        let port = try await port(of: aggregator)
        for name in ws.names { group.addTask { try await collaborate(name, port) } }
        try await group.waitForAll()
    }
}

/// What a federation run with ``attack(_:_:until:)`` ended with: each collaborator's error (by name) and the aggregator's.
struct AttackOutcome {
    var collaboratorErrors: [String: String]
    var aggregatorError: (any Error)?
}

/// Runs `aggregator` and every collaborator of `ws` until `until` returns (given the task running the
/// collaborators, which ends when all have), then stops the aggregator and cancels the collaborators
/// still running. Collaborators' errors are collected, not thrown.
func attack(
    _ ws: FLTestWorkspace, _ aggregator: FLAggregator, until: @Sendable (Task<Void, Never>) async throws -> Void
) async throws -> AttackOutcome {
    let errors = ErrorsByName()
    let server = Task { try await aggregator.run() }
    let port = try await port(of: aggregator)
    let collaborators = Task {
        await withTaskGroup(of: Void.self) { group in
            for name in ws.names {
                group.addTask {
                    do { try await ws.collaborator(name, port: port).run() } catch { errors.set(name, "\(error)") }
                }
            }
        }
    }
    try await until(collaborators)
    aggregator.stop()
    collaborators.cancel()
    await collaborators.value
    var failure: (any Error)?
    do { try await server.value } catch { failure = error }
    return AttackOutcome(collaboratorErrors: errors.all, aggregatorError: failure)
}

/// Errors collected by collaborator name from concurrent tasks.
final class ErrorsByName: Sendable {
    private let errors = Mutex<[String: String]>([:])
    func set(_ name: String, _ error: String) { errors.withLock { $0[name] = error } }
    var all: [String: String] { errors.withLock { $0 } }
}
