import ConfideCore
import ConfideNet
import Crypto

/// The aggregator's side of unmasking: from the masked vectors of the survivors and the shares
/// they reveal, the sum of the survivors' inputs. It never learns an individual input: it gets the
/// self-mask seed of survivors and the masking key of dropped collaborators, never both for one.
///
/// Every reconstructed secret is checked before use: a self-mask seed against its owner's signed
/// commitment, a masking key against its owner's advertised public key. When a combination of
/// `threshold` shares fails the check (a share was altered), other combinations are tried, and the
/// shares that disagree with the secret found are reported with their revealer; when no combination
/// passes, unmasking fails naming the owner. A wrong secret is never used, so the sum is never
/// silently wrong.
public enum FLSecAggUnmasker {
    /// A revealed share that disagrees with the secret reconstructed from the others.
    public struct Rejection: Sendable, Equatable {
        public var owner: String
        public var kind: FLRevealedShare.Kind
        public var revealer: String
    }

    /// The most combinations of `threshold` shares tried for one secret (enough to set aside any one
    /// bad share among up to 255, or any two among up to 90).
    static let maximumCombinations = 4096

    /// - Parameters:
    ///   - masked: the masked vectors, by survivor (U3).
    ///   - sharers: every collaborator whose shares were distributed (U2 ⊇ U3).
    ///   - keys: the advertised keys (masking public key and seed commitment), by collaborator.
    ///   - revealed: the shares each revealer sent, by revealer.
    /// - Returns: the sum and the shares set aside.
    /// - Throws: `.invalidArgument` when there are too few masked vectors, vectors of different lengths,
    ///   or no keys for a collaborator; `.invalidValue` naming the owner when no `threshold` of the
    ///   revealed shares reconstruct a secret that matches its commitment.
    public static func sum(
        round: UInt64, threshold: Int, masked: [String: [UInt64]], sharers: [String],
        keys: [String: FLSecAggPublicKeys], revealed: [String: [FLRevealedShare]]
    ) throws -> (sum: [UInt64], rejected: [Rejection]) {
        let survivors = masked.keys.sorted()
        guard survivors.count >= threshold else {
            throw ConfideError(.invalidArgument, "round \(round): \(survivors.count) masked updates, fewer than the threshold \(threshold)")
        }
        guard let length = masked.first?.value.count, masked.values.allSatisfy({ $0.count == length }) else {
            throw ConfideError(.invalidArgument, "round \(round): masked updates of different lengths")
        }
        for name in sharers where keys[name] == nil { throw ConfideError(.invalidArgument, "round \(round): no keys for '\(NetRole.printable(name))'") }
        var total = [UInt64](repeating: 0, count: length)
        for vector in masked.values { FLSecAgg.add(&total, vector) }
        var rejected: [Rejection] = []
        func shares(_ owner: String, _ kind: FLRevealedShare.Kind) -> [Candidate] {
            var seen = Set<UInt8>()
            var out: [Candidate] = []
            for revealer in revealed.keys.sorted() {
                for share in revealed[revealer]! where share.owner == owner && share.kind == kind && seen.insert(share.x).inserted {
                    out.append(Candidate(revealer: revealer, x: share.x, share: share.share))
                }
            }
            return out.sorted { $0.x < $1.x }
        }
        for survivor in survivors {
            let commitment = keys[survivor]!.seedCommitment
            let (seed, bad) = try reconstruct(shares(survivor, .selfSeed), threshold: threshold) { seed in
                seed.count == 16 && FLSecAgg.constantTimeEqual(FLSecAgg.seedCommitment(seed, round: round, owner: survivor), commitment)
            } failure: { revealers in
                ConfideError(
                    .invalidValue,
                    "round \(round): no \(threshold) of the shares of \(NetRole.printable(survivor))'s self-mask seed (revealed by \(revealers)) "
                        + "reconstruct the seed it committed to; a revealed share was altered")
            }
            rejected += bad.map { Rejection(owner: survivor, kind: .selfSeed, revealer: $0) }
            FLSecAgg.subtract(&total, FLSecAgg.expand(seed, count: length))
        }
        for dropped in sharers where masked[dropped] == nil {
            let advertised = keys[dropped]!.masking
            let (raw, bad) = try reconstruct(shares(dropped, .maskingKey), threshold: threshold) { raw in
                guard let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw) else { return false }
                return FLSecAgg.constantTimeEqual(Array(key.publicKey.rawRepresentation), advertised)
            } failure: { revealers in
                ConfideError(
                    .invalidValue,
                    "round \(round): no \(threshold) of the shares of \(NetRole.printable(dropped))'s masking key (revealed by \(revealers)) "
                        + "reconstruct its advertised key; a revealed share was altered")
            }
            rejected += bad.map { Rejection(owner: dropped, kind: .maskingKey, revealer: $0) }
            let key = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw)
            // Each survivor u added +PRG(s_uv) if u < v, −PRG(s_uv) otherwise: undo that.
            for survivor in survivors {
                guard let peer = keys[survivor]?.masking else { throw ConfideError(.invalidArgument, "round \(round): no masking key for '\(NetRole.printable(survivor))'") }
                let pair = FLSecAgg.expand(try FLSecAgg.pairSeed(key, peer, round: round), count: length)
                if survivor < dropped { FLSecAgg.subtract(&total, pair) } else { FLSecAgg.add(&total, pair) }
            }
        }
        return (total, rejected)
    }

    /// One revealed share of a secret, with who revealed it.
    struct Candidate {
        let revealer: String
        let x: UInt8
        let share: [UInt8]
    }

    /// The secret from `threshold` of `candidates` that passes `matches`, and the revealers of the
    /// candidates that disagree with it. Combinations are tried setting aside no candidate, then each
    /// single one, then each pair, and so on (the first `threshold` of the rest), at most
    /// ``maximumCombinations`` in all.
    /// - Throws: `failure(revealers)` when no combination tried passes; `.invalidArgument` for too few candidates.
    static func reconstruct(
        _ candidates: [Candidate], threshold: Int, matches: ([UInt8]) -> Bool, failure: (String) -> ConfideError
    ) throws -> (secret: [UInt8], disagreeing: [String]) {
        let revealers = candidates.map { NetRole.printable($0.revealer) }.joined(separator: ", ")
        guard threshold >= 1, candidates.count >= threshold else {
            throw ConfideError(.invalidArgument, "\(candidates.count) shares cannot reconstruct a secret with threshold \(threshold) (revealed by \(revealers.isEmpty ? "nobody" : revealers))")
        }
        let spare = candidates.count - threshold
        var tried = 0
        for excluded in 0...spare {
            // Indices set aside, in increasing order; advanced like an odometer.
            var aside = Array(0..<excluded)
            while true {
                tried += 1
                if tried > maximumCombinations { throw failure(revealers) }
                let skip = Set(aside)
                let used = candidates.indices.filter { !skip.contains($0) }.prefix(threshold).map { (x: candidates[$0].x, share: candidates[$0].share) }
                if let secret = try? FLShamir.interpolate(used, at: 0), matches(secret) {
                    var disagreeing: [String] = []
                    let points = Set(used.map(\.x))
                    for candidate in candidates where !points.contains(candidate.x) {
                        let expected = try FLShamir.interpolate(used, at: candidate.x)
                        if !FLSecAgg.constantTimeEqual(expected, candidate.share) { disagreeing.append(candidate.revealer) }
                    }
                    return (secret, disagreeing)
                }
                guard let next = nextCombination(aside, count: candidates.count) else { break }
                aside = next
            }
        }
        throw failure(revealers)
    }

    /// The next k-combination of 0..<count after `current` in lexicographic order; nil after the last.
    static func nextCombination(_ current: [Int], count: Int) -> [Int]? {
        var next = current
        var i = next.count - 1
        while i >= 0 && next[i] == count - next.count + i { i -= 1 }
        guard i >= 0 else { return nil }
        next[i] += 1
        for j in (i + 1)..<next.count { next[j] = next[j - 1] + 1 }
        return next
    }
}
