import ConfideCore
import ConfideRuntime
import Foundation
import Synchronization

@testable import ConfideFL

/// A temporary federation workspace: the example data split over three collaborators with signed certificates.
struct FLTestWorkspace {
    let directory: URL
    var plan: FLPlan
    let names = ["alice", "bob", "carol"]

    static var dataset: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/fl/breast_cancer.csv").path
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

    func collaborator(_ name: String, port: Int, certificateOf owner: String? = nil, faults: FLCollaborator.Faults = .init(), log: NodeLog? = nil) throws -> FLCollaborator {
        let dataName = names.contains(name) ? name : "alice"
        return try FLCollaborator(
            name: name, plan: plan, tls: tls(owner ?? name), dataFile: plan.path("data/\(dataName).csv"), port: port, faults: faults,
            log: log ?? NodeLog(node: name, minimum: .warning))
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
        try? FileManager.default.removeItem(atPath: FLWorkspace.caKeyFolder(of: directory.path))
    }
}

/// Collects log lines (tests look for names in them).
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func log(_ node: String) -> NodeLog { NodeLog(node: node, minimum: .info) { line in self.lines.withLock { $0.append(line) } } }
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
