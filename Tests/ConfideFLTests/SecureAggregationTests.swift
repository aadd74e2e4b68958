import ConfideCore
import Foundation
import Testing

@testable import ConfideFL

@Suite struct SecureAggregationTests {
    /// The revealed shares of a round run in memory, by revealer, with what is needed to unmask them.
    struct Outcome {
        var masked: [String: [UInt64]]
        var directory: [String: FLSecAggPublicKeys]
        var revealed: [String: [FLRevealedShare]]
    }

    /// Runs the protocol in memory for `inputs` up to the reveals; collaborators in `dropAfterSharing` share their keys but never send a masked vector.
    func reveal(_ inputs: [String: [Double]], threshold: Int, dropAfterSharing: Set<String> = []) throws -> Outcome {
        var parties = inputs.keys.sorted().map { FLSecAggParticipant(name: $0, round: round, threshold: threshold) }
        var directory: [String: FLSecAggPublicKeys] = [:]
        for p in parties { directory[p.name] = p.publicKeys }
        var mailbox: [String: [String: [UInt8]]] = [:]
        for i in parties.indices {
            for (to, box) in try parties[i].shareKeys(directory: directory) { mailbox[to, default: [:]][parties[i].name] = box }
        }
        for i in parties.indices { try parties[i].receive(mailbox[parties[i].name] ?? [:]) }
        var masked: [String: [UInt64]] = [:]
        for p in parties where !dropAfterSharing.contains(p.name) { masked[p.name] = try p.mask(try FLFixedPoint.encode(inputs[p.name]!)) }
        let survivors = masked.keys.sorted()
        var revealed: [String: [FLRevealedShare]] = [:]
        for i in parties.indices where masked[parties[i].name] != nil {
            revealed[parties[i].name] = try parties[i].reveal(survivors: survivors)
        }
        return Outcome(masked: masked, directory: directory, revealed: revealed)
    }

    let round: UInt64 = 3

    func unmask(_ outcome: Outcome, threshold: Int) throws -> (sum: [Double], rejected: [FLSecAggUnmasker.Rejection]) {
        let (sum, rejected) = try FLSecAggUnmasker.sum(
            round: round, threshold: threshold, masked: outcome.masked, sharers: outcome.directory.keys.sorted(), keys: outcome.directory,
            revealed: outcome.revealed)
        return (FLFixedPoint.decode(sum), rejected)
    }

    /// Runs the protocol in memory for `inputs`; collaborators in `dropAfterSharing` share their keys but never send a masked vector.
    func run(_ inputs: [String: [Double]], threshold: Int, dropAfterSharing: Set<String> = []) throws -> (sum: [Double], masked: [String: [UInt64]]) {
        let outcome = try reveal(inputs, threshold: threshold, dropAfterSharing: dropAfterSharing)
        let (sum, rejected) = try unmask(outcome, threshold: threshold)
        #expect(rejected.isEmpty)
        return (sum, outcome.masked)
    }

