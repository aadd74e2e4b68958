import Foundation
import ConfideBenchRows

/// confide-bench [--ops a,b,…] [--reps N] [--json]: runs benchmark rows with three parties in this
/// process and prints the median wall time of the secure computation and the bytes each party sent.
/// Run it with glibc's heap kept (see `compare.sh`: MALLOC_MMAP_THRESHOLD_ and friends) so that
/// the megabyte-sized share buffers of each rep are not fresh page faults.
var names = BenchRows.all.map(\.name)
var reps = 3
var json = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--ops": names = (arguments.popFirst() ?? "").split(separator: ",").map(String.init)
    case "--reps": reps = Int(arguments.popFirst() ?? "") ?? reps
    case "--json": json = true
    default:
        print("usage: confide-bench [--ops \(BenchRows.all.map(\.name).joined(separator: ","))] [--reps N] [--json]")
        exit(2)
    }
}

for name in names {
    guard let row = BenchRows.row(name) else {
        print(json ? "{\"op\": \"\(name)\", \"error\": \"no such row\"}" : "\(name): no such row")
        continue
    }
    let m = try await BenchRunner.measure(row, reps: reps)
    if json {
        let runs = m.runs.map { String($0) }.joined(separator: ", ")
        let bytes = m.bytesPerParty.map { String($0) }.joined(separator: ", ")
        print("{\"op\": \"\(name)\", \"median_s\": \(m.median), \"runs_s\": [\(runs)], \"bytes_per_party\": [\(bytes)], \"rounds\": \(m.rounds), \"desc\": \"\(row.description)\"}")
    } else {
        let padded = name.padding(toLength: 14, withPad: " ", startingAt: 0)
        print("\(padded) median=\(String(format: "%.4f", m.median))s bytes/party=\(m.bytesPerParty) rounds=\(m.rounds)  # \(row.description)")
    }
}
