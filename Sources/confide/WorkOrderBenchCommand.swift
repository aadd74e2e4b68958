import ArgumentParser
import ConfideCore
import ConfideWorker
import Foundation

/// `confide work-order bench`: throughput and latency of complete work orders against a worker.
struct WorkOrderBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run COUNT complete work orders (encrypt, sign, submit, poll, verify, decrypt) with CONCURRENCY in flight."
    )

    @Option(help: "Worker URL.")
    var worker: String

    @Option(help: "Workload name.")
    var workload = "hello"

    @Option(name: .customLong("in"), help: "Input item (UTF-8 text).")
    var input = "Krsna"

    @Option(help: "Number of work orders.")
    var count = 200

    @Option(help: "Work orders in flight at once.")
    var concurrency = 8

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard count > 0, concurrency > 0 else { throw ValidationError("--count and --concurrency must be positive") }
    }

    func run() async throws {
        let client = WorkerClient(url: worker)
        let info = try await client.retrieve()
        let signingKey = Secp256k1SigningKey()
        let (workload, input, count, concurrency) = (self.workload, self.input, self.count, self.concurrency)
        let clock = ContinuousClock()
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for lane in 0..<concurrency {
                group.addTask {
                    var mine = [Double]()
                    var i = lane
                    while i < count {
                        let t0 = clock.now
                        let requester = try WorkOrderRequester(worker: info, workload: workload, inputs: [Array(input.utf8)], signingKey: signingKey)
                        _ = try await client.execute(requester)
                        let d = clock.now - t0
                        mine.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
                        i += concurrency
                    }
                    return mine
                }
            }
            var all = [Double]()
            for try await part in group { all += part }
            return all.sorted()
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(count) / seconds
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        let line = String(
            format: "%d work orders (%@), concurrency %d: %.1f orders/s, latency p50 %.2f ms, p99 %.2f ms",
            count, workload, concurrency, rate, percentile(0.5), percentile(0.99)
        )
        if json {
            print(JSONValue.object([
                ("count", .int(count)), ("concurrency", .int(concurrency)), ("workload", .string(workload)),
                ("ordersPerSecond", .number(String(format: "%.1f", rate))),
                ("p50Milliseconds", .number(String(format: "%.2f", percentile(0.5)))),
                ("p99Milliseconds", .number(String(format: "%.2f", percentile(0.99)))),
            ]).serialized())
        } else {
            print(line)
        }
    }
}
