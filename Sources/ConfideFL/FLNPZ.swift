import ConfideCore
import ConfideData
import Foundation

/// NumPy `.npz` files: a zip archive (stored, no compression) of `.npy` version 1 arrays. Writes
/// float64 arrays; reads stored archives (as `numpy.savez` writes, zip64 extras included) with
/// float64 or float32 arrays (the `.npy` entries are read by ConfideData's ``NPYArray``).
public enum FLNPZ {
    public struct Array: Sendable, Equatable {
        public var shape: [Int]
        public var values: [Double]

        public init(shape: [Int], values: [Double]) {
            self.shape = shape
            self.values = values
        }
    }

    // MARK: writing

    public static func encode(_ arrays: [(name: String, array: Array)]) -> Data {
        var out = Data()
        var central = Data()
        for (name, array) in arrays {
            let file = Swift.Array((name + ".npy").utf8)
            let payload = npy(array)
            let crc = crc32(payload)
            let offset = UInt32(out.count)
            out.append(le32(0x0403_4b50)); out.append(le16(20)); out.append(le16(0)); out.append(le16(0))
            out.append(le16(0)); out.append(le16(0x21))
            out.append(le32(crc)); out.append(le32(UInt32(payload.count))); out.append(le32(UInt32(payload.count)))
            out.append(le16(UInt16(file.count))); out.append(le16(0)); out.append(contentsOf: file)
            out.append(payload)
            central.append(le32(0x0201_4b50)); central.append(le16(20)); central.append(le16(20)); central.append(le16(0))
            central.append(le16(0)); central.append(le16(0)); central.append(le16(0x21))
            central.append(le32(crc)); central.append(le32(UInt32(payload.count))); central.append(le32(UInt32(payload.count)))
            central.append(le16(UInt16(file.count))); central.append(le16(0)); central.append(le16(0)); central.append(le16(0))
            central.append(le16(0)); central.append(le32(0)); central.append(le32(offset)); central.append(contentsOf: file)
        }
        let centralOffset = UInt32(out.count)
        out.append(central)
        out.append(le32(0x0605_4b50)); out.append(le16(0)); out.append(le16(0))
        out.append(le16(UInt16(arrays.count))); out.append(le16(UInt16(arrays.count)))
        out.append(le32(UInt32(central.count))); out.append(le32(centralOffset)); out.append(le16(0))
        return out
    }

    static func npy(_ array: Array) -> Data {
        var payload = [UInt8](repeating: 0, count: array.values.count * 8)
        for (i, value) in array.values.enumerated() {
            let bits = value.bitPattern
            for k in 0..<8 { payload[i * 8 + k] = UInt8(truncatingIfNeeded: bits >> UInt64(8 * k)) }
        }
        return Data(NPYArray(elementType: .init(.float, width: 8), shape: array.shape, payload: payload).bytes)
    }

    // MARK: reading

    /// - Throws: `.invalidValue` naming what is wrong (not a zip, compressed entries, an unsupported dtype).
    public static func decode(_ data: Data, file: String) throws -> [String: Array] {
        let bytes = [UInt8](data)
        func fail(_ message: String) -> ConfideError { ConfideError(.invalidValue, "\(file): \(message)") }
        func u16(_ at: Int) throws -> Int {
            guard at >= 0, at + 2 <= bytes.count else { throw fail("truncated zip archive") }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8
        }
        func u32(_ at: Int) throws -> Int {
            let low = try u16(at), high = try u16(at + 2)
            return low | high << 16
        }
        func u64(_ at: Int) throws -> Int {
            let low = try u32(at), high = try u32(at + 4)
            return low | high << 32
        }
        guard bytes.count >= 22 else { throw fail("not a zip archive") }
        var end = bytes.count - 22
        while end >= 0, try u32(end) != 0x0605_4b50 { end -= 1 }
        guard end >= 0 else { throw fail("not a zip archive (no end of central directory)") }
        let count = try u16(end + 10)
        var cursor = try u32(end + 16)
        var result: [String: Array] = [:]
        for _ in 0..<count {
            guard try u32(cursor) == 0x0201_4b50 else { throw fail("corrupt central directory") }
            let method = try u16(cursor + 10)
            var size = try u32(cursor + 20)
            let nameLength = try u16(cursor + 28), extraLength = try u16(cursor + 30), commentLength = try u16(cursor + 32)
            var offset = try u32(cursor + 42)
            guard cursor + 46 + nameLength <= bytes.count else { throw fail("truncated zip archive") }
            let name = String(decoding: bytes[(cursor + 46)..<(cursor + 46 + nameLength)], as: UTF8.self)
            var extra = cursor + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = try u16(extra), length = try u16(extra + 2)
                if id == 1 {
                    var field = extra + 4
                    if try u32(cursor + 24) == 0xFFFF_FFFF { field += 8 }
                    if size == 0xFFFF_FFFF { size = try u64(field); field += 8 }
                    if offset == 0xFFFF_FFFF { offset = try u64(field) }
                }
                extra += 4 + length
            }
            guard method == 0 else { throw fail("entry \(name) is compressed; write it with numpy.savez, not savez_compressed") }
            let start = offset + 30 + (try u16(offset + 26)) + (try u16(offset + 28))
            guard try u32(offset) == 0x0403_4b50, start + size <= bytes.count else { throw fail("corrupt entry \(name)") }
            let key = name.hasSuffix(".npy") ? String(name.dropLast(4)) : name
            result[key] = try parseNPY(Swift.Array(bytes[start..<(start + size)]), name: "\(file): \(name)")
            cursor = extraEnd + commentLength
        }
        return result
    }

    /// A float64 or float32 array of an archive entry, in row-major order.
    static func parseNPY(_ bytes: [UInt8], name: String) throws -> Array {
        let array: NPYArray
        do {
            array = try NPYArray(bytes: bytes)
        } catch let error as ConfideError {
            throw error.prefixed(name)
        }
        let type = array.elementType
        guard type.kind == .float, !array.fortranOrder || array.shape.count < 2 else {
            throw ConfideError(.invalidValue, "\(name): only C-ordered float64 or float32 arrays are supported, found \(type)\(array.fortranOrder ? " in Fortran order" : "")")
        }
        let values = (0..<array.count).map { i in
            let bits = array.elementBits(i)
            return type.width == 8 ? Double(bitPattern: bits) : Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        }
        return Array(shape: array.shape, values: values)
    }

    // MARK: helpers

    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    private static func le16(_ v: UInt16) -> Data { Data([UInt8(v & 0xFF), UInt8(v >> 8)]) }
    private static func le32(_ v: UInt32) -> Data { Data((0..<4).map { UInt8((v >> UInt32(8 * $0)) & 0xFF) }) }
    private static func le64(_ v: UInt64) -> Data { Data((0..<8).map { UInt8((v >> UInt64(8 * $0)) & 0xFF) }) }
}
