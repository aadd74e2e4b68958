import ConfideCore
import ConfideRuntime
import Foundation
import Testing

@testable import ConfideWorker

/// The worker's counters, through a Prometheus registry as `confide worker --metrics-port` serves them.
@Suite struct WorkerMetricsTests {
    @Test func ordersAreCountedByOutcomeWithTheirLatency() async throws {
        let metrics = ServiceMetrics()
        let dir = try WorkerTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try WorkOrderStore(path: dir.appendingPathComponent("work-orders.sqlite").path)
        let service = try WorkerService(
            keys: WorkerTestSupport.keys, configuration: WorkerConfiguration(), store: store, metrics: WorkerMetrics(factory: metrics.factory))
        let info = try await WorkerTestSupport.info(service)
        let hello = try WorkerTestSupport.requester(info, "hello", ["Krsna"])
        guard case .success = await WorkerTestSupport.run(service, hello) else { Issue.record("the hello order failed"); return }
        let unknown = try WorkerTestSupport.requester(info, "no-such-workload", ["x"])
        guard case .failure = await WorkerTestSupport.call(service, "WorkOrderSubmit", unknown.request.json) else {
            Issue.record("an unknown workload was accepted")
            return
        }
        let text = metrics.exposition()
        #expect(text.contains(#"confide_work_orders_total{status="completed"} 1"#), "\(text)")
        #expect(text.contains(#"confide_work_orders_total{status="rejected"} 1"#), "\(text)")
        #expect(text.contains(#"confide_work_orders_total{status="failed"} 0"#), "\(text)")
        #expect(text.contains("confide_work_order_seconds_count 1"), "\(text)")
        #expect(text.contains("confide_work_orders_running 0"), "\(text)")
        // No label carries an order id, a requester or an input.
        for secret in [hello.request.workOrderId, hello.request.requesterId, "Krsna"] { #expect(!text.contains(secret)) }
    }
}
