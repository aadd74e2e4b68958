import ConfideCore
import ConfideGraph
import Foundation
import Testing
@testable import ConfideWorker

@Suite struct WorkerConfigurationTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/worker/workloads.yaml")

    @Test func readsTheExampleConfiguration() throws {
        let configuration = try WorkerConfiguration(contentsOfFile: Self.example.path)
        #expect(configuration.workloads.names == ["fib", "hello", "millionaires", "python-fib", "python-hello"])
        #expect(configuration.maxBodyBytes == 1_048_576)
        #expect((configuration.workloads.workload(named: "fib") as? FibonacciWorkload)?.maxN == 100_000)
        #expect(configuration.workloads.workload(named: "millionaires") is GraphWorkload)
    }

    @Test func readsTheMetricsPortInEitherSpelling() throws {
        for key in ["metricsPort", "metrics_port"] {
            let configuration = try WorkerConfiguration(yaml: "\(key): 9100\nworkloads: { a: { kind: hello } }", baseDirectory: URL(fileURLWithPath: "/tmp"))
            #expect(configuration.metricsPort == 9100)
        }
        #expect(try WorkerConfiguration(yaml: "workloads: { a: { kind: hello } }", baseDirectory: URL(fileURLWithPath: "/tmp")).metricsPort == nil)
    }

    @Test func readsJSONAndGraphFilesRelativeToTheConfig() throws {
        let dir = try WorkerTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try ExampleGraphsWriter.write("minimum", to: dir.appendingPathComponent("min.json"))
        let config = dir.appendingPathComponent("w.json")
        try Data(#"{"workerId":"0xabcd","workloads":{"min":{"kind":"graph","graph":"min.json"}}}"#.utf8).write(to: config)
        let configuration = try WorkerConfiguration(contentsOfFile: config.path)
        #expect(configuration.workerId == "0xabcd")
        #expect(configuration.workloads.workload(named: "min") is GraphWorkload)
    }

    @Test(arguments: [
        ("workloads: {}", "non-empty"),
        ("workloads: { a: { kind: magic } }", "unknown kind magic"),
        ("workloads: { a: { kind: graph } }", "needs graph"),
        ("workloads: { a: { kind: fib, maxN: -1 } }", "maxN"),
        ("wrkloads: { a: { kind: hello } }", "unknown setting wrkloads"),
        ("maxBodyBytes: 0\nworkloads: { a: { kind: hello } }", "maxBodyBytes"),
        ("workerId: xyz\nworkloads: { a: { kind: hello } }", "workerId"),
        ("[1, 2", "not valid YAML"),
        ("metricsPort: 0\nworkloads: { a: { kind: hello } }", "metricsPort"),
        ("metricsPort: 70000\nworkloads: { a: { kind: hello } }", "at most 65535"),
        ("metricsPort: 9100\nmetrics_port: 9101\nworkloads: { a: { kind: hello } }", "not both"),
    ])
    func rejectsBadConfigurations(text: String, fragment: String) {
        do {
            _ = try WorkerConfiguration(yaml: text, baseDirectory: URL(fileURLWithPath: "/tmp"))
            Issue.record("accepted \(text)")
        } catch let error as ConfideError {
            #expect(error.message.contains(fragment), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [("fib", "ten", "not a non-negative decimal integer"), ("fib", "1000001", "over the limit"), ("hello", "", "")])
    func workloadFailuresAreStoredAsErrorsWithoutResults(workload: String, input: String, fragment: String) async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let info = try await WorkerTestSupport.info(service)
        if fragment.isEmpty {
            // hello with two items: the workload refuses the count.
            let requester = try WorkerTestSupport.requester(info, workload, ["a", "b"])
            guard case .failure(let error) = await WorkerTestSupport.run(service, requester) else {
                Issue.record("hello accepted two inputs")
                return
            }
            #expect(error.status == .invalidParameter)
            #expect(!error.message.contains("\"a\""))
        } else {
            let requester = try WorkerTestSupport.requester(info, workload, [input])
            guard case .failure(let error) = await WorkerTestSupport.run(service, requester) else {
                Issue.record("fib accepted \(input)")
                return
            }
            #expect(error.status == .invalidParameter)
            #expect(error.message.contains(fragment))
            #expect(!error.message.contains(input))
        }
        #expect(try await service.store.counts() == (1, 0))
    }
}

/// Writes one of the example graphs to a file.
enum ExampleGraphsWriter {
    static func write(_ name: String, to url: URL) throws {
        let text = try ExampleGraphs.make(name).serialized()
        try Data(text.utf8).write(to: url)
    }
}
