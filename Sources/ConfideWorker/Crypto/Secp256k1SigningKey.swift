import CSecp256k1
import ConfideCore

/// A secp256k1 ECDSA private key (OpenSSL's libcrypto through `CSecp256k1`): low-S, strict DER signatures.
///
/// Nonces are hedged rather than RFC 6979 deterministic: OpenSSL derives each nonce from the private
/// key, the digest and fresh DRBG output, so a signature never repeats and a weak DRBG alone does not
/// expose the key. The secret never appears in descriptions or errors.
public struct Secp256k1SigningKey: Sendable, CustomStringConvertible {
    private let secret: [UInt8]

    /// A fresh key from the system random number generator.
    public init() {
        var generator = SystemRandomNumberGenerator()
        while true {
            var candidate = [UInt8](repeating: 0, count: 32)
            for i in candidate.indices { candidate[i] = generator.next() }
            if let key = try? Secp256k1SigningKey(rawRepresentation: candidate) {
                self = key
                return
            }
        }
    }

    /// A key from its 32-byte big-endian scalar.
    /// - Throws: `invalidValue` when the bytes are not a valid secp256k1 secret (zero or ≥ the group order).
    public init(rawRepresentation bytes: [UInt8]) throws {
        guard bytes.count == 32, confide_secp256k1_seckey_verify(bytes) == 1 else {
            throw ConfideError(.invalidValue, "not a valid secp256k1 private key")
        }
        secret = bytes
    }

    /// The 32-byte secret scalar (for the key file only).
    public var rawRepresentation: [UInt8] { secret }

    /// The matching public key.
    public var verifyingKey: Secp256k1VerifyingKey {
        var point = [UInt8](repeating: 0, count: 65)
        guard confide_secp256k1_pubkey_create(secret, &point) == 1, let key = try? Secp256k1VerifyingKey(sec1: point) else {
            fatalError("secp256k1: a verified secret has no public point")
        }
        return key
    }

    /// Signs a 32-byte digest (the digest itself is the ECDSA message; nothing is hashed again).
    /// - Returns: the DER-encoded signature, S normalised to the lower half of the group.
    /// - Throws: `invalidArgument` when `digest` is not 32 bytes.
    public func signature(forDigest digest: [UInt8]) throws -> [UInt8] {
        guard digest.count == 32 else {
            throw ConfideError(.invalidArgument, "an ECDSA digest must be 32 bytes, found \(digest.count)")
        }
        var der = [UInt8](repeating: 0, count: 72)
        var length = der.count
        guard confide_secp256k1_sign(secret, digest, &der, &length) == 1 else {
            throw ConfideError(.invalidValue, "secp256k1 could not sign the digest")
        }
        return Array(der.prefix(length))
    }

    public var description: String { "Secp256k1SigningKey(\(verifyingKey.hexUncompressed.prefix(16))…)" }
}
