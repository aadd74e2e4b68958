import ConfideCore
import ConfideGraph
import ConfideMPC

/// One benchmark row: inputs made once in plaintext, shared before timing, and the secure
/// computation that is timed. Mirrors a row of the peer script `shared/bench/spu_bench.py`.
public struct BenchRow: Sendable {
    public let name: String
    public let description: String
    /// The plaintext inputs (each shared by party i mod 3 before timing).
    public let inputs: @Sendable () -> [Tensor]
    /// The secure computation on the parties' shares (the timed part).
    public let secure: @Sendable (ABY3Party, [SharedTensor]) async throws -> SharedTensor
    /// The largest absolute error of the revealed result against float64, from the plaintext
    /// inputs and the result (nil: the row reports no accuracy).
    public let error: (@Sendable ([Tensor], Tensor) -> Double)?

    public init(
        _ name: String, _ description: String, inputs: @escaping @Sendable () -> [Tensor],
        error: (@Sendable ([Tensor], Tensor) -> Double)? = nil,
        secure: @escaping @Sendable (ABY3Party, [SharedTensor]) async throws -> SharedTensor
    ) {
        self.name = name
        self.description = description
        self.inputs = inputs
        self.error = error
        self.secure = secure
    }
}

/// The rows, in the peer script's order. Adding a row is one entry here.
public enum BenchRows {
    /// Fractional bits of the fixed-point rows (as SPU's `fxp_fraction_bits`).
    public static let fractionBits = 18

    public static let all: [BenchRow] = kernels + FixedPointBenchRows.all + JoinBenchRows.all

    static let kernels: [BenchRow] = [
        BenchRow("mul1e6_fxp", "element-wise fxp mul (incl. truncation, fused), n=1e6, i64") {
            [BenchData.fixedPoint(seed: 1, [1_000_000]), BenchData.fixedPoint(seed: 2, [1_000_000])]
        } secure: { party, v in
            .arithmetic64(try await party.mulTruncAA(try v[0].arithmetic64("mul"), try v[1].arithmetic64("mul"), fractionBits: fractionBits))
        },
        BenchRow("mul1e6_int", "element-wise integer mul (no truncation), n=1e6, i64") {
            [BenchData.integers(seed: 3, [1_000_000], bits: 31), BenchData.integers(seed: 4, [1_000_000], bits: 31)]
        } secure: { party, v in
            .arithmetic64(try await party.mulAA(try v[0].arithmetic64("mul"), try v[1].arithmetic64("mul")))
        },
        BenchRow("mm256", "fxp matmul 256x256 @ 256x256 (with truncation), i64") {
            [BenchData.fixedPoint(seed: 5, [256, 256]), BenchData.fixedPoint(seed: 6, [256, 256])]
        } secure: { party, v in
            .arithmetic64(try await party.matmulTruncAA(try v[0].arithmetic64("mm"), try v[1].arithmetic64("mm"), fractionBits: fractionBits))
        },
        BenchRow("mm1000", "fxp matmul 1000x1000 @ 1000x1000 (with truncation), i64") {
            [BenchData.fixedPoint(seed: 7, [1000, 1000]), BenchData.fixedPoint(seed: 8, [1000, 1000])]
        } secure: { party, v in
            .arithmetic64(try await party.matmulTruncAA(try v[0].arithmetic64("mm"), try v[1].arithmetic64("mm"), fractionBits: fractionBits))
        },
        BenchRow("lt1e5_fxp", "less-than of two secret fxp vectors, n=1e5, i64") {
            [BenchData.fixedPoint(seed: 9, [100_000]), BenchData.fixedPoint(seed: 10, [100_000])]
        } secure: { party, v in
            .binary(try await party.ltA(try v[0].arithmetic64("lt"), try v[1].arithmetic64("lt"), signed: true))
        },
        BenchRow("sort1e5_fxp", "sort of 1e5 secret fxp values (i64 keys, radix sort)") {
            [BenchData.fixedPoint(seed: 11, [100_000])]
        } secure: { party, v in
            try await party.sortColumns([("x", v[0])], key: "x", binaryKey: false)[0].value
        },
        BenchRow("sort1e5_int", "sort of 1e5 secret int32 values (radix sort)") {
            [BenchData.int32(seed: 12, [100_000])]
        } secure: { party, v in
            try await party.sortColumns([("x", v[0])], key: "x", binaryKey: false)[0].value
        },
        BenchRow("median1e5_fxp", "median of 1e5 secret fxp values (radix selection of the middle two, their mean)") {
            [BenchData.fixedPoint(seed: 13, [100_000])]
        } secure: { party, v in
            let middle = try await party.selectRanksA(try v[0].arithmetic64("median"), ranks: [49_999, 50_000])
            let sum = try party.applyLocal(.sum([0]), [middle])
            return .arithmetic64(try await party.truncA(sum, bits: 1))
        },
    ]

