import ConfideCore
import Foundation

/// How the numbers of a table file become scalars of a ``ScalarType``.
///
/// Integers are read exactly (the full u128/i128 range included). With `fractionalBits` f, every
/// cell becomes CipherCore's fixed-point integer round(x · 2^f): an integer n exactly as n · 2^f,
/// a decimal (`-1.25`, `3e-2`) as a binary64 number rounded to the nearest multiple of 2^-f, which
/// is exact for |x · 2^f| < 2^53. Spaces around a number are ignored. `bit` cells are `0`, `1`, `true` or `false` (any case).
public struct NumberText: Sendable, Equatable {
    public var scalarType: ScalarType
    /// Fixed-point scale for decimal cells; nil reads integers only.
    public var fractionalBits: Int?

    /// - Throws: `.invalidArgument` for a scale outside 0...126 or one given for `bit`.
    public init(_ scalarType: ScalarType, fractionalBits: Int? = nil) throws {
        if let f = fractionalBits {
            guard scalarType != .bit else { throw ConfideError(.invalidArgument, "fractional_bits does not apply to bit values") }
            guard (0...(scalarType.bits - 2)).contains(f) else {
                throw ConfideError(.invalidArgument, "fractional_bits \(f) is outside 0...\(scalarType.bits - 2) for \(scalarType)")
            }
        }
        self.scalarType = scalarType
        self.fractionalBits = fractionalBits
    }

    /// The residue of one cell.
    /// - Throws: `.invalidValue` for text that is not a number, `.outOfRange` for a number the type
    ///   cannot hold. Messages never repeat the text (it may be secret).
    public func residue(_ untrimmed: Substring) throws -> UInt128 {
        let text = untrimmed.first == " " || untrimmed.last == " " ? untrimmed.trimmingCharacters(in: .whitespaces)[...] : untrimmed
        if scalarType == .bit {
            switch text {
            case "0", "false", "False", "FALSE": return 0
            case "1", "true", "True", "TRUE": return 1
            default: throw ConfideError(.invalidValue, "expected 0, 1, true or false for bit, found other text")
            }
        }
        guard let f = fractionalBits else { return try scalarType.parseResidue(String(text)) }
        let integer: UInt128
        do {
            integer = try ScalarType.i128.parseResidue(String(text))
        } catch let error as ConfideError where error.code == .invalidValue {
            return try fixedPoint(text)
        } catch {
            throw ConfideError(.outOfRange, "number times 2^\(f) is out of range for \(scalarType) (\(scalarType.rangeDescription))")
        }
        // An integer is scaled exactly: n · 2^f, checked against the type's range.
        let n = Int128(bitPattern: integer)
        let limit = Int128(1) << (126 - f)
        guard n < limit, n >= -limit, let residue = scalarType.residue(checking: n << f) else {
            throw ConfideError(.outOfRange, "number times 2^\(f) is out of range for \(scalarType) (\(scalarType.rangeDescription))")
        }
        return residue
    }

    /// ``residue(_:)`` of a cell's UTF-8 bytes (no spaces around them): integers are read from the
    /// bytes without making a string.
    public func residue(utf8 bytes: UnsafeBufferPointer<UInt8>) throws -> UInt128 {
        if fractionalBits == nil, scalarType != .bit { return try scalarType.parseResidue(utf8: bytes) }
        return try residue(Substring(String(decoding: bytes, as: UTF8.self)))
    }

    private func fixedPoint(_ text: Substring) throws -> UInt128 {
        guard let x = Double(text), x.isFinite else {
            throw ConfideError(.invalidValue, "expected a number for \(scalarType) with \(fractionalBits ?? 0) fractional bits, found other text")
        }
        return try residue(fixedPoint: x)
    }

    /// The fixed-point residue round(x · 2^f) of a finite number.
    /// - Throws: `.invalidValue` without `fractionalBits` or for a non-finite x; `.outOfRange`.
    public func residue(fixedPoint x: Double) throws -> UInt128 {
        guard let f = fractionalBits, x.isFinite else {
            throw ConfideError(.invalidValue, "a non-finite number, or a decimal without fractional_bits, cannot become \(scalarType)")
        }
        let scaled = (x * Double(sign: .plus, exponent: f, significand: 1)).rounded(.toNearestOrEven)
        guard abs(scaled) < 0x1p126, let residue = scalarType.residue(checking: Int128(scaled)) else {
            throw ConfideError(.outOfRange, "number times 2^\(f) is out of range for \(scalarType) (\(scalarType.rangeDescription))")
        }
        return residue
    }

    /// True when `text` reads as a number (an integer or a decimal): how a header row is told from data.
    public static func looksNumeric(_ text: Substring) -> Bool {
        guard let first = text.utf8.first else { return false }
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) {
            return Double(text) != nil
        }
        return false
    }
}
