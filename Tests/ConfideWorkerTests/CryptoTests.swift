import ConfideCore
import Foundation
import Testing
@testable import ConfideWorker

@Suite struct CryptoTests {
    @Test func aesGCMKnownAnswer() throws {
        // NIST GCM test case 14 (256-bit zero key, zero IV, one zero block).
        let sealed = try SessionCipher.seal([UInt8](repeating: 0, count: 16), key: [UInt8](repeating: 0, count: 32), iv: [UInt8](repeating: 0, count: 12))
        #expect(Hex.encode(sealed) == "cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919")
    }

    @Test func aesGCMRoundTripAndTamper() throws {
        let key = SessionCipher.newKey()
        let (iv, sealed) = try SessionCipher.seal(Array("Krsna".utf8), key: key)
        let (iv2, _) = try SessionCipher.seal(Array("Krsna".utf8), key: key)
        #expect(iv != iv2)
        #expect(try SessionCipher.open(sealed, key: key, iv: iv) == Array("Krsna".utf8))
        var flipped = sealed
        flipped[0] ^= 1
        #expect(throws: ConfideError.self) { try SessionCipher.open(flipped, key: key, iv: iv) }
        var badTag = sealed
        badTag[badTag.count - 1] ^= 0x80
        #expect(throws: ConfideError.self) { try SessionCipher.open(badTag, key: key, iv: iv) }
        #expect(throws: ConfideError.self) { try SessionCipher.open(sealed, key: SessionCipher.newKey(), iv: iv) }
    }

    @Test func secp256k1KnownAnswers() throws {
        var one = [UInt8](repeating: 0, count: 32)
        one[31] = 1
        let key = try Secp256k1SigningKey(rawRepresentation: one)
        // The public key of secret 1 is the generator G.
        #expect(key.verifyingKey.hexUncompressed == "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")
        // The widely published RFC 6979 signature for key 1 and SHA-256("Satoshi Nakamoto") verifies.
        let digest = WorkOrderHash.sha256(Array("Satoshi Nakamoto".utf8))
        let published = try #require(Hex.decode("3045" + "022100" + "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8" + "0220" + "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5"))
        #expect(key.verifyingKey.isValidSignature(published, forDigest: digest))
        // Hedged nonces: two signatures of one digest differ, and both verify with low S.
        let signature = try key.signature(forDigest: digest)
        #expect(try key.signature(forDigest: digest) != signature)
        #expect(try Self.isLowS(signature))
        #expect(key.verifyingKey.isValidSignature(signature, forDigest: digest))
        var other = digest
        other[0] ^= 1
        #expect(!key.verifyingKey.isValidSignature(signature, forDigest: other))
        #expect(throws: ConfideError.self) { try Secp256k1SigningKey(rawRepresentation: [UInt8](repeating: 0, count: 32)) }
    }

    @Test func secp256k1PEMRoundTripAndHighS() throws {
        let key = Secp256k1SigningKey()
        let pem = key.verifyingKey.pem
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(try Secp256k1VerifyingKey(pem: pem) == key.verifyingKey)
        #expect(throws: ConfideError.self) { try Secp256k1VerifyingKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") }
        // A high-S signature (n − s) is valid ECDSA: accepted after normalisation.
        let digest = WorkOrderHash.sha256([1, 2, 3])
        let der = try key.signature(forDigest: digest)
        let high = try Self.highS(der)
        #expect(high != der)
        #expect(key.verifyingKey.isValidSignature(high, forDigest: digest))
    }

    @Test func rsaOAEPWrapRoundTrip() throws {
        let keys = WorkerTestSupport.keys
        #expect(keys.encryptionKeyPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        let session = SessionCipher.newKey()
        let wrapped = try WorkerKeys.wrapSessionKey(session, forEncryptionKeyPEM: keys.encryptionKeyPEM)
        #expect(wrapped.count == 384)
        #expect(try keys.unwrapSessionKey(wrapped) == session)
        var bad = wrapped
        bad[10] ^= 1
        #expect(throws: ConfideError.self) { try keys.unwrapSessionKey(bad) }
    }

    @Test func requestAndResponseHashesFollowTheSpecOrder() {
        // Expected values computed independently with Python's hashlib.
        let items = [
            DataItem(index: 1, dataHash: "ab", data: "REVG", iv: "0c0d0e0f1011121314151617"),
            DataItem(index: 0, data: "QUJD", iv: "000102030405060708090a0b"),
        ]
        let request = WorkOrderHash.request(requesterNonce: "0011", workOrderId: "aa", workerId: "bb", workloadId: "68656c6c6f", requesterId: "cc", inData: items)
        #expect(Hex.encode(request) == "6d6473e62d76dfb96f0dc699c5211dd5da3796d28bf86cc98de7d079e9822dc0")
        let response = WorkOrderHash.response(workerNonce: "ff", workOrderId: "aa", workerId: "bb", workloadId: "68656c6c6f", requesterId: "cc", outData: items)
        #expect(Hex.encode(response) == "86215f19cc21e1941f21a25e93cce2f0ca1bab2397a631d923bf5bdec7c203f9")
        let empty = WorkOrderHash.response(workerNonce: "ff", workOrderId: "aa", workerId: "bb", workloadId: "68656c6c6f", requesterId: "cc", outData: [])
        #expect(Hex.encode(empty) == "47486c56548e30f1c349e364334fcfc2f0b36ab66e93f7e523429cba30357d15")
    }

    @Test func keyFileIsPrivateAndReloads() throws {
        let dir = try WorkerTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("keys.json").path
        let keys = WorkerTestSupport.keys
        try keys.write(to: path)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let loaded = try WorkerKeys.loadOrCreate(at: path)
        #expect(loaded.verifyingKey == keys.verifyingKey)
        #expect(loaded.encryptionKeyPEM == keys.encryptionKeyPEM)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: ConfideError.self) { try WorkerKeys.load(from: path) }
    }

    /// Rewrites a DER signature with s replaced by n − s.
    /// Whether the S of a DER signature is at most (n − 1) / 2.
    static func isLowS(_ der: [UInt8]) throws -> Bool {
        let half: [UInt8] = Hex.decode("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0")!
        let rLength = Int(der[3])
        var s = Array(der[(4 + rLength + 2)...])
        while s.count > 32, s.first == 0 { s.removeFirst() }
        guard s.count <= 32 else { return false }
        s = [UInt8](repeating: 0, count: 32 - s.count) + s
        return s.lexicographicallyPrecedes(half) || s == half
    }

    static func highS(_ der: [UInt8]) throws -> [UInt8] {
        let n: [UInt8] = Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")!
        let rLength = Int(der[3])
        let r = Array(der[4..<(4 + rLength)])
        let sStart = 4 + rLength + 2
        var s = Array(der[sStart...])
        while s.count < 32 { s.insert(0, at: 0) }
        if s.count > 32 { s.removeFirst(s.count - 32) }
        var out = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for i in stride(from: 31, through: 0, by: -1) {
            var d = Int(n[i]) - Int(s[i]) - borrow
            borrow = d < 0 ? 1 : 0
            if d < 0 { d += 256 }
            out[i] = UInt8(d)
        }
        let sField: [UInt8] = out[0] >= 0x80 ? [0] + out : out
        let body: [UInt8] = [0x02, UInt8(r.count)] + r + [0x02, UInt8(sField.count)] + sField
        return [0x30, UInt8(body.count)] + body
    }
}
