import ConfideCore
import Crypto
import Foundation

/// Primitives shared by both sides of the masking protocol (Bonawitz et al., CCS 2017).
public enum FLSecAgg {
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

    /// The associated data that binds a share ciphertext to its sender, recipient and round.
    static func shareContext(from: String, to: String, round: UInt64) -> [UInt8] {
        Array("confide-fl share \(round) \(from) -> \(to)".utf8)
    }
}
