/// One of CipherCore's scalar rings: `bit` (Z/2) and signed/unsigned integers modulo 2^bits.
///
/// Values of every type are stored as their residue modulo 2^bits; signedness matters only when a
/// value is interpreted (Truncate, comparisons, printing).
public enum ScalarType: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    case bit, u8, i8, u16, i16, u32, i32, u64, i64, u128, i128

    /// Bits per element (1 for `bit`).
    public var bits: Int {
        switch self {
        case .bit: return 1
        case .u8, .i8: return 8
        case .u16, .i16: return 16
        case .u32, .i32: return 32
        case .u64, .i64: return 64
        case .u128, .i128: return 128
        }
    }

    /// Whether values are interpreted in two's complement.
    public var isSigned: Bool {
        switch self {
        case .i8, .i16, .i32, .i64, .i128: return true
        default: return false
        }
    }

    /// Whether elements need 128-bit storage.
    public var isWide: Bool { bits == 128 }

    /// Bytes per element in CipherCore's byte encoding (bit arrays are packed instead).
    public var byteWidth: Int { max(1, bits / 8) }

    /// The residue mask for ≤64-bit types.
    public var mask64: UInt64 { bits >= 64 ? .max : (UInt64(1) << UInt64(bits)) - 1 }

    /// The residue mask as a 128-bit value.
    public var mask128: UInt128 { bits >= 128 ? .max : (UInt128(1) << UInt128(bits)) - 1 }

    /// Smallest representable value (as a signed 128-bit number); 0 for unsigned types.
    public var minValue: Int128 { isSigned ? -(Int128(1) << Int128(bits - 1)) : 0 }

    /// Largest representable value; for u128 this is clamped to Int128.max (see ``maxUnsigned``).
    public var maxSigned: Int128 { isSigned ? (Int128(1) << Int128(bits - 1)) - 1 : (bits >= 127 ? .max : (Int128(1) << Int128(bits)) - 1) }

    /// Largest unsigned residue.
    public var maxUnsigned: UInt128 { mask128 }

    /// The unsigned type with the same width (bit stays bit).
    public var unsignedCounterpart: ScalarType {
        switch self {
        case .i8: return .u8
        case .i16: return .u16
        case .i32: return .u32
        case .i64: return .u64
        case .i128: return .u128
        default: return self
        }
    }

    public var description: String { rawValue }

    /// CipherCore version 1 `modulus` (nil means 2^64); nil result for 128-bit types which version 1 lacks.
    public var v1Modulus: UInt64?? {
        switch bits {
        case 1: return .some(2)
        case 8: return .some(256)
        case 16: return .some(65536)
        case 32: return .some(4_294_967_296)
        case 64: return .some(nil)
        default: return nil
        }
    }

    /// Finds the type for a version 1 `{signed, modulus}` description.
    public init?(signed: Bool, modulus: UInt64?) {
        let candidates = ScalarType.allCases.filter { $0.isSigned == signed && $0.bits <= 64 }
        guard let match = candidates.first(where: { $0.v1Modulus == .some(modulus) }) else { return nil }
        if match == .bit, signed { return nil }
        self = match
    }

    /// Reduces a signed 128-bit number to this type's residue, or nil if it is out of range.
    public func residue(checking value: Int128) -> UInt128? {
        if isSigned {
            guard value >= minValue, value <= maxSigned else { return nil }
        } else {
            guard value >= 0, bits == 128 || value <= maxSigned else { return nil }
        }
        return UInt128(truncatingIfNeeded: value) & mask128
    }

    /// Interprets a residue as a signed number when the type is signed (sign extension), else as is.
    @inline(__always)
    public func interpret(_ residue: UInt128) -> Int128 {
        if isSigned {
            let shift = 128 - bits
            return Int128(truncatingIfNeeded: residue << UInt128(shift)) >> Int128(shift)
        }
        return Int128(truncatingIfNeeded: residue)
    }

    /// Decimal text of a residue under this type's interpretation (works for the full u128 range).
    public func decimalString(_ residue: UInt128) -> String {
        isSigned ? String(interpret(residue)) : String(residue)
    }

    /// Parses decimal text into a residue, checking the range of the type.
    /// - Throws: ``ConfideError`` `.outOfRange` naming the type, or `.invalidValue` for non-integers.
    public func parseResidue(_ text: String) throws -> UInt128 {
        if text.hasPrefix("-") {
            guard let v = Int128(text, radix: 10) else {
                if text.dropFirst().allSatisfy(\.isNumber) { throw ConfideError(.outOfRange, "integer \(text) is out of range for \(self)") }
                throw ConfideError(.invalidValue, "expected an integer for \(self), found \(text)")
            }
            guard let r = residue(checking: v) else { throw ConfideError(.outOfRange, "integer \(text) is out of range for \(self)") }
            return r
        }
        guard let v = UInt128(text, radix: 10) else {
            if !text.isEmpty && text.allSatisfy(\.isNumber) { throw ConfideError(.outOfRange, "integer \(text) is out of range for \(self)") }
            throw ConfideError(.invalidValue, "expected an integer for \(self), found \(text)")
        }
        if isSigned {
            guard v <= UInt128(maxSigned) else { throw ConfideError(.outOfRange, "integer \(text) is out of range for \(self)") }
        } else {
            guard v <= mask128 else { throw ConfideError(.outOfRange, "integer \(text) is out of range for \(self)") }
        }
        return v
    }
}
