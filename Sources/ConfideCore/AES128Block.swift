import Crypto
import _CryptoExtras

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// AES-128 applied to independent 16-byte blocks (electronic code book) with BoringSSL's AES
/// (hardware instructions where available), through swift-crypto.
///
/// CipherCore's PRF encrypts counter blocks laid out little-endian, which counter mode cannot
/// produce, and swift-crypto has no bulk ECB. Its CFB-128 decryption computes
/// `P_i = C_i ⊕ AES_k(C_{i-1})` with `C_{-1} = IV`, which for `IV = B_0` and `C_i = B_{i+1}`
/// yields `AES_k(B_i) = P_i ⊕ B_{i+1}`: many blocks per call instead of one key schedule per block.
struct AES128Block: Sendable {
    /// Bytes handed to BoringSSL per call.
    private static let chunkSize = 4096

    let key: SymmetricKey

    /// - Throws: `.invalidArgument` when the key is not 16 bytes long (the message gives only the length).
    init(key: some Collection<UInt8>) throws {
        guard key.count == 16 else {
            throw ConfideError(.invalidArgument, "AES-128 key must be 16 bytes, found \(key.count)")
        }
        self.key = SymmetricKey(data: Array(key))
    }

    /// Replaces every 16-byte block of `blocks` by its AES-128 encryption; `blocks.count` must be a multiple of 16.
    func encryptInPlace(_ blocks: UnsafeMutableRawBufferPointer) {
        precondition(blocks.count % 16 == 0, "AES block buffer must hold whole blocks")
        guard let base = blocks.baseAddress else { return }
        // The CFB "ciphertext": the blocks shifted left by one, then one zero block.
        var shifted = [UInt8](repeating: 0, count: min(blocks.count, Self.chunkSize))
        var offset = 0
        while offset < blocks.count {
            let count = min(Self.chunkSize, blocks.count - offset)
            let chunk = UnsafeMutableRawBufferPointer(start: base + offset, count: count)
            shifted.withUnsafeMutableBytes { s in
                s.baseAddress!.copyMemory(from: chunk.baseAddress! + 16, byteCount: count - 16)
                (s.baseAddress! + count - 16).initializeMemory(as: UInt8.self, repeating: 0, count: 16)
            }
            do {
                let iv = try AES._CFB.IV(ivBytes: UnsafeRawBufferPointer(rebasing: chunk[0..<16]))
                let plain = try shifted.withUnsafeBytes { s in
                    try AES._CFB.decrypt(UnsafeRawBufferPointer(rebasing: s[0..<count]), using: key, iv: iv)
                }
                plain.withUnsafeBytes { p in
                    shifted.withUnsafeBytes { s in
                        for j in stride(from: 0, to: count, by: 8) {
                            let word = p.loadUnaligned(fromByteOffset: j, as: UInt64.self) ^ s.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                            chunk.storeBytes(of: word, toByteOffset: j, as: UInt64.self)
                        }
                    }
                }
            } catch {
                // The key and IV sizes are validated; BoringSSL cannot fail otherwise.
                preconditionFailure("AES-128 block encryption failed: \(error)")
            }
            offset += count
        }
    }

    /// AES-128 of one block.
    func encrypt(_ block: [UInt8]) -> [UInt8] {
        precondition(block.count == 16, "AES block must be 16 bytes")
        var out = block
        out.withUnsafeMutableBytes { encryptInPlace($0) }
        return out
    }
}
