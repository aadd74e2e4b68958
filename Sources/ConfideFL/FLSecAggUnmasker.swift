import ConfideCore
import Crypto

/// The aggregator's side of unmasking: from the masked vectors of the survivors and the shares
/// they reveal, the sum of the survivors' inputs. It never learns an individual input: it gets the
/// self-mask seed of survivors and the masking key of dropped collaborators, never both for one.
public enum FLSecAggUnmasker {
    /// - Parameters:
    ///   - masked: the masked vectors, by survivor (U3).
    ///   - sharers: every collaborator whose shares were distributed (U2 ⊇ U3).
    ///   - maskingKeys: the advertised masking public keys, by collaborator.
    ///   - revealed: the shares the survivors revealed.
    /// - Throws: `.invalidArgument` when there are too few shares for a secret, vectors of different
    ///   lengths, or a reconstructed masking key that does not match the advertised one.
    public static func sum(
        round: UInt64, threshold: Int, masked: [String: [UInt64]], sharers: [String],
        maskingKeys: [String: [UInt8]], revealed: [FLRevealedShare]
    ) throws -> [UInt64] {
        let survivors = masked.keys.sorted()
        guard survivors.count >= threshold else {
            throw ConfideError(.invalidArgument, "round \(round): \(survivors.count) masked updates, fewer than the threshold \(threshold)")
        }
        guard let length = masked.first?.value.count, masked.values.allSatisfy({ $0.count == length }) else {
            throw ConfideError(.invalidArgument, "round \(round): masked updates of different lengths")
        }
        var total = [UInt64](repeating: 0, count: length)
        for vector in masked.values { FLSecAgg.add(&total, vector) }
        func shares(_ owner: String, _ kind: FLRevealedShare.Kind) -> [(x: UInt8, share: [UInt8])] {
            var seen = Set<UInt8>()
            return revealed.filter { $0.owner == owner && $0.kind == kind && seen.insert($0.x).inserted }.map { ($0.x, $0.share) }
        }
        for survivor in survivors {
            let seed = try FLShamir.combine(shares(survivor, .selfSeed), threshold: threshold)
            guard seed.count == 16 else { throw ConfideError(.invalidArgument, "round \(round): the self-mask seed of '\(survivor)' has the wrong length") }
            FLSecAgg.subtract(&total, FLSecAgg.expand(seed, count: length))
        }
        for dropped in sharers where masked[dropped] == nil {
            let raw = try FLShamir.combine(shares(dropped, .maskingKey), threshold: threshold)
            guard let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw),
                Array(key.publicKey.rawRepresentation) == maskingKeys[dropped]
            else { throw ConfideError(.invalidArgument, "round \(round): the masking key reconstructed for '\(dropped)' does not match its advertised key") }
            // Each survivor u added +PRG(s_uv) if u < v, −PRG(s_uv) otherwise: undo that.
            for survivor in survivors {
                guard let peer = maskingKeys[survivor] else { throw ConfideError(.invalidArgument, "round \(round): no masking key for '\(survivor)'") }
                let pair = FLSecAgg.expand(try FLSecAgg.pairSeed(key, peer, round: round), count: length)
                if survivor < dropped { FLSecAgg.subtract(&total, pair) } else { FLSecAgg.add(&total, pair) }
            }
        }
        return total
    }
}
