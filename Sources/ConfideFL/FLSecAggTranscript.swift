import ConfideCore

/// The byte strings collaborators sign and commit to in secure aggregation.
///
/// Each starts with a domain tag naming what it is, then every field as a 4-byte big-endian length
/// followed by its bytes (integers as 8 bytes big-endian), so the encoding is injective: no two
/// different field lists, and no two kinds of transcript, give the same bytes. Every field is far
/// below 4 GiB (names, attempts and keys are bounded where they are parsed).
enum FLSecAggTranscript {
    /// What a collaborator signs with its certificate's key when it advertises its keys for one attempt
    /// at a round: the federation, round, attempt, its own name, both X25519 public keys and the
    /// commitment to its self-mask seed.
    static func keys(federation: [UInt8], round: UInt64, attempt: String, collaborator: String, keys: FLSecAggPublicKeys) -> [UInt8] {
        encode(
            "confide-fl keys v1",
            [federation, integer(round), Array(attempt.utf8), Array(collaborator.utf8), keys.encryption, keys.masking, keys.seedCommitment])
    }

    /// What a survivor signs in the consistency check (Bonawitz et al., round 3): the federation,
    /// round, attempt and the survivor set it was told, sorted.
    static func survivors(federation: [UInt8], round: UInt64, attempt: String, survivors: [String]) -> [UInt8] {
        let names = survivors.sorted().map { Array($0.utf8) }
        return encode("confide-fl survivors v1", [federation, integer(round), Array(attempt.utf8), integer(UInt64(names.count))] + names)
    }

    /// What the commitment to a self-mask seed hashes: the round, the owner and the seed.
    static func seed(round: UInt64, owner: String, seed: [UInt8]) -> [UInt8] {
        encode("confide-fl self-mask seed v1", [integer(round), Array(owner.utf8), seed])
    }

    private static func integer(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * $0)) }
    }

    private static func encode(_ tag: String, _ fields: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for field in [Array(tag.utf8)] + fields {
            let count = UInt32(truncatingIfNeeded: field.count)
            out += (0..<4).map { UInt8(truncatingIfNeeded: count >> UInt32(24 - 8 * $0)) }
            out += field
        }
        return out
    }
}
