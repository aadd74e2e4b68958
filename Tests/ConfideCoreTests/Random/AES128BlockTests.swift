import Testing

@testable import ConfideCore

@Suite("AES128Block")
struct AES128BlockTests {
    /// FIPS-197 Appendix C.1.
    @Test func fips197() throws {
        let cipher = try AES128Block(key: randomTestsHex("000102030405060708090a0b0c0d0e0f"))
        #expect(cipher.encrypt(randomTestsHex("00112233445566778899aabbccddeeff")) == randomTestsHex("69c4e0d86a7b0430d8cdb78070b4c55a"))
    }

    /// Bulk encryption (across the internal chunk boundary) equals block-by-block `AES.permute`.
    @Test(arguments: [1, 2, 255, 256, 257, 600])
    func bulkMatchesSingleBlocks(blocks: Int) throws {
        let key = randomTestsHex("2b7e151628aed2a6abf7158809cf4f3c")
        var g = try AESCTRGenerator(key: key)
        let input = randomTestsBytes(&g, 16 * blocks)
        var expected: [UInt8] = []
        for i in 0..<blocks { expected += try randomTestsAESBlock(key, Array(input[16 * i..<16 * i + 16])) }
        var out = input
        try AES128Block(key: key).encryptInPlace(&out)
        #expect(out == expected)
    }

    @Test func rejectsWrongKeyLength() {
        #expect(throws: ConfideError.self) { try AES128Block(key: [UInt8](repeating: 1, count: 24)) }
    }
}

extension AES128Block {
    func encryptInPlace(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { encryptInPlace($0) }
    }
}
