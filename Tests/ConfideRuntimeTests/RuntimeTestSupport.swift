import ConfideCore
import ConfideData
import ConfideGraph
import ConfideNet
import ConfideTestSupport
import Foundation
import Logging
import Synchronization
import Testing

@testable import ConfideRuntime

/// The shared CipherCore example data.
enum RuntimeExamples {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/ciphercore-examples").standardized

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}

/// Log lines collected from nodes, to check what they say (and never say).
final class RuntimeLogLines: Sendable {
    private let lines = Mutex<[String]>([])

    func log(_ node: String) -> Logger {
        Logger.node(node, level: .debug) { [self] line in lines.withLock { $0.append(line) } }
    }

    var all: [String] { lines.withLock { $0 } }
}

/// Three data nodes and three compute nodes in this process on OS-chosen loopback ports, with
/// credentials made at test time.
final class LocalDeployment: Sendable {
    let directory: String
    let dataNodes: [DataNode]
    let computeNodes: [ComputeNode]
    let endpoints: [RuntimeEndpoint]
    let logs = RuntimeLogLines()
    private let tasks: Mutex<[Task<Void, any Error>]>

    /// - Parameters:
    ///   - inputs: per party, data key → input.txt path.
    ///   - approvals: per party, the compute node's approval policy (nil: none).
    ///   - roundTimeout, serviceTimeout: generous by default: tests share two cores with CPU-bound suites, which
    ///     can hold every cooperative thread for seconds; only tests of a timeout shorten them.
    init(
        inputs: [[String: String]], approvals: [ApprovalPolicy?] = [nil, nil, nil], controlAuth: ControlAuth = .certificate, budget: GraphBudget = GraphBudget(), roundTimeout: Duration = .seconds(60), serviceTimeout: Duration = .seconds(60), partyTransport: PartyTransport = .sendValue,
        resultTables: [OutputFile.Format] = [], directory: String? = nil, metrics: Bool = false
    ) async throws {
        let directory = directory ?? NSTemporaryDirectory() + "confide-rt-\(UUID().uuidString.prefix(8))"
        self.directory = directory
        if !FileManager.default.fileExists(atPath: directory + "/ca.pem") {
            try NetCredentials.writeDeployment(to: directory, parties: 3, hosts: ["localhost", "127.0.0.1", "::1"], days: 1, force: false)
        }
        var tasks: [Task<Void, any Error>] = []
        var dataNodes: [DataNode] = []
        var dataPorts: [(data: Int, results: Int)] = []
        for p in 0..<3 {
            var store = DataStore()
            for (key, file) in inputs[p] { try store.load(key: key, file: file) }
            var dataConfiguration = DataNode.Configuration(
                party: p, dataListen: RuntimeEndpoint(host: "127.0.0.1", port: 0), resultsListen: RuntimeEndpoint(host: "127.0.0.1", port: 0),
                tls: LocalDeployment.tls(directory, "party\(p)/data_cert.pem", "party\(p)/data_key.pem"), store: store,
                outputFolder: directory + "/out\(p)")
            dataConfiguration.resultTables = resultTables
            if metrics { dataConfiguration.metricsListen = RuntimeEndpoint(host: "127.0.0.1", port: 0) }
            let node = try DataNode(dataConfiguration, log: logs.log("party\(p)-data"))
            tasks.append(Task { try await node.run() })
            dataNodes.append(node)
            dataPorts.append(try await LocalDeployment.waitFor { await node.listeningPorts() })
        }
        var computeNodes: [ComputeNode] = []
        var endpoints: [RuntimeEndpoint] = []
        for p in 0..<3 {
            var configuration = ComputeNodeConfiguration(
                party: p, listen: RuntimeEndpoint(host: "127.0.0.1", port: 0),
                data: RuntimeEndpoint(host: "127.0.0.1", port: dataPorts[p].data), results: RuntimeEndpoint(host: "127.0.0.1", port: dataPorts[p].results),
                tls: LocalDeployment.tls(directory, "party\(p)/cert.pem", "party\(p)/key.pem"), roundTimeout: roundTimeout, serviceTimeout: serviceTimeout,
                sessionWait: .seconds(60), partyTransport: partyTransport)
            configuration.approvals = approvals[p]
            configuration.controlAuth = controlAuth
            configuration.budget = budget
            if metrics { configuration.metricsListen = RuntimeEndpoint(host: "127.0.0.1", port: 0) }
            let node = try ComputeNode(configuration, log: logs.log("party\(p)"))
            tasks.append(Task { try await node.run() })
            computeNodes.append(node)
            endpoints.append(RuntimeEndpoint(host: "127.0.0.1", port: try await LocalDeployment.waitFor { await node.listeningPort() }))
        }
        self.dataNodes = dataNodes
        self.computeNodes = computeNodes
        self.endpoints = endpoints
        self.tasks = Mutex(tasks)
    }

    static func tls(_ directory: String, _ cert: String, _ key: String) -> RuntimeTLS {
        RuntimeTLS(caFile: directory + "/ca.pem", certificateFile: directory + "/" + cert, keyFile: directory + "/" + key)
    }

    var orchestratorTLS: RuntimeTLS { LocalDeployment.tls(directory, "orchestrator_cert.pem", "orchestrator_key.pem") }

    func orchestrator() throws -> Orchestrator { try Orchestrator(nodes: endpoints, tls: orchestratorTLS) }

    /// The stored result of `session` at `party`'s result service.
    func result(_ session: String, party: Int) throws -> (value: Value?, error: String?) {
        try dataNodes[party].results.load(key: session)
    }

    func stop() async {
        for node in computeNodes { node.stop() }
        for node in dataNodes { node.stop() }
        for task in tasks.withLock({ $0 }) { _ = try? await task.value }
    }

    static func waitFor<T: Sendable>(_ body: () async -> T?) async throws -> T {
        try await pollUntilValue("a node did not start listening", body)
    }
}

/// The inputs of the two-millionaires example (key "test" at every party).
let millionairesInputs: [[String: String]] = (0..<3).map { ["test": RuntimeExamples.path("two_millionaires/party\($0)/input.txt")] }
let medianInputs: [[String: String]] = (0..<3).map { ["test": RuntimeExamples.path("median/party\($0)/input.txt")] }

func graphBytes(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { throw ConfideError(.io, "cannot read \(path)") }
    return [UInt8](data)
}

func medianEnvelope() throws -> [UInt8] {
    let context = try ExampleGraphs.make("median")
    return try GraphEnvelope(context: context, spec: try .init(inputParties: "secret-shared", outputParties: "0")).bytes()
}
