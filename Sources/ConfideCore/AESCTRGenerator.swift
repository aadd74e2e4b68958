import Crypto
import _CryptoExtras

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A keyed cryptographic pseudo-random generator: the AES-128 keystream in counter mode.
///
/// The stream is `AES_k(0) ‖ AES_k(1) ‖ …`, each counter block encoded as a 16-byte big-endian
/// integer. Keystream is produced in large chunks by BoringSSL's hardware AES-CTR (through
/// swift-crypto), so bulk fills run at memory speed; small draws are served from a buffer.
/// Two generators with the same key produce the same bytes for the same sequence of calls.
///
/// The key never appears in `description`, `debugDescription`, reflection or errors.
public struct AESCTRGenerator: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Bytes of keystream buffered for small draws.
    private static let bufferSize = 16 * 1024
    /// Largest number of bytes encrypted by one call into BoringSSL.
    private static let chunkSize = 64 * 1024
    /// The zero plaintext encrypted to obtain keystream.
    private static let zeroChunk = [UInt8](repeating: 0, count: chunkSize)
    /// Counter blocks at or above this value are reserved for key derivation (``fork(_:)``).
    private static let forkDomain: UInt128 = 1 << 127

    private let key: SymmetricKey
    /// The counter block of the next keystream block not yet generated.
    private var counter: UInt128 = 0
    /// Buffered keystream; bytes before `position` have been consumed.
    private var buffer: [UInt8] = []
    private var position = 0
    /// How many times ``fork(_:)`` has been called.
    private var forkCount: UInt64 = 0

    /// Creates a generator from a 16-byte AES-128 key.
    /// - Parameter key: exactly 16 bytes.
    /// - Throws: `.invalidArgument` when the key is not 16 bytes long (the message gives only the length).
    public init(key: some Collection<UInt8>) throws {
        guard key.count == 16 else {
            throw ConfideError(.invalidArgument, "AES-CTR generator key must be 16 bytes, found \(key.count)")
        }
        self.key = SymmetricKey(data: Array(key))
    }

    /// A generator keyed with 16 bytes drawn once from the operating system's secure generator.
    public static func fromSystemEntropy() -> AESCTRGenerator {
        var system = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        for half in 0..<2 {
            let word = system.next() as UInt64
            for i in 0..<8 { bytes[half * 8 + i] = UInt8(truncatingIfNeeded: word >> UInt64(8 * i)) }
        }
        return AESCTRGenerator(validatedKey: bytes)
    }

    private init(validatedKey: [UInt8]) {
        key = SymmetricKey(data: validatedKey)
    }

    /// A generator whose stream starts at counter block `counter` instead of 0 (for known-answer tests).
    /// - Throws: `.invalidArgument` when the key is not 16 bytes long.
    init(key: some Collection<UInt8>, counter: UInt128) throws {
        try self.init(key: key)
        self.counter = counter
    }

    public var description: String { "AESCTRGenerator(key: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Fills a buffer with keystream bytes.
    /// - Parameter buffer: the destination; every byte is overwritten.
    public mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard var dst = buffer.baseAddress else { return }
        var remaining = buffer.count
        // Drain what is buffered first so the stream stays one sequence.
        let buffered = min(remaining, self.buffer.count - position)
        if buffered > 0 {
            let start = position
            self.buffer.withUnsafeBytes { src in
                dst.copyMemory(from: src.baseAddress! + start, byteCount: buffered)
            }
            position += buffered
            dst += buffered
            remaining -= buffered
        }
        // Whole blocks go straight to the caller.
        while remaining >= 16 {
            let bytes = min(remaining & ~15, Self.chunkSize)
            generateKeystream(into: UnsafeMutableRawBufferPointer(start: dst, count: bytes))
            dst += bytes
            remaining -= bytes
        }
        if remaining > 0 {
            refill()
            self.buffer.withUnsafeBytes { src in
                dst.copyMemory(from: src.baseAddress!, byteCount: remaining)
            }
            position = remaining
        }
    }

    /// Fills an array of unsigned integers with uniformly random words (read little-endian from the stream).
    public mutating func fill<W: FixedWidthInteger & UnsignedInteger>(_ words: inout [W]) {
        words.withUnsafeMutableBytes { fill($0) }
        #if _endian(big)
        for i in words.indices { words[i] = W(littleEndian: words[i]) }
        #endif
    }

    /// A uniformly random unsigned integer: the next ⌈bitWidth/8⌉ stream bytes read little-endian
    /// (8 bytes at a time for types wider than 64 bits).
    @inlinable
    public mutating func next<W: FixedWidthInteger & UnsignedInteger>(_: W.Type) -> W {
        if W.bitWidth <= 64 {
            return W(truncatingIfNeeded: nextLittleEndian(byteCount: (W.bitWidth + 7) / 8))
        }
        var word = W.zero
        var shift = 0
        while shift < W.bitWidth {
            word |= W(truncatingIfNeeded: nextLittleEndian(byteCount: 8)) << shift
            shift += 64
        }
        return word
    }

    /// The next `byteCount` (1...8) stream bytes as a little-endian number.
    @usableFromInline
    mutating func nextLittleEndian(byteCount: Int) -> UInt64 {
        let mask: UInt64 = byteCount >= 8 ? .max : (1 << UInt64(8 * byteCount)) - 1
        if buffer.count - position >= 8 {
            let start = position
            position += byteCount
            let word = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: start, as: UInt64.self) }
            return UInt64(littleEndian: word) & mask
        }
        var word: UInt64 = 0
        withUnsafeMutableBytes(of: &word) { fill(UnsafeMutableRawBufferPointer(rebasing: $0[0..<byteCount])) }
        return UInt64(littleEndian: word) & mask
    }

    /// A uniformly random integer in `0..<bound`, without bias (rejection sampling).
    ///
    /// Returns 0 when `bound` is 0 or 1 (no randomness is consumed then).
    public mutating func uniform(below bound: UInt64) -> UInt64 {
        if bound <= 1 { return 0 }
        // Lemire's multiply-and-reject: reject the low products that would over-represent some results.
        let threshold = (0 &- bound) % bound
        while true {
            let (high, low) = nextLittleEndian(byteCount: 8).multipliedFullWidth(by: bound)
            if low >= threshold { return high }
        }
    }

    /// A new generator whose key is derived from this generator's key, `label` and the number of
    /// earlier `fork` calls; its stream is computationally independent of this one and of every other fork.
    ///
    /// The result does not depend on how much keystream has been drawn, only on the key, the label
    /// and the call order, so parties that share a key derive the same forks.
    public mutating func fork(_ label: UInt64) -> AESCTRGenerator {
        let block = Self.forkDomain | (UInt128(forkCount & (UInt64.max >> 1)) << 64) | UInt128(label)
        forkCount &+= 1
        var derived = [UInt8](repeating: 0, count: 16)
        derived.withUnsafeMutableBytes { encryptCounterBlocks(startingAt: block, into: $0) }
        return AESCTRGenerator(validatedKey: derived)
    }

    /// Replaces the buffer with fresh keystream.
    private mutating func refill() {
        if buffer.count != Self.bufferSize { buffer = [UInt8](repeating: 0, count: Self.bufferSize) }
        var fresh = buffer
        buffer = []
        fresh.withUnsafeMutableBytes { generateKeystream(into: $0) }
        buffer = fresh
        position = 0
    }

    /// Writes the next `out.count` (a multiple of 16, at most ``chunkSize``) keystream bytes and advances the counter.
    private mutating func generateKeystream(into out: UnsafeMutableRawBufferPointer) {
        encryptCounterBlocks(startingAt: counter, into: out)
        counter &+= UInt128(out.count / 16)
    }

    /// AES-CTR keystream for counter blocks `start, start+1, …` (big-endian), `out.count` bytes (a multiple of 16, at most ``chunkSize``).
    private func encryptCounterBlocks(startingAt start: UInt128, into out: UnsafeMutableRawBufferPointer) {
        let count = out.count
        var be = start.bigEndian
        let nonce: AES._CTR.Nonce
        do {
            nonce = try withUnsafeBytes(of: &be) { try AES._CTR.Nonce(nonceBytes: $0) }
            let keystream = try Self.zeroChunk.withUnsafeBytes { zeros in
                try AES._CTR.encrypt(UnsafeRawBufferPointer(rebasing: zeros[0..<count]), using: key, nonce: nonce)
            }
            keystream.withUnsafeBytes { src in out.copyMemory(from: src) }
        } catch {
            // The key length and nonce length are validated above; BoringSSL cannot fail otherwise.
            preconditionFailure("AES-CTR keystream generation failed: \(error)")
        }
    }
}
