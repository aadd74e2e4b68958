import ConfideCore

/// Fixed-point encoding of reals into Z_2^64 (two's complement, 20 fractional bits), so masked
/// updates add up modulo 2^64 and the sum decodes exactly as long as it stays within ±2^43.
public enum FLFixedPoint {
    public static let fractionalBits = 20
    public static let scale = Double(1 << fractionalBits)
    /// The largest magnitude one collaborator may encode (leaves room for 2^7 collaborators).
    public static let maximumMagnitude = Double(1 << 36)
    /// The most collaborators whose updates can be summed without leaving the decodable range.
    public static let maximumCollaborators = 1 << 7

    /// - Throws: `.invalidValue` naming the index of a NaN, infinite or too large entry.
    public static func encode(_ values: [Double]) throws -> [UInt64] {
        var words = [UInt64](repeating: 0, count: values.count)
        for (i, value) in values.enumerated() {
            guard value.isFinite else { throw ConfideError(.invalidValue, "entry \(i) of the update is not a finite number") }
            guard abs(value) <= maximumMagnitude else {
                throw ConfideError(.outOfRange, "entry \(i) of the update exceeds the fixed-point range ±\(Int(maximumMagnitude))")
            }
            words[i] = UInt64(bitPattern: Int64((value * scale).rounded()))
        }
        return words
    }

    public static func decode(_ words: [UInt64]) -> [Double] {
        words.map { Double(Int64(bitPattern: $0)) / scale }
    }
}
