import Crypto
import Testing
import _CryptoExtras

@testable import ConfideCore

/// Parses hexadecimal text into bytes.
func randomTestsHex(_ text: String) -> [UInt8] {
    let chars = Array(text.utf8)
    return stride(from: 0, to: chars.count, by: 2).map { i in
        UInt8(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16)!
    }
}

/// Draws `count` bytes from a generator with one fill.
func randomTestsBytes(_ generator: inout AESCTRGenerator, _ count: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: count)
    out.withUnsafeMutableBytes { generator.fill($0) }
    return out
}

/// AES-128 of one block through swift-crypto's single-block permutation (an independent path).
func randomTestsAESBlock(_ key: [UInt8], _ block: [UInt8]) throws -> [UInt8] {
    var b = block
    try AES.permute(&b, key: SymmetricKey(data: key))
    return b
}

/// A counter value as its 16-byte big-endian block.
func randomTestsBigEndianBlock(_ counter: UInt128) -> [UInt8] {
    (0..<16).map { UInt8(truncatingIfNeeded: counter >> UInt128(8 * (15 - $0))) }
}

@Suite("AESCTRGenerator")
struct AESCTRGeneratorTests {
    static let key = randomTestsHex("2b7e151628aed2a6abf7158809cf4f3c")

    /// NIST SP 800-38A F.5.1 CTR-AES128.Encrypt: the keystream is plaintext ⊕ ciphertext.
    @Test func nistSP80038AKnownAnswer() throws {
        let plaintext = randomTestsHex(
            "6bc1bee22e409f96e93d7e117393172a" + "ae2d8a571e03ac9c9eb76fac45af8e51"
                + "30c81c46a35ce411e5fbc1191a0a52ef" + "f69f2445df4f9b17ad2b417be66c3710")
        let ciphertext = randomTestsHex(
            "874d6191b620e3261bef6864990db6ce" + "9806f66b7970fdff8617187bb9fffdff"
                + "5ae4df3edbd5d35e5b4f09020db03eab" + "1e031dda2fbe03d1792170a0f3009cee")
        let expected = zip(plaintext, ciphertext).map { $0 ^ $1 }
        var g = try AESCTRGenerator(key: Self.key, counter: 0xf0f1f2f3_f4f5f6f7_f8f9fafb_fcfdfeff)
        #expect(randomTestsBytes(&g, 64) == expected)
        #expect(Array(expected[0..<16]) == randomTestsHex("ec8cdf7398607cb0f2d21675ea9ea1e4"))
    }

    /// FIPS-197 Appendix C.1 anchors the independent single-block path.
    @Test func fips197SingleBlock() throws {
        let out = try randomTestsAESBlock(
            randomTestsHex("000102030405060708090a0b0c0d0e0f"), randomTestsHex("00112233445566778899aabbccddeeff"))
        #expect(out == randomTestsHex("69c4e0d86a7b0430d8cdb78070b4c55a"))
    }

    /// The stream is AES_k(counter), AES_k(counter+1), … with carries across 32-, 64- and 128-bit boundaries.
    @Test(arguments: [0, (1 << 32) - 2, (1 << 64) - 2, UInt128.max - 1] as [UInt128])
    func keystreamMatchesSingleBlocks(start: UInt128) throws {
        var g = try AESCTRGenerator(key: Self.key, counter: start)
        let stream = randomTestsBytes(&g, 64)
        for i in 0..<4 {
            let block = try randomTestsAESBlock(Self.key, randomTestsBigEndianBlock(start &+ UInt128(i)))
            #expect(Array(stream[16 * i..<16 * i + 16]) == block, "block \(i)")
        }
    }

    @Test func deterministicPerKey() throws {
        var a = try AESCTRGenerator(key: Self.key)
        var b = try AESCTRGenerator(key: Self.key)
        #expect(randomTestsBytes(&a, 100_000) == randomTestsBytes(&b, 100_000))
        #expect(a.next(UInt64.self) == b.next(UInt64.self))
    }

    @Test func differentKeysDiffer() throws {
        var other = Self.key
        other[15] ^= 1
        var a = try AESCTRGenerator(key: Self.key)
        var b = try AESCTRGenerator(key: other)
        #expect(randomTestsBytes(&a, 64) != randomTestsBytes(&b, 64))
    }

    /// Any split of the stream into draws yields the same bytes as one fill (buffer and chunk boundaries).
    @Test func drawsOfMixedSizesFormOneStream() throws {
        var whole = try AESCTRGenerator(key: Self.key)
        let reference = randomTestsBytes(&whole, 300_000)
        var g = try AESCTRGenerator(key: Self.key)
        var collected: [UInt8] = []
        for size in [1, 3, 8, 17, 16, 70_000, 5, 16_384, 65_536, 1, 131_072] {
            collected += randomTestsBytes(&g, size)
        }
        collected += randomTestsBytes(&g, reference.count - collected.count)
        #expect(collected == reference)
    }

