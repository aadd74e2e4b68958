import CoreMetrics
import Prometheus

/// The metrics of one long-running service: swift-metrics objects backed by the service's own
/// Prometheus registry (no process-wide `MetricsSystem`, so services in one process, as in
/// tests and `confide demo`, never mix their numbers).
///
/// Names and label values are fixed words and party numbers chosen by the service; a label
/// never carries a value, a key, a data key or an id that a caller chose.
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// The swift-metrics factory of this service's registry, for libraries that make their own metrics.
    public let factory: any MetricsFactory

    /// - Parameter durationBuckets: histogram buckets of the service's timers, by metric name.
    public init(durationBuckets: [String: [Duration]] = [:]) {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = durationBuckets
        self.factory = factory
    }

    /// A counter (`_total` names, by Prometheus convention).
    public func counter(_ name: String, _ labels: [(String, String)] = []) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: name, dimensions: labels, factory: factory)
    }

    /// A gauge that goes up and down.
    public func meter(_ name: String, _ labels: [(String, String)] = []) -> CoreMetrics.Meter {
        CoreMetrics.Meter(label: name, dimensions: labels, factory: factory)
    }

    /// A histogram of durations.
    public func timer(_ name: String, _ labels: [(String, String)] = []) -> CoreMetrics.Timer {
        CoreMetrics.Timer(label: name, dimensions: labels, factory: factory)
    }

    /// Every metric in Prometheus' text exposition format.
    public func exposition() -> String {
        registry.emitToString()
    }

    /// Session-length buckets, from 10 ms to an hour.
    public static let sessionBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300), .seconds(900), .seconds(3600),
    ]
}
