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
    public var minValue: Int128 {
        guard isSigned else { return 0 }
        return bits == 128 ? .min : -(Int128(1) << Int128(bits - 1))
    }

    /// Largest representable value; for u128 this is clamped to Int128.max (see ``maxUnsigned``).
    public var maxSigned: Int128 {
        if isSigned { return bits == 128 ? .max : (Int128(1) << Int128(bits - 1)) - 1 }
        return bits >= 127 ? .max : (Int128(1) << Int128(bits)) - 1
    }

    /// Largest unsigned residue.
    public var maxUnsigned: UInt128 { mask128 }

    /// The residue of the largest value (for signed types 2^(bits-1) - 1, else the mask).
    public var maxResidue: UInt128 { isSigned ? mask128 >> 1 : mask128 }

    /// The residue of the smallest value (for signed types 2^(bits-1), else 0).
    public var minResidue: UInt128 { isSigned ? (mask128 >> 1) + 1 : 0 }

    /// The accepted range as text, for error messages: `0...255`, `-128...127`.
    public var rangeDescription: String { "\(decimalString(minResidue))...\(decimalString(maxResidue))" }

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
    ///
    /// For `u128` residues above `Int128.max` the result wraps; use ``decimalString(_:)`` to print.
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
        if bits <= 64 {
            let word = UInt64(truncatingIfNeeded: residue)
            if isSigned {
                let shift = UInt64(64 - bits)
                return String(Int64(bitPattern: word << shift) >> Int64(shift))
            }
            return String(word & mask64)
        }
        return isSigned ? String(interpret(residue)) : String(residue)
    }

    /// Parses decimal text (ASCII digits with an optional leading `-`) into a residue, checking
    /// the range of the type. `-0` is accepted as 0; a leading `+`, spaces, fractions and
    /// exponents are not.
    /// - Throws: ``ConfideError`` `.outOfRange` naming the type and its range, or `.invalidValue`
    ///   for text that is not an integer. Messages never repeat the number (it may be secret).
    public func parseResidue(_ text: String) throws -> UInt128 {
        var text = text
        return try text.withUTF8 { try parseResidue(utf8: $0) }
    }

    /// ``parseResidue(_:)`` of UTF-8 bytes.
    public func parseResidue(utf8 bytes: UnsafeBufferPointer<UInt8>) throws -> UInt128 {
        guard let (negative, magnitude) = ScalarType.parseDecimalMagnitude(bytes) else {
            throw ConfideError(.invalidValue, "expected an integer for \(self), found non-integer text")
        }
        guard let magnitude else {
            throw ConfideError(.outOfRange, "integer is out of range for \(self) (\(rangeDescription))")
        }
        if negative {
            // The most negative value's magnitude equals its residue (2^(bits-1)); 0 when unsigned.
            guard magnitude <= minResidue else {
                throw ConfideError(.outOfRange, "integer is out of range for \(self) (\(rangeDescription))")
            }
            return (0 &- magnitude) & mask128
        }
        guard magnitude <= maxResidue else {
            throw ConfideError(.outOfRange, "integer is out of range for \(self) (\(rangeDescription))")
        }
        return magnitude
    }

    /// Splits `-?[0-9]+` into its sign and magnitude: nil when the text is not an integer, a nil
    /// magnitude when it does not fit 128 bits.
    private static func parseDecimalMagnitude(_ bytes: UnsafeBufferPointer<UInt8>) -> (Bool, UInt128?)? {
        var i = 0
        let negative = !bytes.isEmpty && bytes[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        guard i < bytes.count else { return nil }
        // Up to 19 digits fit 64 bits: the common case, without 128-bit arithmetic.
        if bytes.count - i <= 19 {
            var word: UInt64 = 0
            while i < bytes.count {
                let digit = bytes[i] &- 0x30
                guard digit <= 9 else { return nil }
                word = word &* 10 &+ UInt64(digit)
                i += 1
            }
            return (negative, UInt128(word))
        }
        var value: UInt128 = 0
        var overflow = false
        while i < bytes.count {
            let c = bytes[i]
            guard c >= 0x30, c <= 0x39 else { return nil }
            if !overflow {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt128(c - 0x30))
                if o1 || o2 { overflow = true } else { value = a }
            }
            i += 1
        }
        return (negative, overflow ? nil : value)
    }
}
