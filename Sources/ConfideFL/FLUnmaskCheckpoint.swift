import ConfideCore
import Foundation

/// A secure round's state as its unmask phase opens: the attempt, the signed keys, the Shamir points,
/// the sharers, the masked updates, the survivor set and the survivors' signatures over it.
///
/// The aggregator writes it (next to the round checkpoint) before any survivor may reveal a share, and
/// a restarted aggregator resumes that same attempt's unmasking from it. A collaborator reveals shares
/// for one update once, against one survivor set; without this file an aggregator that dies after
/// some reveals could only restart the round, which those collaborators refuse, and the federation
/// would stall. It holds nothing the aggregator does not already hold in memory: public keys,
/// certificates, signatures and masked vectors (no share, no update).
struct FLUnmaskCheckpoint: Codable, Equatable {
    var round: UInt64
    var attempt: String
    var restarts: Int
    var keys: [String: FLKeyAdvertisement]
    var points: [String: UInt8]
    var sharers: [String]
    var masked: [String: [UInt64]]
    var survivors: [String]
    var signatures: [String: [UInt8]]
    var metrics: [String: [String: Double]]

    init(_ round: FLRound) {
        self.round = round.number
        attempt = round.attempt
        restarts = round.restarts
        keys = round.keys
        points = round.points
        sharers = round.sharers
        masked = round.masked
        survivors = round.survivors
        signatures = round.signatures
        metrics = round.metrics
    }

    /// The round in its unmask phase, under the same attempt, with no share revealed yet.
    func restored() -> FLRound {
        var round = FLRound(number: round, secure: true, restarts: restarts, attempt: attempt)
        round.phase = .unmask
        round.keys = keys
        round.points = points
        round.sharers = sharers
        round.masked = masked
        round.survivors = survivors
        round.signatures = signatures
        round.metrics = metrics
        return round
    }

    /// The file beside the round checkpoint `checkpoint`.
    static func file(besides checkpoint: String) -> String { checkpoint + ".unmask" }

    /// Writes atomically.
    /// - Throws: `.io` when the file cannot be written.
    func write(to file: String) throws {
        do {
            let data = try JSONEncoder().encode(self)
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: file).deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch { throw ConfideError(.io, "cannot write the unmask checkpoint \(file)") }
    }

    /// - Returns: nil when there is no such file.
    /// - Throws: `.invalidValue` for a file that does not decode.
    static func read(_ file: String) throws -> FLUnmaskCheckpoint? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        guard let checkpoint = try? JSONDecoder().decode(FLUnmaskCheckpoint.self, from: data) else {
            throw ConfideError(.invalidValue, "unmask checkpoint \(file) is corrupt")
        }
        return checkpoint
    }

    static func remove(_ file: String) { try? FileManager.default.removeItem(atPath: file) }
}
