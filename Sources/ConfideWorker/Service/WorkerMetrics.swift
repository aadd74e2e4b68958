import CoreMetrics

/// What the worker exports on `/metrics` (through any swift-metrics factory; none by default):
/// - `confide_work_orders_total{status="completed"|"failed"|"rejected"}` — orders that finished
///   with a result, finished with an error (workload error, timeout), or were refused at submission;
/// - `confide_work_order_seconds` — a histogram of order latency, submission to outcome;
/// - `confide_work_orders_running` — workloads running now.
///
/// Labels are fixed words: never a work-order id, requester, workload input or result.
public struct WorkerMetrics: Sendable {
    let completed: CoreMetrics.Counter
    let failed: CoreMetrics.Counter
    let rejected: CoreMetrics.Counter
    let latency: CoreMetrics.Timer
    let running: CoreMetrics.Meter

    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        completed = CoreMetrics.Counter(label: "confide_work_orders_total", dimensions: [("status", "completed")], factory: factory)
        failed = CoreMetrics.Counter(label: "confide_work_orders_total", dimensions: [("status", "failed")], factory: factory)
        rejected = CoreMetrics.Counter(label: "confide_work_orders_total", dimensions: [("status", "rejected")], factory: factory)
        latency = CoreMetrics.Timer(label: "confide_work_order_seconds", dimensions: [], factory: factory)
        running = CoreMetrics.Meter(label: "confide_work_orders_running", dimensions: [], factory: factory)
        running.set(0)
    }
}
