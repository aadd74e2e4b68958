import CSecp256k1
import ConfideCore

/// A secp256k1 ECDSA private key (libsecp256k1): deterministic RFC 6979 nonces, low-S, DER signatures.
///
/// The secret never appears in descriptions or errors.
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
        guard bytes.count == 32, secp256k1_ec_seckey_verify(Secp256k1Context.shared.pointer, bytes) == 1 else {
            throw ConfideError(.invalidValue, "not a valid secp256k1 private key")
        }
        secret = bytes
    }

    /// The 32-byte secret scalar (for the key file only).
    public var rawRepresentation: [UInt8] { secret }

    /// The matching public key.
    public var verifyingKey: Secp256k1VerifyingKey {
        var pubkey = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_create(Secp256k1Context.shared.pointer, &pubkey, secret) == 1 else {
            fatalError("libsecp256k1 rejected a secret it had verified")
        }
        return Secp256k1VerifyingKey(pubkey)
    }

    /// Signs a 32-byte digest (the digest itself is the ECDSA message; nothing is hashed again).
    /// - Returns: the DER-encoded signature, low-S normalised (libsecp256k1 always produces low-S).
    /// - Throws: `invalidArgument` when `digest` is not 32 bytes.
    public func signature(forDigest digest: [UInt8]) throws -> [UInt8] {
        guard digest.count == 32 else {
            throw ConfideError(.invalidArgument, "an ECDSA digest must be 32 bytes, found \(digest.count)")
        }
        let context = Secp256k1Context.shared.pointer
        var signature = secp256k1_ecdsa_signature()
        // nil nonce function = secp256k1_nonce_function_default, which is RFC 6979 (HMAC-SHA256).
        guard secp256k1_ecdsa_sign(context, &signature, digest, secret, nil, nil) == 1 else {
            throw ConfideError(.invalidValue, "libsecp256k1 could not sign the digest")
        }
        var der = [UInt8](repeating: 0, count: 72)
        var length = der.count
        guard secp256k1_ecdsa_signature_serialize_der(context, &der, &length, &signature) == 1 else {
            throw ConfideError(.invalidValue, "libsecp256k1 could not serialise the signature")
        }
        return Array(der.prefix(length))
    }

    public var description: String { "Secp256k1SigningKey(\(verifyingKey.hexUncompressed.prefix(16))…)" }
}
