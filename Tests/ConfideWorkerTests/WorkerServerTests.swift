import AsyncHTTPClient
import ConfideCore
import Foundation
import NIOCore
import Testing
@testable import ConfideWorker

/// The worker over real HTTP on a free loopback port.
@Suite struct WorkerServerTests {
    /// Runs a server on port 0 for the duration of `body`.
    func withServer(_ configuration: WorkerConfiguration = WorkerConfiguration(), _ body: (String, WorkerService) async throws -> Void) async throws {
        let (service, dir) = try WorkerTestSupport.service(configuration: configuration)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = Task {
            try await WorkerServer(service: service, host: "127.0.0.1", port: 0).run { port in continuation.yield(port) }
        }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            Issue.record("server did not start")
            return
        }
        try await body("http://127.0.0.1:\(port)/", service)
        server.cancel()
        _ = await server.result
    }

    @Test func clientRunsWorkOrdersOverHTTP() async throws {
        try await withServer { url, service in
            let client = WorkerClient(url: url)
            let (info, result, outputs) = try await client.submit(workload: "hello", inputs: ["Lakshmi"])
            #expect(outputs == ["Hello Lakshmi"])
            #expect(info.workerId == service.workerId)
            #expect(result.workerId == service.workerId)
            let fib = try await client.submit(workload: "fib", inputs: ["15"], expectedVerifyingKey: service.keys.verifyingKey)
            #expect(fib.outputs == ["Fibonacci number at position 15 = 610"])
            await #expect(throws: ConfideError.self) {
                _ = try await client.submit(workload: "hello", inputs: ["x"], expectedVerifyingKey: Secp256k1SigningKey().verifyingKey)
            }
            do {
                _ = try await client.submit(workload: "unknown", inputs: ["x"])
                Issue.record("unknown workload accepted")
            } catch let error as ConfideError {
                #expect(error.code.name == "work-order-9")
            }
        }
    }

    @Test func oversizedBodyGets413() async throws {
        var configuration = WorkerConfiguration()
        configuration.maxBodyBytes = 2048
        try await withServer(configuration) { url, service in
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.body = .bytes(ByteBuffer(string: #"{"jsonrpc":"2.0","method":"WorkerLookUp","id":1,"params":{"pad":""# + String(repeating: "x", count: 10_000) + #""}}"#))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            #expect(response.status.code == 413)
            let body = try await response.body.collect(upTo: 1 << 16)
            let json = try JSONParser().parse(bytes: Array(buffer: body))
            #expect(json["error"]?["code"]?.integer(as: Int.self) == WorkOrderStatus.invalidRequest.rawValue)
            #expect(try await service.store.counts() == (0, 0))
        }
    }
}