    /// The row named `name`.
    public static func row(_ name: String) -> BenchRow? { all.first { $0.name == name } }
}

/// Deterministic benchmark inputs from a keyed AES-CTR stream.
public enum BenchData {
    /// Fixed-point i64 values in [−2, 2) with ``BenchRows/fractionBits`` fractional bits.
    public static func fixedPoint(seed: UInt8, _ shape: [Int]) -> Tensor {
        integers(seed: seed, shape, bits: BenchRows.fractionBits + 1)
    }

    /// i32 values in [−2^30, 2^30), as the peer script's int32 sort input.
    public static func int32(seed: UInt8, _ shape: [Int]) -> Tensor {
        let wide = integers(seed: seed, shape, bits: 30)
        return Tensor(.i32, shape: shape, narrow: wide.narrowWords!)
    }

    /// i64 values in [−2^bits, 2^bits).
    public static func integers(seed: UInt8, _ shape: [Int], bits: Int) -> Tensor {
        var generator = try! AESCTRGenerator(key: [UInt8](repeating: seed, count: 16))
        let n = shape.reduce(1, *)
        var words = [UInt64](repeating: 0, count: n)
        generator.fill(&words)
        let span = UInt64(1) << UInt64(bits + 1)
        let offset = Int64(1) << Int64(bits)
        for i in 0..<n { words[i] = UInt64(bitPattern: Int64(bitPattern: words[i] % span) - offset) }
        return Tensor(.i64, shape: shape, narrow: words)
    }
}

/// Runs rows with three parties in this process and times only the secure computation.
public enum BenchRunner {
    public struct Measurement: Sendable {
        /// Wall time of each rep: the longest party's time between a common start barrier and its
        /// end of the kernel, in seconds.
        public let runs: [Double]
        /// Bytes each party sent in one rep.
        public let bytesPerParty: [Int]
        /// Rounds of one rep.
        public let rounds: Int
        /// The row's accuracy on the last rep's revealed result (nil when the row has no check).
        public let error: Double?

        public var median: Double {
            let sorted = runs.sorted()
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
    }

    /// Shares the row's inputs, then runs its secure computation `reps` times after a barrier each.
    public static func measure(_ row: BenchRow, reps: Int) async throws -> Measurement {
        let inputs = row.inputs()
        let results = try await LocalSimulation.run(timeout: .seconds(600)) { party -> ([Double], Int, Int, Tensor?) in
            var shares: [SharedTensor] = []
            for (i, input) in inputs.enumerated() {
                let owner = i % 3
                shares.append(
                    try await party.share(party.index == owner ? input : nil, scalarType: input.scalarType, shape: input.shape, owner: owner))
            }
            var times: [Double] = []
            var bytes = 0, rounds = 0
            var last: SharedTensor?
            let clock = ContinuousClock()
            for rep in 0..<reps {
                try await barrier(party, UInt64(rep))
                let before = party.communicator.statistics()
                let start = clock.now
                let out = try await row.secure(party, shares)
                let elapsed = clock.now - start
                let traffic = party.communicator.statistics().since(before)
                precondition(out.shape.reduce(1, *) > 0)
                times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
                bytes = traffic.bytesSent
                rounds = traffic.rounds
                last = out
            }
            // After timing: the last result, opened to party 0 for the accuracy check.
            var opened: Tensor?
            if row.error != nil, let last { opened = try await party.reveal(last, to: [0]) }
            return (times, bytes, rounds, opened)
        }
        let runs = (0..<reps).map { k in results.map { $0.value.0[k] }.max()! }
        let error = results[0].value.3.flatMap { result in row.error?(inputs, result) }
        return Measurement(runs: runs, bytesPerParty: results.map { $0.value.1 }, rounds: results.map { $0.value.2 }.max()!, error: error)
    }

    /// All three parties pass this point before any goes on (one empty message to each peer).
    static func barrier(_ party: ABY3Party, _ sequence: UInt64) async throws {
        let tag = MessageTag(kind: "bench-barrier", sequence: sequence)
        let peers = [0, 1, 2].filter { $0 != party.index }
        _ = try await party.communicator.exchange(
            peers.map { OutgoingMessage(to: $0, tag: tag, bytes: []) }, expecting: peers.map { ExpectedMessage(from: $0, tag: tag) },
            timeout: nil)
    }
}
