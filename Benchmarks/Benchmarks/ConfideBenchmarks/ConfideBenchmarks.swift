import Benchmark
import ConfideBenchRows

/// ordo-one/benchmark entry: every row of ``BenchRows``; each iteration sets up a session, shares
/// the inputs, then times only the secure computation over 3 reps (custom metric `secure_ns`: the
/// median rep) and records the bytes party 0 sent in one rep (`bytes_party0`).
let benchmarks: @Sendable () -> Void = {
    for row in BenchRows.all {
        Benchmark(
            row.name,
            configuration: .init(
                metrics: [.wallClock, .custom("secure_ns"), .custom("bytes_party0", useScalingFactor: false)],
                maxDuration: .seconds(30), maxIterations: 5)
        ) { benchmark in
            for _ in benchmark.scaledIterations {
                let m = try await BenchRunner.measure(row, reps: 3)
                benchmark.measurement(.custom("secure_ns"), Int(m.median * 1e9))
                benchmark.measurement(.custom("bytes_party0", useScalingFactor: false), m.bytesPerParty[0])
            }
        }
    }
}
