import ConfideCore
import Crypto
import Foundation

/// Primitives shared by both sides of the masking protocol (Bonawitz et al., CCS 2017).
public enum FLSecAgg {
    /// The longest encrypted share accepted: a 12-byte nonce, the point, the seed share (16 bytes), the
    /// masking-key share (32 bytes) and the 16-byte tag make 77; the bound leaves room and nothing more.
    static let maximumShareCiphertextBytes = 256

    /// The 16-byte AES-CTR key of the pairwise mask between two collaborators in a round:
    /// SHA-256 of their X25519 shared secret and the round, truncated.
    static func pairSeed(_ key: Curve25519.KeyAgreement.PrivateKey, _ peer: [UInt8], round: UInt64) throws -> [UInt8] {
        let peerKey: Curve25519.KeyAgreement.PublicKey
        do { peerKey = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: peer) } catch {
            throw ConfideError(.invalidValue, "an advertised masking key is not an X25519 public key")
        }
        let secret = try key.sharedSecretFromKeyAgreement(with: peerKey)
        var hasher = SHA256()
        secret.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(data: Array("confide-fl mask \(round)".utf8))
        return Array(hasher.finalize().prefix(16))
    }

    /// The key that encrypts the shares `from` sends `to` (HKDF-SHA256 of their X25519 secret).
    static func shareKey(_ key: Curve25519.KeyAgreement.PrivateKey, _ peer: [UInt8], round: UInt64) throws -> SymmetricKey {
        let peerKey: Curve25519.KeyAgreement.PublicKey
        do { peerKey = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: peer) } catch {
            throw ConfideError(.invalidValue, "an advertised encryption key is not an X25519 public key")
        }
        let secret = try key.sharedSecretFromKeyAgreement(with: peerKey)
        return secret.hkdfDerivedSymmetricKey(using: SHA256.self, salt: [UInt8](), sharedInfo: Array("confide-fl shares \(round)".utf8), outputByteCount: 32)
    }

    /// `count` words of the AES-CTR stream keyed by `seed`.
    static func expand(_ seed: [UInt8], count: Int) -> [UInt64] {
        var generator = try! AESCTRGenerator(key: seed)
        var words = [UInt64](repeating: 0, count: count)
        generator.fill(&words)
        return words
    }

    static func add(_ a: inout [UInt64], _ b: [UInt64]) {
        for i in a.indices { a[i] &+= b[i] }
    }

    static func subtract(_ a: inout [UInt64], _ b: [UInt64]) {
        for i in a.indices { a[i] &-= b[i] }
    }

    /// The commitment to a self-mask seed: SHA-256 of ``FLSecAggTranscript/seed(round:owner:seed:)``.
    /// The seed is 16 uniformly random bytes, so the commitment hides it.
    static func seedCommitment(_ seed: [UInt8], round: UInt64, owner: String) -> [UInt8] {
        Array(SHA256.hash(data: FLSecAggTranscript.seed(round: round, owner: owner, seed: seed)))
    }

    /// Whether `a` and `b` are equal, in time that depends only on their lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    /// The associated data that binds a share ciphertext to its sender, recipient and round.
    static func shareContext(from: String, to: String, round: UInt64) -> [UInt8] {
        Array("confide-fl share \(round) \(from) -> \(to)".utf8)
    }
}
