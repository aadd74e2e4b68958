import ConfideCore
import Crypto
import _CryptoExtras
import Foundation

/// The worker's two key pairs: RSA-OAEP-3072 for unwrapping session keys and secp256k1 ECDSA for
/// signing results (and its own encryption key).
public struct WorkerKeys: Sendable {
    public static let rsaBits = 3072
    /// OAEP with SHA-1 and MGF1-SHA-1: what pycryptodomex `PKCS1_OAEP.new(key)` and Avalon use.
    static let oaep = _RSA.Encryption.Padding.PKCS1_OAEP

    private let rsa: RSAKeyBox
    var encryptionKey: _RSA.Encryption.PrivateKey { rsa.key }
    public let signingKey: Secp256k1SigningKey

    /// Fresh keys (RSA generation takes a moment).
    public init() throws {
        rsa = RSAKeyBox(try _RSA.Encryption.PrivateKey(keySize: .bits3072))
        signingKey = Secp256k1SigningKey()
    }

    init(encryptionKey: _RSA.Encryption.PrivateKey, signingKey: Secp256k1SigningKey) throws {
        guard encryptionKey.keySizeInBits == Self.rsaBits else {
            throw ConfideError(.invalidValue, "the worker's RSA key must be \(Self.rsaBits) bits, found \(encryptionKey.keySizeInBits)")
        }
        self.rsa = RSAKeyBox(encryptionKey)
        self.signingKey = signingKey
    }

    /// The public encryption key as PEM (`-----BEGIN PUBLIC KEY-----`, SubjectPublicKeyInfo).
    public var encryptionKeyPEM: String { encryptionKey.publicKey.pemRepresentation }

    /// The public verifying key.
    public var verifyingKey: Secp256k1VerifyingKey { signingKey.verifyingKey }

    /// ECDSA signature (DER, hex) of SHA-256 of the encryption key PEM: binds the encryption key to the verifying key.
    public func encryptionKeySignature() throws -> String {
        Hex.encode(try signingKey.signature(forDigest: WorkOrderHash.sha256(Array(encryptionKeyPEM.utf8))))
    }

    /// Unwraps a session key.
    /// - Throws: `invalidValue` when decryption fails or the key is not 32 bytes (no detail that could serve as an oracle).
    public func unwrapSessionKey(_ wrapped: [UInt8]) throws -> [UInt8] {
        let key: [UInt8]
        do {
            key = [UInt8](try encryptionKey.decrypt(wrapped, padding: Self.oaep))
        } catch {
            throw ConfideError(.invalidValue, "encryptedSessionKey could not be unwrapped with the worker's RSA-OAEP key")
        }
        guard key.count == SessionCipher.keySize else {
            throw ConfideError(.invalidValue, "encryptedSessionKey could not be unwrapped with the worker's RSA-OAEP key")
        }
        return key
    }

    /// Wraps a session key for a worker whose PEM encryption key is given (the requester side).
    public static func wrapSessionKey(_ key: [UInt8], forEncryptionKeyPEM pem: String) throws -> [UInt8] {
        let publicKey: _RSA.Encryption.PublicKey
        do {
            publicKey = try _RSA.Encryption.PublicKey(pemRepresentation: pem)
        } catch {
            throw ConfideError(.invalidValue, "the worker's encryption key is not an RSA public key in PEM")
        }
        guard publicKey.keySizeInBits >= rsaBits else {
            throw ConfideError(.invalidValue, "the worker's RSA key has \(publicKey.keySizeInBits) bits; at least \(rsaBits) are required")
        }
        return [UInt8](try publicKey.encrypt(key, padding: oaep))
    }
}

/// Holds the RSA private key. `_RSA.Encryption.PrivateKey` is not marked `Sendable`, but it is an
/// immutable wrapper of a BoringSSL `RSA` object, whose private-key operations are thread-safe
/// (BoringSSL locks its lazily built blinding and Montgomery caches).
private final class RSAKeyBox: @unchecked Sendable {
    let key: _RSA.Encryption.PrivateKey
    init(_ key: _RSA.Encryption.PrivateKey) { self.key = key }
}
