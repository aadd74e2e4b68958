import ConfideCore
import Foundation
import Testing

@testable import ConfideRuntime

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `/metrics` of compute and data nodes after real sessions over TLS on loopback.
@Suite(.serialized, .timeLimit(.minutes(5))) struct MetricsTests {
    /// The Prometheus text at `http://127.0.0.1:port/metrics`.
    static func scrape(_ port: Int) async throws -> String {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("text/plain") == true)
        return String(decoding: data, as: UTF8.self)
    }

    /// The value of the sample line `name` (with its labels) in `text`.
    static func sample(_ text: String, _ name: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }

    @Test func nodesCountSessionsRoundsAndBytesAfterASession() async throws {
        let deployment = try await LocalDeployment(inputs: millionairesInputs, metrics: true)
        let orchestrator = try deployment.orchestrator()
        try await orchestrator.connect(within: .seconds(20))
        let graph = try graphBytes(RuntimeExamples.path("two_millionaires/graph.json"))
        let good = try await orchestrator.run(graphJSON: graph, graphID: "g", sessionID: "counted-session", dataKeys: ["test", "test", "test"])
        #expect(good.succeeded, "\(good.messages)")
        let bad = try await orchestrator.run(graphJSON: nil, graphID: "g", sessionID: "failing-session", dataKeys: ["absent", "absent", "absent"])
        #expect(!bad.succeeded)
        for party in 0..<3 {
            let port = try #require(deployment.computeNodes[party].metricsPort())
            let text = try await Self.scrape(port)
            #expect(Self.sample(text, #"confide_sessions_total{status="finished"}"#) == 1, "\(text)")
            #expect(Self.sample(text, #"confide_sessions_total{status="failed"}"#) == 1, "\(text)")
            #expect(Self.sample(text, "confide_active_sessions") == 0)
            #expect(Self.sample(text, "confide_session_seconds_count") == 2)
            #expect((Self.sample(text, "confide_rounds_total") ?? 0) > 0)
            // The compiled graph's Sends go in some directions only: each peer has its counters, and
            // every party both sends and receives.
            let peers = (0..<3).filter { $0 != party }
            let sent = peers.map { Self.sample(text, "confide_bytes_sent_total{peer=\"\($0)\"}") }
            let received = peers.map { Self.sample(text, "confide_bytes_received_total{peer=\"\($0)\"}") }
            #expect(sent.allSatisfy { $0 != nil } && received.allSatisfy { $0 != nil }, "\(text)")
            #expect(sent.compactMap { $0 }.reduce(0, +) > 0 && received.compactMap { $0 }.reduce(0, +) > 0, "\(text)")
            #expect(!text.contains("peer=\"\(party)\""))
            // No label carries a data key, a session or graph id.
            for secret in ["test", "absent", "counted-session", "failing-session"] { #expect(!text.contains(secret), "\(secret) in \(text)") }
        }
        let dataText = try await Self.scrape(try #require(deployment.dataNodes[0].metricsPort()))
        #expect(Self.sample(dataText, #"confide_data_requests_total{service="data",status="ok"}"#) == 1, "\(dataText)")
        #expect(Self.sample(dataText, #"confide_data_requests_total{service="data",status="error"}"#) == 1)
        #expect((Self.sample(dataText, #"confide_data_requests_total{service="results",status="ok"}"#) ?? 0) >= 1)
        #expect(Self.sample(dataText, #"confide_data_requests_total{service="data",status="refused"}"#) == 0)
        orchestrator.close()
        await deployment.stop()
    }
}
