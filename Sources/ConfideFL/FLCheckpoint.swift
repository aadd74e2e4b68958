import ConfideCore
import Foundation

/// The aggregator's state after a completed round: the next round to run, the global model and the
/// metrics so far. Written atomically after every round; read at start to resume.
public struct FLCheckpoint: Sendable, Equatable {
    public struct RoundMetrics: Sendable, Equatable, Codable {
        public var round: UInt64
        public var collaborators: [String]
        public var metrics: [String: Double]
    }

    public var nextRound: UInt64
    public var model: [Double]
    public var history: [RoundMetrics]

    public init(nextRound: UInt64, model: [Double], history: [RoundMetrics]) {
        self.nextRound = nextRound
        self.model = model
        self.history = history
    }

    private struct Header: Codable {
        var nextRound: UInt64
        var parameters: Int
        var history: [RoundMetrics]
    }

    /// Layout: 8-byte little-endian header length, JSON header, then the model as little-endian float64.
    public func write(to file: String) throws {
        let header = try JSONEncoder().encode(Header(nextRound: nextRound, parameters: model.count, history: history))
        var data = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(header)
        model.withUnsafeBytes { data.append(contentsOf: $0) }
        do {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: file).deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch { throw ConfideError(.io, "cannot write checkpoint \(file)") }
    }

    /// - Returns: nil when there is no checkpoint file.
    /// - Throws: `.invalidValue` for a corrupt checkpoint.
    public static func read(_ file: String) throws -> FLCheckpoint? {
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        guard let data = FileManager.default.contents(atPath: file), data.count >= 8 else { throw ConfideError(.invalidValue, "checkpoint \(file) is truncated") }
        let length = Int(data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) })
        guard length >= 0, 8 + length <= data.count, let header = try? JSONDecoder().decode(Header.self, from: data.subdata(in: 8..<(8 + length))),
            data.count - 8 - length == header.parameters * 8
        else { throw ConfideError(.invalidValue, "checkpoint \(file) is corrupt") }
        var model = [Double](repeating: 0, count: header.parameters)
        model.withUnsafeMutableBytes { _ = data.copyBytes(to: $0, from: (8 + length)...) }
        return FLCheckpoint(nextRound: header.nextRound, model: model, history: header.history)
    }
}
