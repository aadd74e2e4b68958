import Foundation
import ConfideCore

/// A NumPy `.npy` array (format versions 1, 2 and 3): its element type, shape, order and raw
/// element bytes. Element types are booleans (`b1`), integers of 1, 2, 4 or 8 bytes (`i`, `u`) and
/// floats of 4 or 8 bytes (`f`), in either byte order.
public struct NPYArray: Sendable, Equatable {
    /// An element type, as NumPy's `descr` names it (`<i4`, `|b1`, `>f8`).
    public struct ElementType: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: Character, Sendable { case bool = "b", signed = "i", unsigned = "u", float = "f" }
        public var kind: Kind
        public var width: Int
        public var bigEndian: Bool

        public init(_ kind: Kind, width: Int, bigEndian: Bool = false) {
            self.kind = kind
            self.width = width
            self.bigEndian = bigEndian
        }

        /// - Throws: `.invalidValue` for an element type this reader does not handle.
        init(descr: String) throws {
            let chars = Array(descr)
            guard chars.count >= 3, let kind = Kind(rawValue: chars[1]), let width = Int(String(chars[2...])) else {
                throw ConfideError(.invalidValue, "element type '\(descr.prefix(16))' is not supported (booleans, integers and floats are)")
            }
            let valid: Bool
            switch kind {
            case .bool: valid = width == 1
            case .signed, .unsigned: valid = [1, 2, 4, 8].contains(width)
            case .float: valid = width == 4 || width == 8
            }
            guard valid, "<>|=".contains(chars[0]) else {
                throw ConfideError(.invalidValue, "element type '\(descr.prefix(16))' is not supported (booleans, integers of 1-8 bytes and floats of 4 or 8 bytes are)")
            }
            self.init(kind, width: width, bigEndian: chars[0] == ">")
        }

        public var description: String { "\(width == 1 ? "|" : bigEndian ? ">" : "<")\(kind.rawValue)\(width)" }

        /// The NumPy element type of a scalar type: nil for u128 and i128, which NumPy lacks.
        public init?(_ scalarType: ScalarType) {
            switch scalarType {
            case .bit: self.init(.bool, width: 1)
            case .u128, .i128: return nil
            default: self.init(scalarType.isSigned ? .signed : .unsigned, width: scalarType.bits / 8)
            }
        }

        /// The scalar type with exactly these elements; nil for floats.
        public var scalarType: ScalarType? {
            switch kind {
            case .bool: return .bit
            case .float: return nil
            case .signed, .unsigned: return ScalarType(rawValue: "\(kind == .signed ? "i" : "u")\(width * 8)")
            }
        }
    }

    public var elementType: ElementType
    /// `[]` for a 0-dimensional array (a scalar).
    public var shape: [Int]
    public var fortranOrder: Bool
    /// The elements' bytes, in the file's order.
    public var payload: [UInt8]

    public init(elementType: ElementType, shape: [Int], fortranOrder: Bool = false, payload: [UInt8]) {
        self.elementType = elementType
        self.shape = shape
        self.fortranOrder = fortranOrder
        self.payload = payload
    }

    /// The bits of element `index` (in file order), assembled from the payload in the file's byte order.
    public func elementBits(_ index: Int) -> UInt64 {
        var bits: UInt64 = 0
        let width = elementType.width, base = index * width
        for k in 0..<width {
            let byte = UInt64(payload[base + k])
            bits |= elementType.bigEndian ? byte << UInt64(8 * (width - 1 - k)) : byte << UInt64(8 * k)
        }
        return bits
    }

    /// Number of elements (1 for a 0-dimensional array).
    public var count: Int { shape.reduce(1, *) }

    /// Parses a whole `.npy` file.
    /// - Throws: `.invalidValue` naming what is wrong: not an `.npy` file, an unsupported version or
    ///   element type, a malformed header, or a payload whose size does not match the shape.
    public init(bytes: [UInt8]) throws {
        func fail(_ message: String) -> ConfideError { ConfideError(.invalidValue, message) }
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else { throw fail("not a NumPy .npy file") }
        let headerLength: Int, headerStart: Int
        switch bytes[6] {
        case 1:
            (headerLength, headerStart) = (Int(bytes[8]) | Int(bytes[9]) << 8, 10)
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated .npy header") }
            (headerLength, headerStart) = (Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24, 12)
        default:
            throw fail(".npy format version \(bytes[6]) is not supported (1, 2 and 3 are)")
        }
        guard headerLength <= bytes.count - headerStart else { throw fail("truncated .npy header") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = Self.field("descr", in: header).flatMap(Self.quoted) else { throw fail("the .npy header has no 'descr'") }
        let elementType = try ElementType(descr: descr)
        guard let order = Self.field("fortran_order", in: header), order.hasPrefix("True") || order.hasPrefix("False") else {
            throw fail("the .npy header has no 'fortran_order'")
        }
        guard let shapeText = Self.field("shape", in: header), shapeText.hasPrefix("("), let close = shapeText.firstIndex(of: ")") else {
            throw fail("the .npy header has no 'shape'")
        }
        let shape = try shapeText[shapeText.index(after: shapeText.startIndex)..<close].split(separator: ",").map { part -> Int in
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n >= 0, n <= ValueType.maxScalarCount else { throw fail("the .npy shape is malformed") }
            return n
        }
        var total = 1
        for n in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: n)
            guard !overflow, product <= ValueType.maxScalarCount else { throw fail("the .npy shape has too many elements") }
            total = product
        }
        let start = headerStart + headerLength
        guard bytes.count - start == total * elementType.width else {
            throw fail("the .npy file holds \(bytes.count - start) data bytes; shape (\(shape.map(String.init).joined(separator: ", "))) of \(elementType) needs \(total * elementType.width)")
        }
        self.init(elementType: elementType, shape: shape, fortranOrder: order.hasPrefix("True"), payload: Array(bytes[start...]))
    }

    /// The file's bytes: format version 1, the header padded to a multiple of 64 bytes.
    public var bytes: [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(\(shape.map(String.init).joined(separator: ", ")))"
        var header = "{'descr': '\(elementType)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = header.utf8.count
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)]
        out.reserveCapacity(out.count + length + payload.count)
        out.append(contentsOf: header.utf8)
        out.append(contentsOf: payload)
        return out
    }

    /// The text after `'key':` in a header dictionary, trimmed.
    private static func field(_ key: String, in header: String) -> Substring? {
        for quote in ["'", "\""] {
            if let range = header.range(of: "\(quote)\(key)\(quote)") {
                var rest = header[range.upperBound...].drop { $0 == " " }
                guard rest.first == ":" else { return nil }
                rest = rest.dropFirst().drop { $0 == " " }
                return rest
            }
        }
        return nil
    }

    private static func quoted(_ text: Substring) -> String? {
        guard let quote = text.first, quote == "'" || quote == "\"" else { return nil }
        let body = text.dropFirst()
        guard let end = body.firstIndex(of: quote) else { return nil }
        return String(body[..<end])
    }
}
