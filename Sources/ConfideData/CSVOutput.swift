import ConfideCore
import Foundation

/// Writes a value as a CSV table, the inverse of ``CSVInput`` (see ``CSVLayout``): a named tuple
/// gets a header row of its field names, other values get no header. Integers are written exactly;
/// with `fractionalBits` f, each number x is written as the decimal x / 2^f (fixed point).
public enum CSVOutput {
    /// - Throws: `.invalidType` for a value that does not fit a table.
    public static func bytes(_ value: Value, fractionalBits: Int? = nil) throws -> [UInt8] {
        let layout = try CSVLayout(value.type)
        let tensors: [Tensor] = (value.children ?? [value]).map { $0.tensor! }
        var out: [UInt8] = []
        out.reserveCapacity(layout.rows * layout.width * 8 + 64)
        if layout.isNamed {
            out.append(contentsOf: layout.parts.map { quoted($0.name!) }.joined(separator: ",").utf8)
            out.append(UInt8(ascii: "\n"))
        }
        let scale = fractionalBits.map { Double(sign: .plus, exponent: $0, significand: 1) }
        for row in 0..<layout.rows {
            var first = true
            for (part, tensor) in zip(layout.parts, tensors) {
                for column in 0..<part.width {
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    let residue = tensor.residue(at: row * part.width + column)
                    if let scale, part.scalarType != .bit {
                        let x = Double(part.scalarType.interpret(residue)) / scale
                        out.append(contentsOf: "\(x)".utf8)
                    } else if part.scalarType.bits <= 64 {
                        appendDecimal(part.scalarType.interpret(residue), to: &out)
                    } else {
                        out.append(contentsOf: part.scalarType.decimalString(residue).utf8)
                    }
                }
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// Appends the decimal digits of a number that fits 64 bits (signed or unsigned), without a string.
    private static func appendDecimal(_ value: Int128, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = UInt64(truncatingIfNeeded: value < 0 ? 0 - value : value)
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for k in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[k]) }
        }
    }

    /// A header cell, quoted when it holds a comma, a quote or a line break (RFC 4180).
    private static func quoted(_ name: String) -> String {
        guard name.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return name }
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
