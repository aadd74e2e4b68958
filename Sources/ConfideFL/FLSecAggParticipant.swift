import ConfideCore
import ConfideNet
import Crypto
import Foundation

/// One collaborator's side of secure aggregation for one round.
///
/// 1. ``publicKeys``: advertised to everyone through the aggregator (signed by the collaborator, see
///    ``FLKeyAdvertisement``), with a commitment to the self-mask seed b.
/// 2. ``shareKeys(directory:)``: Shamir shares of the self-mask seed b and of the masking key s,
///    one pair per collaborator, each encrypted (AES-GCM) to its recipient.
/// 3. ``receive(_:)``: the shares others sent, decrypted.
/// 4. ``mask(_:)``: y = x + PRG(b) + Σ_{v>u} PRG(s_uv) − Σ_{v<u} PRG(s_uv) in Z_2^64.
/// 5. ``checkSurvivors(_:dropped:)``: the announced survivor set U3, before signing it for the consistency check.
/// 6. ``reveal(survivors:)``: shares of b for survivors, of s for the other sharers (the dropped) — never
///    both for one collaborator, and only once per round.
public struct FLSecAggParticipant: Sendable {
    public let name: String
    public let round: UInt64
    public let threshold: Int
    private let encryptionKey = Curve25519.KeyAgreement.PrivateKey()
    private let maskingKey = Curve25519.KeyAgreement.PrivateKey()
    private let selfSeed: [UInt8]
    private var directory: [String: FLSecAggPublicKeys] = [:]
    /// Decrypted shares held for each collaborator that shared (including this one).
    private var held: [String: (x: UInt8, selfSeed: [UInt8], maskingKey: [UInt8])] = [:]
    private var revealed = false

    public init(name: String, round: UInt64, threshold: Int) {
        self.name = name
        self.round = round
        self.threshold = threshold
        var generator = AESCTRGenerator.fromSystemEntropy()
        var seed = [UInt8](repeating: 0, count: 16)
        generator.fill(&seed)
        selfSeed = seed
    }

    public var publicKeys: FLSecAggPublicKeys {
        FLSecAggPublicKeys(
            encryption: Array(encryptionKey.publicKey.rawRepresentation), masking: Array(maskingKey.publicKey.rawRepresentation),
            seedCommitment: FLSecAgg.seedCommitment(selfSeed, round: round, owner: name))
    }

    /// The encrypted shares for every collaborator in `directory` (the keys of those who advertised), by recipient.
    /// - Throws: `.invalidArgument` when this collaborator is missing from the directory or it has fewer members than the threshold.
    public mutating func shareKeys(directory: [String: FLSecAggPublicKeys]) throws -> [String: [UInt8]] {
        guard directory[name] == publicKeys else { throw ConfideError(.invalidArgument, "the key directory of round \(round) does not hold \(name)'s keys") }
        guard directory.count >= threshold else {
            throw ConfideError(.invalidArgument, "round \(round) has \(directory.count) collaborators with keys, fewer than the threshold \(threshold)")
        }
        self.directory = directory
        let names = directory.keys.sorted()
        let seedShares = try FLShamir.split(selfSeed, threshold: threshold, count: names.count)
        let keyShares = try FLShamir.split(Array(maskingKey.rawRepresentation), threshold: threshold, count: names.count)
        var out: [String: [UInt8]] = [:]
        for (index, recipient) in names.enumerated() {
            let x = seedShares[index].x
            if recipient == name {
                held[name] = (x, seedShares[index].share, keyShares[index].share)
                continue
            }
            let key = try FLSecAgg.shareKey(encryptionKey, directory[recipient]!.encryption, round: round)
            let plaintext = [x] + seedShares[index].share + keyShares[index].share
            let box = try AES.GCM.seal(plaintext, using: key, authenticating: FLSecAgg.shareContext(from: name, to: recipient, round: round))
            out[recipient] = Array(box.combined!)
        }
        return out
    }

