import ConfideCore
import Foundation

/// What the aggregator holds during one round. In secure mode it only ever holds public keys,
/// encrypted shares, masked vectors, revealed shares (of b for survivors, of s for the dropped)
/// and the sum; in plain mode the individual updates.
struct FLRound {
    enum Phase: Int, Comparable {
        case keys, shares, masked, unmask, done
        static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }

    let number: UInt64
    var phase = Phase.keys
    var phaseStarted = Date()
    /// Secure mode.
    var keys: [String: FLSecAggPublicKeys] = [:]
    var mailbox: [String: [String: [UInt8]]] = [:]
    var sharers: [String] = []
    var masked: [String: [UInt64]] = [:]
    var survivors: [String] = []
    var revealed: [String: [FLRevealedShare]] = [:]
    /// Plain mode: each collaborator's weighted update and weight.
    var plain: [String: (sum: [Double], weight: Double)] = [:]
    var metrics: [String: [String: Double]] = [:]
    var stalledWarned = false

    init(number: UInt64, secure: Bool) {
        self.number = number
        phase = secure ? .keys : .masked
    }

    /// Who has finished the current phase, and who was expected to.
    func progress(registered: [String]) -> (done: Set<String>, expected: Set<String>) {
        switch phase {
        case .keys: return (Set(keys.keys), Set(registered))
        case .shares: return (Set(sharers), Set(keys.keys))
        case .masked: return (Set(masked.keys).union(plain.keys), Set(sharers.isEmpty ? registered : sharers))
        case .unmask: return (Set(revealed.keys), Set(survivors))
        case .done: return ([], [])
        }
    }
}
