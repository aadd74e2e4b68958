import ConfideGraph
import Foundation
import Testing

@Suite("Examples")
struct ExamplesTests {
    @Test func swiftJointStatisticsExample() async throws {
        let result = try await ConfideProcess.run([], program: "joint-statistics")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("joint histogram: 45 80 99 108 104 66"))
        #expect(result.stdout.contains("patients: 502"))
    }

    /// The repository's `Examples/joint-statistics` data: a hospital's ages and a lab's blood pressures.
    static let jointStatistics = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/joint-statistics")

    /// One CSV column of the shipped data as numbers.
    static func column(_ file: String) throws -> [Double] {
        let text = try String(contentsOf: jointStatistics.appendingPathComponent(file), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line in line.split(separator: ",").last.flatMap { Double($0) } }
    }

    /// `confide example joint-statistics` run securely on the shipped CSV files (in process and as
    /// three processes), revealed to party 2 only, against float64 statistics of the pooled columns.
    @Test(arguments: [false, true])
    func jointStatisticsOfTwoPartiesColumns(processes: Bool) async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try await ConfideProcess.run(["example", "joint-statistics"])
        #expect(graph.status == 0, "\(graph.stderr)")
        let graphFile = dir.appendingPathComponent("joint-statistics.json")
        try graph.stdout.write(to: graphFile, atomically: true, encoding: .utf8)
        let result = try await ConfideProcess.run(
            ["simulate", graphFile.path, "-i", Self.jointStatistics.path, "--input-parties", "0,1", "--output-parties", "2", "--json"]
                + (processes ? ["--processes"] : []))
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let parties = try #require(report["parties"] as? [[String: Any]])
        #expect(parties[0]["output"] is NSNull && parties[1]["output"] is NSNull, "only party 2 learns the statistics")
        let fields = try #require((parties[2]["output"] as? [String: Any])?["value"] as? [[String: Any]])
        var got: [String: Any] = [:]
        for field in fields { got[field["name"] as! String] = (field["value"] as? [String: Any])?["value"] }
        func fixed(_ name: String) throws -> Double { Double(try #require(got[name] as? Int)) / 4096 }

        let x = try Self.column("party0/age.csv"), y = try Self.column("party1/blood_pressure.csv")
        #expect(x.count == 2000 && y.count == 2000)
        let n = Double(x.count)
        let meanX = x.reduce(0, +) / n, meanY = y.reduce(0, +) / n
        let varX = x.reduce(0) { $0 + ($1 - meanX) * ($1 - meanX) } / n
        let varY = y.reduce(0) { $0 + ($1 - meanY) * ($1 - meanY) } / n
        let covariance = zip(x, y).reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) } / n
        let correlation = covariance / (varX * varY).squareRoot()
        // Inputs are rounded to 2^-12 and each secret truncation is within one unit.
        #expect(abs(try fixed("mean_x") - meanX) <= 3.0 / 4096)
        #expect(abs(try fixed("mean_y") - meanY) <= 3.0 / 4096)
        #expect(abs(try fixed("var_x") - varX) <= 1e-4 * varX + 4.0 / 4096)
        #expect(abs(try fixed("var_y") - varY) <= 1e-4 * varY + 4.0 / 4096)
        #expect(abs(try fixed("std_x") - varX.squareRoot()) <= 5e-4 * varX.squareRoot())
        #expect(abs(try fixed("std_y") - varY.squareRoot()) <= 5e-4 * varY.squareRoot())
        #expect(abs(try fixed("correlation") - correlation) <= 4.0 / 4096)
        let edges = JointStatisticsGraph.defaultEdges
        let histogram = (0..<(edges.count - 1)).map { k in x.filter { edges[k] <= $0 && $0 < edges[k + 1] }.count }
        #expect(got["histogram"] as? [Int] == histogram)
    }

    /// The repository's `Examples/ad-conversions` tables: a retailer's customers and spend, an ad platform's impressions.
    static let adConversions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/ad-conversions")

    /// `confide example ad-conversions` run securely on the shipped CSV tables (20000 and 15000 rows),
    /// revealed to party 1 only, against the same aggregate computed on the pooled tables.
    @Test func adConversionsOfTwoOrganisationsTables() async throws {
        let dir = try ConfideProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try await ConfideProcess.run(["example", "ad-conversions"])
        #expect(graph.status == 0, "\(graph.stderr)")
        let graphFile = dir.appendingPathComponent("ad-conversions.json")
        try graph.stdout.write(to: graphFile, atomically: true, encoding: .utf8)
        let result = try await ConfideProcess.run(
            ["simulate", graphFile.path, "-i", Self.adConversions.path, "--input-parties", "0,1", "--output-parties", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let parties = try #require(report["parties"] as? [[String: Any]])
        #expect(parties[0]["output"] is NSNull && parties[2]["output"] is NSNull, "only party 1 learns the aggregate")
        let fields = try #require((parties[1]["output"] as? [String: Any])?["value"] as? [[String: Any]])
        var got: [String: Int] = [:]
        for field in fields { got[field["name"] as! String] = (field["value"] as? [String: Any])?["value"] as? Int }

        func rows(_ file: String) throws -> [(Int, Int)] {
            try String(contentsOf: Self.adConversions.appendingPathComponent(file), encoding: .utf8).split(separator: "\n").dropFirst().map { line in
                let parts = line.split(separator: ",")
                return (try #require(Int(parts[0])), try #require(Int(parts[1])))
            }
        }
        let purchases = try rows("party0/purchases.csv"), impressions = try rows("party1/impressions.csv")
        #expect(purchases.count == 20000 && impressions.count == 15000)
        let seen = Set(impressions.filter { $0.1 > 0 }.map(\.0))
        let converted = purchases.filter { seen.contains($0.0) }
        #expect(converted.count > 1000)
        #expect(got["customers"] == converted.count)
        #expect(got["spend"] == converted.reduce(0) { $0 + $1.1 })
    }
}
