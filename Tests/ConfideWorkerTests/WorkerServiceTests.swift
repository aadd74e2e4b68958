import ConfideCore
import ConfideGraph
import Foundation
import Testing
@testable import ConfideWorker

@Suite struct WorkerServiceTests {
    @Test func lookUpAndRetrieveReportKeysAndNoAttestation() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        guard case .success(let lookUp) = await WorkerTestSupport.call(service, "WorkerLookUp", .object([("workerType", .int(1))])) else {
            Issue.record("WorkerLookUp failed")
            return
        }
        #expect(lookUp["ids"] == .array([.string(service.workerId)]))
        let info = try await WorkerTestSupport.info(service)
        #expect(info.verifyingKey == WorkerTestSupport.keys.verifyingKey)
        #expect(info.attestation == "none")
        guard case .failure(let error) = await WorkerTestSupport.call(service, "WorkerRetrieve", .object([("workerId", .string("abcd"))])) else {
            Issue.record("unknown worker id accepted")
            return
        }
        #expect(error.status == .invalidParameter)
    }

    @Test(arguments: [
        ("hello", "Krsna", "Hello Krsna"), ("hello", "Parvathy", "Hello Parvathy"),
        ("fib", "10", "Fibonacci number at position 10 = 55"),
        ("fib", "100", "Fibonacci number at position 100 = 354224848179261915075"),
    ])
    func workOrdersRoundTrip(workload: String, input: String, expected: String) async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let requester = try WorkerTestSupport.requester(try await WorkerTestSupport.info(service), workload, [input])
        let answer = await WorkerTestSupport.run(service, requester)
        let result = try WorkOrderResult(json: try answer.get())
        #expect(try requester.open(result) == [Array(expected.utf8)])
        // Fresh IVs: the output IV is neither the session IV nor an input IV.
        #expect(result.outData[0].iv != requester.request.sessionKeyIv)
        #expect(result.outData[0].iv != requester.request.inData[0].iv)
        #expect(try await service.store.counts() == (1, 1))
    }

    /// dataHash must not confirm guesses of short outputs: it is an HMAC under the session key, not SHA-256.
    @Test func resultItemHashesNeedTheSessionKey() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let requester = try WorkerTestSupport.requester(try await WorkerTestSupport.info(service), "hello", ["Rama"])
        #expect(requester.request.inData[0].dataHash != Hex.encode(WorkOrderHash.sha256(Array("Rama".utf8))))
        let result = try WorkOrderResult(json: try await WorkerTestSupport.run(service, requester).get())
        let outputs = try requester.open(result)
        #expect(outputs == [Array("Hello Rama".utf8)])
        #expect(result.outData[0].dataHash.count == 64)
        #expect(result.outData[0].dataHash != Hex.encode(WorkOrderHash.sha256(Array("Hello Rama".utf8))))
    }

    @Test func fibonacciIsExactForLargePositions() throws {
        #expect(try FibonacciWorkload.fibonacci(0) == 0)
        #expect(try FibonacciWorkload.fibonacci(1) == 1)
        #expect(try FibonacciWorkload.fibonacci(93).description == "12200160415121876738")
        let f1000 = try FibonacciWorkload.fibonacci(1000).description
        #expect(f1000 == "43466557686937456435688527675040625802564660517371780402481729089536555417949051890403879840079255169295922593080322634775209689623239873322471161642996440906533187938298969649928516003704476137795166849228875")
    }

    @Test func graphWorkloadEvaluatesTheMillionairesGraph() async throws {
        var registry = WorkloadRegistry.builtIn
        registry.register("millionaires", GraphWorkload(context: ExampleGraphs.millionaires(), name: "millionaires"))
        let (service, dir) = try WorkerTestSupport.service(configuration: WorkerConfiguration(workloads: registry))
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputs = [#"{"kind":"scalar","type":"u32","value":1000}"#, #"{"kind":"scalar","type":"u32","value":2000}"#]
        let requester = try WorkerTestSupport.requester(try await WorkerTestSupport.info(service), "millionaires", inputs)
        let result = try WorkOrderResult(json: try await WorkerTestSupport.run(service, requester).get())
        let output = String(decoding: try requester.open(result)[0], as: UTF8.self)
        let expected = try Evaluator().evaluate(ExampleGraphs.millionaires(), inputs: inputs.map { try Value(typedJSON: JSONParser().parse($0)) })
        #expect(output == expected.typedJSON().serialized())
    }

    @Test func resultsSurviveARestart() async throws {
        let dir = try WorkerTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try WorkerService.open(dataDirectory: dir.path, configuration: WorkerConfiguration())
        let requester = try WorkerTestSupport.requester(try await WorkerTestSupport.info(first), "hello", ["Rama"])
        let before = try await WorkerTestSupport.run(first, requester).get()
        // A new service on the same directory: same keys, same stored result.
        let second = try WorkerService.open(dataDirectory: dir.path, configuration: WorkerConfiguration())
        #expect(second.keys.verifyingKey == first.keys.verifyingKey)
        #expect(second.workerId == first.workerId)
        let after = try await WorkerTestSupport.getResult(second, requester).get()
        #expect(after == before)
        #expect(try requester.open(WorkOrderResult(json: after)) == [Array("Hello Rama".utf8)])
        let keyMode = (try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("worker-keys.json").path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(keyMode == 0o600)
    }

    @Test func pendingOrdersFailAfterARestart() async throws {
        var registry = WorkloadRegistry.builtIn
        registry.register("stall", StallingWorkload())
        let dir = try WorkerTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try WorkerService.open(dataDirectory: dir.path, configuration: WorkerConfiguration(workloads: registry))
        let requester = try WorkerTestSupport.requester(try await WorkerTestSupport.info(first), "stall", ["x"], timeout: 600_000)
        guard case .failure(let submitted) = await WorkerTestSupport.call(first, "WorkOrderSubmit", requester.request.json) else {
            Issue.record("submit did not answer pending")
            return
        }
        #expect(submitted.status == .pending)
        let second = try WorkerService.open(dataDirectory: dir.path, configuration: WorkerConfiguration(workloads: registry))
        guard case .failure(let error) = await WorkerTestSupport.getResult(second, requester) else {
            Issue.record("a restarted worker returned a result for an unfinished order")
            return
        }
        #expect(error.status == .failed)
        #expect(try await second.store.counts().results == 0)
    }
}
