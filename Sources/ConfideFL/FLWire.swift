import ConfideCore
import Foundation

/// Vectors on the wire: little-endian float64 (models, plain updates) or uint64 (masked updates),
/// sent in chunks of ``chunkBytes``.
public enum FLWire {
    public static let chunkBytes = 1 << 20
    /// The largest vector either side accepts (a model of 2^27 float64 parameters) when nothing
    /// tighter is known; an announced length above it is refused before any memory is reserved.
    public static let maxVectorBytes = 1 << 30
    /// Statistics vectors (round 0) are per-feature sums: far smaller than a model.
    public static let maxStatisticsBytes = 64 << 20

    public static func bytes(_ values: [Double]) -> Data { values.withUnsafeBytes { Data($0) } }
    public static func bytes(_ words: [UInt64]) -> Data { words.withUnsafeBytes { Data($0) } }

    /// - Throws: `.invalidValue` when the byte count is not a multiple of 8.
    public static func doubles(_ data: Data, what: String) throws -> [Double] {
        guard data.count % 8 == 0 else { throw ConfideError(.invalidValue, "\(what) has \(data.count) bytes, not a whole number of float64 values") }
        var values = [Double](repeating: 0, count: data.count / 8)
        values.withUnsafeMutableBytes { _ = data.copyBytes(to: $0) }
        return values
    }

    public static func words(_ data: Data, what: String) throws -> [UInt64] {
        guard data.count % 8 == 0 else { throw ConfideError(.invalidValue, "\(what) has \(data.count) bytes, not a whole number of 64-bit words") }
        var values = [UInt64](repeating: 0, count: data.count / 8)
        values.withUnsafeMutableBytes { _ = data.copyBytes(to: $0) }
        return values
    }

    /// `data` split into chunks of at most ``chunkBytes`` (one empty chunk for empty data).
    public static func chunks(_ data: Data) -> [Data] {
        guard !data.isEmpty else { return [Data()] }
        return stride(from: 0, to: data.count, by: chunkBytes).map { data.subdata(in: $0..<min($0 + chunkBytes, data.count)) }
    }
}
