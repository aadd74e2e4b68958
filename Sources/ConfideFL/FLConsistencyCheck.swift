import ConfideCore
import ConfideNet
import Crypto

/// The consistency check of secure aggregation against a malicious aggregator (Bonawitz et al.,
/// CCS 2017, round 3 "ConsistencyCheck").
///
/// After the aggregator announces the survivor set U3, every survivor signs (federation, round,
/// attempt, sorted U3) and the aggregator relays all signatures. A collaborator reveals shares only
/// when at least `threshold` members of the U3 it was told signed that same set. Each honest
/// collaborator signs one set per attempt, and the threshold is more than half the collaborators,
/// so two different sets cannot both gather `threshold` signatures without a collaborator who
/// colludes with the aggregator: an aggregator cannot call a collaborator dropped to some (and get
/// shares of its masking key) and surviving to others (and get shares of its self-mask seed).
enum FLConsistencyCheck {
    /// - Parameters:
    ///   - survivors: the survivor set this collaborator was told (and signed).
    ///   - signatures: the relayed signatures, by signer; entries from non-survivors are ignored.
    ///   - keys: the verified certificate keys of the round's collaborators (from the key directory).
    /// - Returns: the survivors whose signature over `survivors` verifies, sorted.
    /// - Throws: `.authenticationFailed` when fewer than `threshold` survivors signed `survivors`,
    ///   naming the survivors whose signatures are missing or do not match.
    static func check(
        survivors: [String], signatures: [(collaborator: String, signature: [UInt8])], keys: [String: P256.Signing.PublicKey],
        federation: [UInt8], round: UInt64, attempt: String, threshold: Int
    ) throws -> [String] {
        let message = FLSecAggTranscript.survivors(federation: federation, round: round, attempt: attempt, survivors: survivors)
        let members = Set(survivors)
        var valid = Set<String>()
        for entry in signatures where members.contains(entry.collaborator) && !valid.contains(entry.collaborator) {
            guard let key = keys[entry.collaborator] else { continue }
            if FLPeerVerifier.isValid(signature: entry.signature, of: message, key: key) { valid.insert(entry.collaborator) }
        }
        guard valid.count >= threshold else {
            let others = members.subtracting(valid).sorted().map { NetRole.printable($0) }
            throw ConfideError(
                .authenticationFailed,
                "round \(round): only \(valid.count) of the \(members.count) survivors signed the survivor set this collaborator was given, "
                    + "fewer than the threshold \(threshold) (no matching signature from \(others.joined(separator: ", "))); "
                    + "the aggregator may have announced different survivor sets, so no share is revealed"
            )
        }
        return valid.sorted()
    }
}
