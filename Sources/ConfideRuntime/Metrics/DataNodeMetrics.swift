import CoreMetrics

/// What a data node exports on `/metrics`: `confide_data_requests_total{service, status}`, the
/// GetValue (`service="data"`) and ProvideResult (`service="results"`) calls it answered, by
/// outcome: `ok`, `refused` (a caller that is not this party's compute node) or `error` (a
/// missing key, an unencodable value, a result that could not be stored). Labels are fixed words.
struct DataNodeMetrics: Sendable {
    enum Service: String, CaseIterable { case data, results }
    enum Status: String, CaseIterable { case ok, refused, error }

    let service: ServiceMetrics
    private let counters: [String: CoreMetrics.Counter]

    init() {
        let service = ServiceMetrics()
        self.service = service
        var counters: [String: CoreMetrics.Counter] = [:]
        for s in Service.allCases {
            for status in Status.allCases {
                counters["\(s.rawValue)/\(status.rawValue)"] = service.counter("confide_data_requests_total", [("service", s.rawValue), ("status", status.rawValue)])
            }
        }
        self.counters = counters
    }

    func count(_ service: Service, _ status: Status) {
        counters["\(service.rawValue)/\(status.rawValue)"]?.increment()
    }
}
