import ConfideCore
import Crypto
import Foundation

/// AES-256-GCM with a 96-bit IV and the 16-byte tag appended (`ciphertext ‖ tag`), as EEA TC 1.1 `AES-GCM-256`.
///
/// Every call to ``seal(_:key:)`` draws a fresh IV; callers never pass one in, so a (key, IV) pair
/// cannot repeat by mistake. (Avalon reused `sessionKeyIv` for every item and for the response.)
public enum SessionCipher {
    public static let keySize = 32
    public static let ivSize = 12
    public static let tagSize = 16

    /// A fresh 256-bit key from the system random number generator.
    public static func newKey() -> [UInt8] { randomBytes(keySize) }

    /// A fresh 96-bit IV.
    public static func newIV() -> [UInt8] { randomBytes(ivSize) }

    /// Encrypts under a fresh IV.
    /// - Returns: the IV and `ciphertext ‖ tag`.
    public static func seal(_ plaintext: [UInt8], key: [UInt8]) throws -> (iv: [UInt8], sealed: [UInt8]) {
        let iv = newIV()
        return (iv, try seal(plaintext, key: key, iv: iv))
    }

    /// Encrypts under the given IV (the requester side uses this for `encryptedRequestHash` under
    /// `sessionKeyIv`, whose IV it drew fresh itself).
    public static func seal(_ plaintext: [UInt8], key: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        guard key.count == keySize else { throw ConfideError(.invalidValue, "an AES-256-GCM key must be \(keySize) bytes") }
        guard iv.count == ivSize else { throw ConfideError(.invalidValue, "an AES-GCM IV must be \(ivSize) bytes") }
        let box = try AES.GCM.seal(plaintext, using: SymmetricKey(data: key), nonce: AES.GCM.Nonce(data: iv))
        return [UInt8](box.ciphertext) + [UInt8](box.tag)
    }

    /// Decrypts `ciphertext ‖ tag`.
    /// - Throws: `invalidValue` when the sizes are wrong or authentication fails (wrong key, IV, ciphertext or tag).
    public static func open(_ sealed: [UInt8], key: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        guard key.count == keySize else { throw ConfideError(.invalidValue, "an AES-256-GCM key must be \(keySize) bytes") }
        guard iv.count == ivSize else { throw ConfideError(.invalidValue, "an AES-GCM IV must be \(ivSize) bytes") }
        guard sealed.count >= tagSize else { throw ConfideError(.invalidValue, "ciphertext is shorter than the GCM tag") }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: iv),
                ciphertext: sealed.dropLast(tagSize),
                tag: sealed.suffix(tagSize)
            )
            return [UInt8](try AES.GCM.open(box, using: SymmetricKey(data: key)))
        } catch {
            throw ConfideError(.invalidValue, "AES-GCM authentication failed")
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in generator.next() }
    }
}
