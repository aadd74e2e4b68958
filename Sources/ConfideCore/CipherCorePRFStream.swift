/// CipherCore's PRF output stream for one key and input: `AES_k(b_0) ‖ AES_k(b_1) ‖ …` where block
/// `b_i` is the 16-byte little-endian encoding of `(iv << 64) + i` (wrapping modulo 2^128).
struct CipherCorePRFStream: CipherCoreByteSource {
    /// Bytes of keystream buffered for small draws (CipherCore buffers at most 512).
    private static let bufferSize = 512

    private let cipher: AES128Block
    /// The counter of the next block not yet generated.
    private var counter: UInt128
    private var buffer = [UInt8](repeating: 0, count: 0)
    private var position = 0

    /// - Throws: `.invalidArgument` when the key is not 16 bytes long.
    init(key: some Collection<UInt8>, iv: UInt64) throws {
        cipher = try AES128Block(key: key)
        counter = UInt128(iv) << 64
    }

    mutating func fill(_ destination: UnsafeMutableRawBufferPointer) {
        guard var dst = destination.baseAddress else { return }
        var remaining = destination.count
        let buffered = min(remaining, buffer.count - position)
        if buffered > 0 {
            let start = position
            buffer.withUnsafeBytes { dst.copyMemory(from: $0.baseAddress! + start, byteCount: buffered) }
            position += buffered
            dst += buffered
            remaining -= buffered
        }
        if remaining >= 16 {
            // Whole blocks are encrypted in the caller's memory.
            let bytes = remaining & ~15
            generate(into: UnsafeMutableRawBufferPointer(start: dst, count: bytes))
            dst += bytes
            remaining -= bytes
        }
        if remaining > 0 {
            refill()
            buffer.withUnsafeBytes { dst.copyMemory(from: $0.baseAddress!, byteCount: remaining) }
            position = remaining
        }
    }

    mutating func nextLittleEndian(byteCount: Int) -> UInt64 {
        let mask: UInt64 = byteCount >= 8 ? .max : (1 << UInt64(8 * byteCount)) - 1
        if buffer.count - position >= 8 {
            let start = position
            position += byteCount
            return UInt64(littleEndian: buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: start, as: UInt64.self) }) & mask
        }
        var word: UInt64 = 0
        withUnsafeMutableBytes(of: &word) { fill(UnsafeMutableRawBufferPointer(rebasing: $0[0..<byteCount])) }
        return UInt64(littleEndian: word) & mask
    }

    private mutating func refill() {
        var fresh = buffer.count == Self.bufferSize ? buffer : [UInt8](repeating: 0, count: Self.bufferSize)
        buffer = []
        fresh.withUnsafeMutableBytes { generate(into: $0) }
        buffer = fresh
        position = 0
    }

    /// Writes the next `out.count / 16` blocks of the stream and advances the counter.
    private mutating func generate(into out: UnsafeMutableRawBufferPointer) {
        var c = counter
        for offset in stride(from: 0, to: out.count, by: 16) {
            out.storeBytes(of: UInt64(truncatingIfNeeded: c).littleEndian, toByteOffset: offset, as: UInt64.self)
            out.storeBytes(of: UInt64(truncatingIfNeeded: c >> 64).littleEndian, toByteOffset: offset + 8, as: UInt64.self)
            c &+= 1
        }
        counter = c
        cipher.encryptInPlace(out)
    }
}
