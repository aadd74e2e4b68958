import ConfideCore
import Crypto
import Foundation

/// What the aggregator holds during one round. In secure mode it only ever holds signed public keys
/// and certificates, encrypted shares, masked vectors, survivors' signatures over the survivor set,
/// revealed shares (of b for survivors, of s for the dropped) and the sum; in plain mode the
/// individual updates.
struct FLRound {
    enum Phase: Int, Comparable {
        case keys, shares, masked, consistency, unmask, done
        static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }

    let number: UInt64
    /// Names this attempt at the round (random): a restarted round, or a round of a restarted
    /// aggregator, is a new attempt, and messages quoting another attempt are refused.
    let attempt: String
    /// How many times this round was restarted before this attempt (for logs).
    let restarts: Int
    var phase = Phase.keys
    var phaseStarted = Date()
    /// Secure mode: the signed keys and the verified certificate key of each collaborator.
    var keys: [String: FLKeyAdvertisement] = [:]
    var signingKeys: [String: P256.Signing.PublicKey] = [:]
    /// The Shamir point each collaborator holds in every sharing (its place in the sorted directory, from 1).
    var points: [String: UInt8] = [:]
    var mailbox: [String: [String: [UInt8]]] = [:]
    var sharers: [String] = []
    var masked: [String: [UInt64]] = [:]
    var survivors: [String] = []
    /// Survivors' signatures over ``survivors`` (the consistency check), by signer.
    var signatures: [String: [UInt8]] = [:]
    /// Revealed shares, by revealer.
    var revealed: [String: [FLRevealedShare]] = [:]
    /// Plain mode: each collaborator's weighted update and weight.
    var plain: [String: (sum: [Double], weight: Double)] = [:]
    var metrics: [String: [String: Double]] = [:]
    var stalledWarned = false

    /// - Parameter attempt: the attempt's name; a fresh random one when nil.
    init(number: UInt64, secure: Bool, restarts: Int = 0, attempt: String? = nil) {
        self.number = number
        self.restarts = restarts
        if let attempt {
            self.attempt = attempt
        } else {
            var generator = AESCTRGenerator.fromSystemEntropy()
            var bytes = [UInt8](repeating: 0, count: 8)
            generator.fill(&bytes)
            self.attempt = Hex.encode(bytes)
        }
        phase = secure ? .keys : .masked
    }

    /// The same round from the start, under a new attempt name.
    func restarted(secure: Bool) -> FLRound { FLRound(number: number, secure: secure, restarts: restarts + 1) }

    /// Who has finished the current phase, and who was expected to.
    func progress(registered: [String]) -> (done: Set<String>, expected: Set<String>) {
        switch phase {
        case .keys: return (Set(keys.keys), Set(registered))
        case .shares: return (Set(sharers), Set(keys.keys))
        case .masked: return (Set(masked.keys).union(plain.keys), Set(sharers.isEmpty ? registered : sharers))
        case .consistency: return (Set(signatures.keys), Set(survivors))
        case .unmask: return (Set(revealed.keys), Set(signatures.keys))
        case .done: return ([], [])
        }
    }
}
