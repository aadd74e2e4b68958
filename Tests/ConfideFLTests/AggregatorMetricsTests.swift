import ConfideCore
import ConfideRuntime
import Foundation
import Logging
import Synchronization
import Testing

@testable import ConfideFL

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The aggregator's `/metrics` after a federation.
@Suite(.serialized, .timeLimit(.minutes(5))) struct AggregatorMetricsTests {
    @Test func roundsAndCollaboratorsAreCountedAndServed() async throws {
        let ws = try FLTestWorkspace(rounds: 2)
        defer { ws.remove() }
        let aggregator = try FLAggregator(plan: ws.plan, log: Logger.node("aggregator", level: .warning), metricsListen: RuntimeEndpoint(host: "127.0.0.1", port: 0))
        let served = ScrapedText()
        try await federate(ws, aggregator) { name, port in
            if name == "alice" {
                // The page is served over plain HTTP while the federation runs.
                for _ in 0..<200 where aggregator.metricsPort() == nil { try await Task.sleep(for: .milliseconds(25)) }
                let url = URL(string: "http://127.0.0.1:\(try #require(aggregator.metricsPort()))/metrics")!
                let (data, _) = try await URLSession.shared.data(from: url)
                served.set(String(decoding: data, as: UTF8.self))
            }
            try await ws.collaborator(name, port: port).run()
        }
        #expect(served.text.contains("confide_fl_rounds_total"), "\(served.text)")
        let text = aggregator.state.metrics.service.exposition()
        // Rounds 0, 1 and 2 (the plan's two rounds after the initial one).
        #expect(text.contains("confide_fl_rounds_total 3"), "\(text)")
        #expect(text.contains("confide_fl_collaborators_seen \(ws.names.count)"), "\(text)")
        #expect(text.contains("confide_fl_dropouts_total 0"), "\(text)")
        for name in ws.names { #expect(!text.contains(name)) }
    }
}

/// Text one task sets and the test reads.
final class ScrapedText: Sendable {
    private let value = Mutex("")
    func set(_ text: String) { value.withLock { $0 = text } }
    var text: String { value.withLock { $0 } }
}
