import ConfideCore
import ConfideMPC

/// The phases `confide simulate --json` reports, in seconds.
enum SimulationTiming {
    static let phaseNames = ["read", "share", "compute", "reveal", "write"]

    static func seconds(_ d: Duration) -> Double { d.seconds }

    /// One party's phases as a JSON object.
    static func json(read: Duration, _ phases: SessionPhases, write: Duration) -> JSONValue {
        let values = [read, phases.share, phases.compute, phases.reveal, write].map(seconds)
        return .object(zip(phaseNames, values).map { ($0, .number(String(format: "%.6f", $1))) })
    }

    /// The slowest party's time in each phase, with the time all parties spent reading.
    static func slowest(read: Duration, _ phases: [SessionPhases]) -> [String: Double] {
        [
            "read": seconds(read), "share": phases.map { seconds($0.share) }.max() ?? 0, "compute": phases.map { seconds($0.compute) }.max() ?? 0,
            "reveal": phases.map { seconds($0.reveal) }.max() ?? 0, "write": 0,
        ]
    }
}