    @Test func sumIsCorrectWithoutDropout() throws {
        let inputs = ["alice": [1.5, -2.25, 3], "bob": [0.5, 0.25, -1], "carol": [-1, 2, 10.125]]
        let (sum, _) = try run(inputs, threshold: 2)
        for (got, want) in zip(sum, [1.0, 0.0, 12.125]) { #expect(abs(got - want) < 1e-6) }
    }

    @Test func sumOfSurvivorsIsCorrectAfterADropout() throws {
        let inputs = ["alice": [1.5, -2.25, 3], "bob": [0.5, 0.25, -1], "carol": [-1, 2, 10.125], "dave": [100, 100, 100]]
        let (sum, masked) = try run(inputs, threshold: 2, dropAfterSharing: ["dave"])
        #expect(masked["dave"] == nil)
        for (got, want) in zip(sum, [1.0, 0.0, 12.125]) { #expect(abs(got - want) < 1e-6) }
    }

    @Test func tooFewSurvivorsCannotUnmask() throws {
        let inputs = ["alice": [1.0], "bob": [2.0], "carol": [3.0]]
        #expect(throws: ConfideError.self) { try run(inputs, threshold: 3, dropAfterSharing: ["carol"]) }
    }

    @Test func shamirReconstructsFromAnyThresholdSubset() throws {
        let secret: [UInt8] = Array(0..<32)
        let shares = try FLShamir.split(secret, threshold: 3, count: 5)
        #expect(try FLShamir.combine([shares[4], shares[0], shares[2]], threshold: 3) == secret)
        #expect(try FLShamir.combine([shares[1], shares[3], shares[2]], threshold: 3) == secret)
        // Two shares of a threshold-3 sharing are refused.
        #expect(throws: ConfideError.self) { try FLShamir.combine([shares[0], shares[1]], threshold: 3) }
    }

    /// What the aggregator holds for one collaborator (its masked vector) looks uniform whatever the
    /// update: the masked words of a zero update and of a large constant update both have balanced
    /// bits, and neither equals (or differs by a constant from) the encoded update.
    @Test func maskedUpdateRevealsNothingAboutTheUpdate() throws {
        let n = 4096
        let zeros = [Double](repeating: 0, count: n)
        let large = [Double](repeating: 1000, count: n)
        for update in [zeros, large] {
            let (sum, masked) = try run(["alice": update, "bob": zeros, "carol": zeros], threshold: 2)
            #expect(abs(sum[0] - update[0]) < 1e-6)
            let words = masked["alice"]!
            let encoded = try FLFixedPoint.encode(update)
            // Ones among all bits: mean n*32, standard deviation sqrt(n*64)/2 = 256; allow 6 sigma (each bound fails a
            // uniform mask with probability 2e-9).
            let ones = words.reduce(0) { $0 + $1.nonzeroBitCount }
            #expect(abs(ones - n * 32) < 6 * 256)
            // Each bit position is balanced across the vector (a constant update would show as fixed bits).
            for bit in 0..<64 {
                let count = words.reduce(0) { $0 + Int(($1 >> UInt64(bit)) & 1) }
                #expect(abs(count - n / 2) < 6 * 32)
            }
            let differences = Set(zip(words, encoded).map { $0 &- $1 })
            #expect(differences.count > n - 5)
        }
    }

    @Test func fixedPointRejectsNaN() {
        #expect(throws: ConfideError.self) { try FLFixedPoint.encode([1, .nan]) }
        #expect(throws: ConfideError.self) { try FLFixedPoint.encode([1e30]) }
    }

    /// Flips one byte of the share of `owner`'s secret that `revealer` revealed.
    func alter(_ outcome: inout Outcome, revealer: String, owner: String) {
        let index = outcome.revealed[revealer]!.firstIndex { $0.owner == owner }!
        outcome.revealed[revealer]![index].share[0] ^= 0x5a
    }

    /// An altered share of a survivor's seed (whether its point comes first, so that the first combination
    /// fails, or last) is set aside: the seed is rebuilt from the others, checked against the commitment, and
    /// the revealer named. The sum stays exact.
    @Test(arguments: ["alice", "dave"])
    func alteredSeedShareIsSetAsideAndItsRevealerNamed(revealer: String) throws {
        let inputs = ["alice": [1.5, -2.25], "bob": [0.5, 0.25], "carol": [-1, 2], "dave": [4, 8]]
        var outcome = try reveal(inputs, threshold: 3)
        alter(&outcome, revealer: revealer, owner: "carol")
        let (sum, rejected) = try unmask(outcome, threshold: 3)
        #expect(rejected == [FLSecAggUnmasker.Rejection(owner: "carol", kind: .selfSeed, revealer: revealer)])
        for (got, want) in zip(sum, [5.0, 8.0]) { #expect(abs(got - want) < 1e-6) }
    }

    /// An altered share of a dropped collaborator's masking key is set aside the same way (checked against its advertised key).
    @Test func alteredMaskingKeyShareIsSetAside() throws {
        let inputs = ["alice": [1.0], "bob": [2.0], "carol": [3.0], "dave": [100.0]]
        var outcome = try reveal(inputs, threshold: 2, dropAfterSharing: ["dave"])
        alter(&outcome, revealer: "alice", owner: "dave")
        let (sum, rejected) = try unmask(outcome, threshold: 2)
        #expect(rejected == [FLSecAggUnmasker.Rejection(owner: "dave", kind: .maskingKey, revealer: "alice")])
        #expect(abs(sum[0] - 6) < 1e-6)
    }

    /// With no spare share (threshold = every survivor) an altered share cannot be worked around: unmasking
    /// fails naming the owner whose seed does not match its commitment, and yields no sum.
    @Test func alteredShareWithoutSpareSharesFailsNamingTheOwner() throws {
        let inputs = ["alice": [1.0], "bob": [2.0], "carol": [3.0]]
        var outcome = try reveal(inputs, threshold: 3)
        alter(&outcome, revealer: "bob", owner: "alice")
        let error = #expect(throws: ConfideError.self) { try unmask(outcome, threshold: 3) }
        #expect(error?.code == .invalidValue)
        #expect(error?.message.contains("alice's self-mask seed") == true, "\(error?.message ?? "")")
    }

    /// A collaborator reveals exactly one share per sharer, of the seed for survivors and of the masking key
    /// for the dropped, and only once: a second request with another survivor set (which could combine both
    /// shares of one collaborator) is refused, as are survivor sets it cannot have been given.
    @Test func revealGivesOneShareKindPerCollaboratorOnce() throws {
        let names = ["alice", "bob", "carol", "dave"]
        var parties = names.map { FLSecAggParticipant(name: $0, round: round, threshold: 2) }
        var directory: [String: FLSecAggPublicKeys] = [:]
        for p in parties { directory[p.name] = p.publicKeys }
        var mailbox: [String: [String: [UInt8]]] = [:]
        for i in parties.indices {
            for (to, box) in try parties[i].shareKeys(directory: directory) { mailbox[to, default: [:]][parties[i].name] = box }
        }
        for i in parties.indices { try parties[i].receive(mailbox[parties[i].name]!) }
        var alice = parties[0]
        for (survivors, dropped) in [
            (["alice", "bob", "mallory"], ["carol", "dave"]),  // a name whose shares alice does not hold
            (["bob", "carol"], ["alice", "dave"]),  // leaves alice out
            (["alice"], ["bob", "carol", "dave"]),  // fewer than the threshold
            (["alice", "alice", "bob"], ["carol", "dave"]),  // a name twice
            (["alice", "bob", "carol"], []),  // dave is neither
            (["alice", "bob", "carol"], ["carol", "dave"]),  // carol both surviving and dropped
        ] {
            #expect(throws: ConfideError.self, "\(survivors) \(dropped)") { try alice.checkSurvivors(survivors, dropped: dropped) }
        }
        #expect(try alice.checkSurvivors(["carol", "alice", "bob"], dropped: ["dave"]) == ["alice", "bob", "carol"])
        let shares = try alice.reveal(survivors: ["alice", "bob", "carol"])
        #expect(shares.map(\.owner).sorted() == names)
        #expect(shares.filter { $0.kind == .selfSeed }.map(\.owner).sorted() == ["alice", "bob", "carol"])
        #expect(shares.filter { $0.kind == .maskingKey }.map(\.owner) == ["dave"])
        #expect(Set(shares.map(\.x)) == [1])
        let again = #expect(throws: ConfideError.self) { try alice.reveal(survivors: ["alice", "bob"]) }
        #expect(again?.message.contains("already revealed") == true)
    }

    /// Interpolation gives the secret at 0 and the missing share at any other point; the combination search
    /// walks every k-subset in order.
    @Test func shamirInterpolatesAtEveryPoint() throws {
        let secret: [UInt8] = Array(100..<116)
        let shares = try FLShamir.split(secret, threshold: 3, count: 6)
        let used = [shares[1], shares[4], shares[5]]
        #expect(try FLShamir.interpolate(used, at: 0) == secret)
        for share in shares { #expect(try FLShamir.interpolate(used, at: share.x) == share.share) }
        var combinations: [[Int]] = []
        var next: [Int]? = [0, 1]
        while let current = next {
            combinations.append(current)
            next = FLSecAggUnmasker.nextCombination(current, count: 4)
        }
        #expect(combinations == [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]])
    }

    /// Transcripts are injective: moving bytes between names, or between fields, changes what is signed.
    @Test func transcriptsSeparateTheirFields() {
        let federation = [UInt8](repeating: 7, count: 32)
        let a = FLSecAggTranscript.survivors(federation: federation, round: 1, attempt: "x", survivors: ["ab", "c"])
        #expect(a != FLSecAggTranscript.survivors(federation: federation, round: 1, attempt: "x", survivors: ["a", "bc"]))
        #expect(a != FLSecAggTranscript.survivors(federation: federation, round: 1, attempt: "xab", survivors: ["c"]))
        #expect(a != FLSecAggTranscript.survivors(federation: federation, round: 2, attempt: "x", survivors: ["ab", "c"]))
        #expect(a == FLSecAggTranscript.survivors(federation: federation, round: 1, attempt: "x", survivors: ["c", "ab"]))
        let keys = FLSecAggPublicKeys(encryption: Array(repeating: 1, count: 32), masking: Array(repeating: 2, count: 32), seedCommitment: Array(repeating: 3, count: 32))
        #expect(
            FLSecAggTranscript.keys(federation: federation, round: 1, attempt: "x", collaborator: "alice", keys: keys)
                != FLSecAggTranscript.keys(federation: federation, round: 1, attempt: "x", collaborator: "bob", keys: keys))
    }
}
