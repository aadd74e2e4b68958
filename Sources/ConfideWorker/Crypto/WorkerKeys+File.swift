import ConfideCore
import Foundation
import _CryptoExtras
#if canImport(Glibc)
import Glibc
#endif

extension WorkerKeys {
    /// Loads the key file at `path`, or creates it (mode 0600) with fresh keys when it does not exist.
    ///
    /// File: a JSON object `{"version":1,"rsaPrivateKey":"<PKCS#8 PEM>","secp256k1PrivateKey":"<hex>"}`.
    /// - Throws: `io` when the file cannot be read or written, or is readable by group/others;
    ///   `invalidValue` when it does not hold valid keys. Messages name the path, never the keys.
    public static func loadOrCreate(at path: String) throws -> WorkerKeys {
        if FileManager.default.fileExists(atPath: path) { return try load(from: path) }
        let keys = try WorkerKeys()
        try keys.write(to: path)
        return keys
    }

    /// Reads a key file.
    public static func load(from path: String) throws -> WorkerKeys {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw ConfideError(.io, "\(path): key file is accessible by group or others (mode \(String(mode, radix: 8))); expected 0600")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfideError(.io, "\(path): cannot read the key file")
        }
        do {
            let json = try JSONParser(maxBytes: 1 << 20).parse(bytes: [UInt8](data))
            guard json["version"]?.integer(as: Int.self) == 1,
                  let rsa = json["rsaPrivateKey"]?.stringValue,
                  let ecHex = json["secp256k1PrivateKey"]?.stringValue,
                  let ec = Hex.decode(ecHex)
            else { throw ConfideError(.invalidValue, "not a version 1 worker key file") }
            let encryptionKey: _RSA.Encryption.PrivateKey
            do {
                encryptionKey = try _RSA.Encryption.PrivateKey(pemRepresentation: rsa)
            } catch {
                throw ConfideError(.invalidValue, "rsaPrivateKey is not an RSA private key in PEM")
            }
            return try WorkerKeys(encryptionKey: encryptionKey, signingKey: Secp256k1SigningKey(rawRepresentation: ec))
        } catch let error as ConfideError {
            throw error.prefixed(path)
        }
    }

    /// Writes the key file with mode 0600 (created with that mode; never world-readable in between).
    public func write(to path: String) throws {
        let json = JSONValue.object([
            ("version", .int(1)),
            ("rsaPrivateKey", .string(encryptionKey.pkcs8PEMRepresentation)),
            ("secp256k1PrivateKey", .string(Hex.encode(signingKey.rawRepresentation))),
        ])
        let bytes = Array(json.serialized().utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw ConfideError(.io, "\(path): cannot create the key file (errno \(errno))") }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw ConfideError(.io, "\(path): cannot write the key file")
        }
    }
}