    /// Decrypts the shares sent to this collaborator, by sender.
    /// - Throws: `.invalidValue` naming a sender whose share does not decrypt (tampered or misrouted).
    public mutating func receive(_ shares: [String: [UInt8]]) throws {
        for (sender, ciphertext) in shares {
            guard let keys = directory[sender], sender != name else { throw ConfideError(.invalidValue, "a share from '\(sender)', who has no keys in round \(round)") }
            let key = try FLSecAgg.shareKey(encryptionKey, keys.encryption, round: round)
            let plaintext: Data
            do {
                plaintext = try AES.GCM.open(AES.GCM.SealedBox(combined: ciphertext), using: key, authenticating: FLSecAgg.shareContext(from: sender, to: name, round: round))
            } catch {
                throw ConfideError(.invalidValue, "the share from '\(sender)' in round \(round) does not decrypt")
            }
            let bytes = Array(plaintext)
            guard bytes.count == 1 + 16 + 32 else { throw ConfideError(.invalidValue, "the share from '\(sender)' has the wrong length") }
            held[sender] = (bytes[0], Array(bytes[1..<17]), Array(bytes[17...]))
        }
    }

    /// The collaborators whose shares this one holds (U2 of the protocol, including itself).
    public var sharers: [String] { held.keys.sorted() }

    /// The masked encoding of `words`, with pairwise masks for every other collaborator in ``sharers``.
    public func mask(_ words: [UInt64]) throws -> [UInt64] {
        guard held[name] != nil else { throw ConfideError(.invalidArgument, "\(name) masks before sharing its keys in round \(round)") }
        var y = words
        FLSecAgg.add(&y, FLSecAgg.expand(selfSeed, count: y.count))
        for peer in sharers where peer != name {
            let pair = FLSecAgg.expand(try FLSecAgg.pairSeed(maskingKey, directory[peer]!.masking, round: round), count: y.count)
            if name < peer { FLSecAgg.add(&y, pair) } else { FLSecAgg.subtract(&y, pair) }
        }
        return y
    }

    /// Checks the survivor set U3 the aggregator announced, before this collaborator signs it: no
    /// repeated names, only collaborators whose shares it holds (U3 ⊆ U2), itself among them, at least
    /// the threshold, and `dropped` exactly the other sharers.
    /// - Returns: the survivors, sorted.
    /// - Throws: `.invalidArgument` naming what is wrong.
    public func checkSurvivors(_ survivors: [String], dropped: [String]) throws -> [String] {
        let set = Set(survivors)
        guard set.count == survivors.count else { throw ConfideError(.invalidArgument, "round \(round): the survivor set names a collaborator twice") }
        let holders = Set(sharers)
        guard set.isSubset(of: holders) else {
            let unknown = set.subtracting(holders).sorted().map { NetRole.printable($0) }
            throw ConfideError(.invalidArgument, "round \(round): the survivor set names \(unknown.joined(separator: ", ")), whose shares \(name) does not hold")
        }
        guard set.contains(name) else { throw ConfideError(.invalidArgument, "round \(round): the survivor set leaves out \(name), which sent its masked update") }
        guard survivors.count >= threshold else {
            throw ConfideError(.invalidArgument, "round \(round): \(survivors.count) survivors, fewer than the threshold \(threshold)")
        }
        guard Set(dropped).count == dropped.count, Set(dropped) == holders.subtracting(set) else {
            throw ConfideError(.invalidArgument, "round \(round): the dropped collaborators announced are not the sharers outside the survivor set")
        }
        return survivors.sorted()
    }

    /// The shares the aggregator needs to unmask the sum: the self-mask seed share of every survivor,
    /// the masking-key share of every other sharer (the dropped, U2 \ U3). Each collaborator whose
    /// share this one holds gets exactly one share of one kind. Answers once per round, so no second
    /// request with another survivor set can obtain both shares for one collaborator.
    /// - Throws: `.invalidArgument` when asked twice, or as ``checkSurvivors(_:dropped:)``.
    public mutating func reveal(survivors: [String]) throws -> [FLRevealedShare] {
        guard !revealed else { throw ConfideError(.invalidArgument, "\(name) already revealed its shares for round \(round)") }
        let surviving = Set(try checkSurvivors(survivors, dropped: sharers.filter { !survivors.contains($0) }))
        revealed = true
        return sharers.map { owner in
            let share = held[owner]!
            return surviving.contains(owner)
                ? FLRevealedShare(owner: owner, kind: .selfSeed, x: share.x, share: share.selfSeed)
                : FLRevealedShare(owner: owner, kind: .maskingKey, x: share.x, share: share.maskingKey)
        }
    }
}
