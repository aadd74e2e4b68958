import ConfideCore
import ConfideMPC

/// Secure inner joins of two secret-shared tables with 50% overlap of their u32 keys, as the
/// PSI rows of `shared/bench/spu_psi_bench.py` (which reveal the intersection; these reveal
/// nothing). Inputs: a's keys (party 0), b's keys (party 1), b's payload (party 2).
enum JoinBenchRows {
    static let all: [BenchRow] = [100_000, 1_000_000].flatMap { n in
        let label = n == 100_000 ? "1e5" : "1e6"
        return [
            BenchRow("join\(label)_sum", "inner join of \(label) x \(label) rows (u32 keys, 50% overlap) + sum of b's i64 payload over the matches") {
                inputs(n)
            } secure: { party, v in
                let toA = try await match(party, v, n, payload: [v[2]])
                return try party.applyLocal(.sum([0]), [try toA.received[0].arithmetic64("payload")]).shared
            },
            BenchRow("join\(label)_count", "cardinality of the inner join of \(label) x \(label) rows (u32 keys, 50% overlap)") {
                inputs(n)
            } secure: { party, v in
                let toA = try await match(party, v, n, payload: [])
                let flags: ArithmeticShare<UInt64> = try await party.injectBit(toA.matched, as: .u32)
                return try party.applyLocal(.sum([0]), [flags]).shared
            },
        ]
    }

    /// Distinct u32 keys: a holds 0 ..< n, b holds n/2 ..< 3n/2, each in a random order; b's
    /// payload is i64 spend.
    static func inputs(_ n: Int) -> [Tensor] {
        func shuffled(_ keys: [UInt64], seed: UInt8) -> [UInt64] {
            var generator = try! AESCTRGenerator(key: [UInt8](repeating: seed, count: 16))
            var out = keys
            for i in stride(from: out.count - 1, to: 0, by: -1) { out.swapAt(i, Int(generator.next(UInt64.self) % UInt64(i + 1))) }
            return out.map { $0 &* 2_654_435_761 & 0xFFFF_FFFF }
        }
        let a = shuffled((0..<UInt64(n)).map { $0 }, seed: 41), b = shuffled((UInt64(n / 2)..<UInt64(n + n / 2)).map { $0 }, seed: 42)
        return [Tensor(.u32, shape: [n], narrow: a), Tensor(.u32, shape: [n], narrow: b), BenchData.integers(seed: 43, [n], bits: 20)]
    }

    static func match(_ party: ABY3Party, _ v: [SharedTensor], _ n: Int, payload: [SharedTensor]) async throws -> JoinDelivery {
        let valid = try party.publicB(Tensor.filled(.bit, shape: [n], residue: 1))
        let a = JoinSide(keys: [v[0]], valid: valid, payload: [])
        let b = JoinSide(keys: [v[1]], valid: valid, payload: payload)
        return try await party.joinMatch(a, b).a
    }
}

extension ArithmeticShare<UInt64> {
    var shared: SharedTensor { .arithmetic64(self) }
}
