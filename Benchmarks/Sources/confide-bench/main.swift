import Foundation
import ConfideBenchRows

/// confide-bench [--ops a,b,…] [--reps N] [--json]: runs benchmark rows with three parties in this
/// process and prints the median wall time of the secure computation and the bytes each party sent.
/// Plaintext rows (``JSONBenchRows``, for example `json_u64_1e6`) print the median of each phase.
/// Run it with glibc's heap kept (see `compare.sh`: MALLOC_MMAP_THRESHOLD_ and friends) so that
/// the megabyte-sized share buffers of each rep are not fresh page faults.
let allNames = BenchRows.all.map(\.name) + JSONBenchRows.all.map(\.name)
var names = allNames
var reps = 3
var json = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--ops": names = (arguments.popFirst() ?? "").split(separator: ",").map(String.init)
    case "--reps": reps = Int(arguments.popFirst() ?? "") ?? reps
    case "--json": json = true
    default:
        print("usage: confide-bench [--ops \(allNames.joined(separator: ","))] [--reps N] [--json]")
        exit(2)
    }
}

/// The median of `values` (not empty).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

for name in names {
    if let row = JSONBenchRows.row(name) {
        let input = row.prepare()
        let runs = try (0..<max(1, reps)).map { _ in try row.run(input) }
        let phases = runs[0].map(\.phase)
        let medians = phases.indices.map { k in median(runs.map { $0[k].seconds }) }
        if json {
            let fields = zip(phases, medians).map { "\"\($0)_median_s\": \($1)" }.joined(separator: ", ")
            print("{\"op\": \"\(name)\", \(fields), \"reps\": \(runs.count), \"desc\": \"\(row.description)\"}")
        } else {
            let padded = name.padding(toLength: 14, withPad: " ", startingAt: 0)
            let fields = zip(phases, medians).map { "\($0)=\(String(format: "%.4f", $1))s" }.joined(separator: " ")
            print("\(padded) \(fields) round-trip=exact  # \(row.description)")
        }
        continue
    }
    guard let row = BenchRows.row(name) else {
        print(json ? "{\"op\": \"\(name)\", \"error\": \"no such row\"}" : "\(name): no such row")
        continue
    }
    let m = try await BenchRunner.measure(row, reps: reps)
    if json {
        let runs = m.runs.map { String($0) }.joined(separator: ", ")
        let bytes = m.bytesPerParty.map { String($0) }.joined(separator: ", ")
        let error = m.error.map { ", \"error\": \"max_abs_err=\(String(format: "%.3e", $0))\"" } ?? ""
        print("{\"op\": \"\(name)\", \"median_s\": \(m.median), \"runs_s\": [\(runs)], \"bytes_per_party\": [\(bytes)], \"rounds\": \(m.rounds)\(error), \"desc\": \"\(row.description)\"}")
    } else {
        let padded = name.padding(toLength: 14, withPad: " ", startingAt: 0)
        let error = m.error.map { " max_abs_err=\(String(format: "%.3e", $0))" } ?? ""
        print("\(padded) median=\(String(format: "%.4f", m.median))s bytes/party=\(m.bytesPerParty) rounds=\(m.rounds)\(error)  # \(row.description)")
    }
}
