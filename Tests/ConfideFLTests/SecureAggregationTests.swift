import ConfideCore
import Foundation
import Testing

@testable import ConfideFL

@Suite struct SecureAggregationTests {
    /// Runs the protocol in memory for `inputs`; collaborators in `dropAfterSharing` share their keys but never send a masked vector.
    func run(_ inputs: [String: [Double]], threshold: Int, dropAfterSharing: Set<String> = []) throws -> (sum: [Double], masked: [String: [UInt64]]) {
        let round: UInt64 = 3
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
        var revealed: [FLRevealedShare] = []
        for i in parties.indices where masked[parties[i].name] != nil {
            revealed += try parties[i].reveal(survivors: survivors, dropped: dropAfterSharing.sorted())
        }
        let sum = try FLSecAggUnmasker.sum(
            round: round, threshold: threshold, masked: masked, sharers: directory.keys.sorted(),
            maskingKeys: directory.mapValues(\.masking), revealed: revealed)
        return (FLFixedPoint.decode(sum), masked)
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
}
