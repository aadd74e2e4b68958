import ConfideRuntime
import CoreMetrics

/// What the aggregator exports on `/metrics`:
/// - `confide_fl_rounds_total` — rounds aggregated by this run;
/// - `confide_fl_collaborators_seen` — distinct collaborators that asked for a task during this run;
/// - `confide_fl_dropouts_total` — collaborators a round went on without at its cut-off, per phase;
/// - `confide_fl_updates_rejected_total` — updates refused before aggregation.
///
/// No label carries a collaborator's name, a model value or a metric reported by a collaborator.
struct FLAggregatorMetrics: Sendable {
    let service: ServiceMetrics
    let rounds: CoreMetrics.Counter
    let collaboratorsSeen: CoreMetrics.Meter
    let dropouts: CoreMetrics.Counter
    let rejectedUpdates: CoreMetrics.Counter

    init() {
        let service = ServiceMetrics()
        self.service = service
        rounds = service.counter("confide_fl_rounds_total")
        collaboratorsSeen = service.meter("confide_fl_collaborators_seen")
        collaboratorsSeen.set(0)
        dropouts = service.counter("confide_fl_dropouts_total")
        rejectedUpdates = service.counter("confide_fl_updates_rejected_total")
    }
}
