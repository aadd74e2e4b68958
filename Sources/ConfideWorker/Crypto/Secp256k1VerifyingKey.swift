import CSecp256k1
import ConfideCore
import Foundation

/// A secp256k1 ECDSA public key: parsed from and written as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo,
/// id-ecPublicKey with the secp256k1 curve), the form Python's `ecdsa` package writes with `to_pem()`.
public struct Secp256k1VerifyingKey: Sendable, Equatable {
    /// The 65-byte uncompressed SEC 1 point, checked to be on the curve.
    public let uncompressed: [UInt8]

    /// The SubjectPublicKeyInfo prefix for an uncompressed (65-byte) secp256k1 point.
    private static let uncompressedPrefix: [UInt8] = [
        0x30, 0x56, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
        0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a, 0x03, 0x42, 0x00,
    ]
    /// The SubjectPublicKeyInfo prefix for a compressed (33-byte) secp256k1 point.
    private static let compressedPrefix: [UInt8] = [
        0x30, 0x36, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
        0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a, 0x03, 0x22, 0x00,
    ]

    /// A key from a SEC 1 point encoding (33 or 65 bytes).
    /// - Throws: `invalidValue` when the bytes are not a point on secp256k1.
    public init(sec1 bytes: [UInt8]) throws {
        var point = [UInt8](repeating: 0, count: 65)
        guard confide_secp256k1_pubkey_parse(bytes, bytes.count, &point) == 1 else {
            throw ConfideError(.invalidValue, "not a secp256k1 public key")
        }
        uncompressed = point
    }

    /// A key from a DER SubjectPublicKeyInfo.
    public init(der: [UInt8]) throws {
        for prefix in [Self.uncompressedPrefix, Self.compressedPrefix] where der.count > prefix.count && der.starts(with: prefix) {
            try self.init(sec1: Array(der.dropFirst(prefix.count)))
            return
        }
        throw ConfideError(.invalidValue, "not a secp256k1 SubjectPublicKeyInfo")
    }

    /// A key from PEM text (`-----BEGIN PUBLIC KEY-----`).
    public init(pem: String) throws {
        let body = pem.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("-----") }
            .joined()
        guard pem.contains("-----BEGIN PUBLIC KEY-----"), let der = Data(base64Encoded: body) else {
            throw ConfideError(.invalidValue, "verifying key is not a PEM PUBLIC KEY")
        }
        try self.init(der: [UInt8](der))
    }

    /// Hex of the uncompressed point.
    public var hexUncompressed: String { Hex.encode(uncompressed) }

    /// DER SubjectPublicKeyInfo.
    public var der: [UInt8] { Self.uncompressedPrefix + uncompressed }

    /// PEM `PUBLIC KEY`, 64 base64 characters per line, ending with a newline.
    public var pem: String {
        let base64 = Data(der).base64EncodedString()
        var lines = ["-----BEGIN PUBLIC KEY-----"]
        var rest = Substring(base64)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        lines.append("-----END PUBLIC KEY-----")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether `signature` (DER) is a valid ECDSA signature of the 32-byte `digest`.
    ///
    /// High-S signatures (valid ECDSA, as Python's `ecdsa` may produce) are normalised before checking.
    public func isValidSignature(_ signature: [UInt8], forDigest digest: [UInt8]) -> Bool {
        guard digest.count == 32, !signature.isEmpty, signature.count <= 80 else { return false }
        return confide_secp256k1_verify(uncompressed, digest, signature, signature.count) == 1
    }

}