    @Test func nextReadsLittleEndianFromTheStream() throws {
        var s = try AESCTRGenerator(key: Self.key)
        let bytes = randomTestsBytes(&s, 1 + 2 + 4 + 8 + 16)
        func le(_ r: Range<Int>) -> UInt128 { r.reversed().reduce(UInt128(0)) { $0 << 8 | UInt128(bytes[$1]) } }
        var g = try AESCTRGenerator(key: Self.key)
        #expect(UInt128(g.next(UInt8.self)) == le(0..<1))
        #expect(UInt128(g.next(UInt16.self)) == le(1..<3))
        #expect(UInt128(g.next(UInt32.self)) == le(3..<7))
        #expect(UInt128(g.next(UInt64.self)) == le(7..<15))
        #expect(g.next(UInt128.self) == le(15..<31))
    }

    @Test func fillWordsMatchesByteStream() throws {
        var s = try AESCTRGenerator(key: Self.key)
        let bytes = randomTestsBytes(&s, 80)
        var g = try AESCTRGenerator(key: Self.key)
        var words = [UInt32](repeating: 0, count: 20)
        g.fill(&words)
        for i in 0..<20 {
            let expected = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[4 * i + $1]) << UInt32(8 * $1) }
            #expect(words[i] == expected)
        }
    }

    @Test func forksAreDeterministicAndDistinct() throws {
        var a = try AESCTRGenerator(key: Self.key)
        var b = try AESCTRGenerator(key: Self.key)
        _ = randomTestsBytes(&b, 1000)  // fork output must not depend on the stream position
        var a1 = a.fork(1), b1 = b.fork(1)
        var a1again = a.fork(1), a2 = a.fork(2)
        let x = randomTestsBytes(&a1, 32)
        #expect(x == randomTestsBytes(&b1, 32))
        #expect(x != randomTestsBytes(&a1again, 32))
        #expect(x != randomTestsBytes(&a2, 32))
        var parent = try AESCTRGenerator(key: Self.key)
        #expect(x != randomTestsBytes(&parent, 32))
    }

    @Test(arguments: [0, 1, 15, 17, 32])
    func rejectsWrongKeyLength(length: Int) {
        #expect(throws: ConfideError.self) { try AESCTRGenerator(key: [UInt8](repeating: 0xAB, count: length)) }
        do {
            _ = try AESCTRGenerator(key: [UInt8](repeating: 0xAB, count: length))
        } catch let error as ConfideError {
            #expect(error.code == .invalidArgument)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func keyIsNeverPrinted() throws {
        let g = try AESCTRGenerator(key: Self.key)
        for text in [String(describing: g), String(reflecting: g), "\(g)"] {
            #expect(!text.lowercased().contains("2b7e"))
            #expect(!text.contains("43"))  // 0x2b in decimal
        }
        var dumped = ""
        dump(g, to: &dumped)
        #expect(!dumped.contains("43"))
    }

    @Test func systemEntropyGeneratorsDiffer() {
        var a = AESCTRGenerator.fromSystemEntropy()
        var b = AESCTRGenerator.fromSystemEntropy()
        #expect(randomTestsBytes(&a, 32) != randomTestsBytes(&b, 32))
    }

    @Test(arguments: [UInt64(2), 3, 7, 10, 1000, 1 << 32 + 1, 1 << 63 + 1, .max])
    func uniformStaysBelowBound(bound: UInt64) throws {
        var g = try AESCTRGenerator(key: Self.key)
        for _ in 0..<2000 { #expect(g.uniform(below: bound) < bound) }
    }

    @Test func uniformDegenerateBounds() throws {
        var g = try AESCTRGenerator(key: Self.key)
        #expect(g.uniform(below: 0) == 0)
        #expect(g.uniform(below: 1) == 0)
    }

    /// Chi-square over 10 buckets (9 degrees of freedom): 99.99% quantile ≈ 33.7.
    @Test func uniformIsRoughlyUniform() throws {
        var g = try AESCTRGenerator(key: Self.key)
        var counts = [Int](repeating: 0, count: 10)
        let n = 100_000
        for _ in 0..<n { counts[Int(g.uniform(below: 10))] += 1 }
        let expected = Double(n) / 10
        let chi2 = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        #expect(chi2 < 33.7)
        // The top half of a bound just above 2^63 must be reached about half the time.
        let bound = UInt64(1) << 63 + 12345
        let high = (0..<4000).filter { _ in g.uniform(below: bound) >= bound / 2 }.count
        #expect((1700...2300).contains(high))
    }
}
