import Testing

@testable import ConfideCore

/// A `bit[128]` key tensor whose byte encoding is `bytes` (element 8j+k is bit k of byte j).
func randomTestsKeyTensor(_ bytes: [UInt8]) -> Tensor {
    let bits = (0..<128).map { UInt64(bytes[$0 / 8] >> UInt8($0 % 8)) & 1 }
    return Tensor(.bit, shape: [128], narrow: bits)
}

/// Known answers derived by hand from the PRF specification; the AES blocks were computed with
/// `openssl enc -aes-128-ecb` for key 000102…0f and blocks LE((iv << 64) + i), iv = 0x0123456789abcdef:
/// block 0 = bf51fab3c47479401d408d09b029237e, block 1 = 4de2ebe929c67a34c601b8cb984cc9a6.
@Suite("CipherCorePRF")
struct CipherCorePRFTests {
    static let keyBytes: [UInt8] = Array(0...15)
    static let key = randomTestsKeyTensor(keyBytes)
    static let iv: UInt64 = 0x0123_4567_89ab_cdef

    func prf(_ type: ValueType, iv: UInt64 = Self.iv) throws -> Value {
        try CipherCorePRF.evaluate(key: Self.key, iv: iv, type: type)
    }

    @Test func keyBytesFollowTheBitEncoding() throws {
        #expect(try CipherCorePRF.keyBytes(Self.key) == Self.keyBytes)
    }

    /// The independent single-block path reproduces the openssl blocks (anchored by FIPS-197 in the generator tests).
    @Test func streamBlocksMatchOpenSSL() throws {
        var block0 = [UInt8](repeating: 0, count: 16)
        for j in 0..<8 { block0[8 + j] = UInt8(truncatingIfNeeded: Self.iv >> UInt64(8 * j)) }
        #expect(try randomTestsAESBlock(Self.keyBytes, block0) == randomTestsHex("bf51fab3c47479401d408d09b029237e"))
        #expect(try randomTestsAESBlock(Self.keyBytes, [UInt8](repeating: 0, count: 16))
            == randomTestsHex("c6a13b37878f5b826f4f8162a1c8d879"))
    }

    @Test func scalars() throws {
        #expect(try prf(.scalar(.u8)) == .scalar(.u8, 0xbf))
        #expect(try prf(.scalar(.i8)) == .scalar(.i8, 0xbf))
        #expect(try prf(.scalar(.u16)) == .scalar(.u16, 0x51bf))
        #expect(try prf(.scalar(.u32)) == .scalar(.u32, 0xb3fa_51bf))
        #expect(try prf(.scalar(.i32)).tensor?.value(at: 0) == -1_275_440_705)
        #expect(try prf(.scalar(.u64)) == .scalar(.u64, 0x4079_74c4_b3fa_51bf))
        #expect(try prf(.scalar(.u128)) == .scalar(.u128, 0x7e23_29b0_098d_401d_4079_74c4_b3fa_51bf))
        #expect(try prf(.scalar(.i128)) == .scalar(.i128, 0x7e23_29b0_098d_401d_4079_74c4_b3fa_51bf))
        // 0xbf >> 7
        #expect(try prf(.scalar(.bit)) == .scalar(.bit, 1))
    }

    @Test func arrays() throws {
        #expect(try prf(.array([3], .u64)) == .tensor(Tensor(.u64, shape: [3], narrow: [0x4079_74c4_b3fa_51bf, 0x7e23_29b0_098d_401d, 0x347a_c629_e9eb_e24d])))
        #expect(try prf(.array([2, 1], .u16)) == .tensor(Tensor(.u16, shape: [2, 1], narrow: [0x51bf, 0xb3fa])))
        // 0xbf >> 3 = 0b10111, least significant bit first.
        #expect(try prf(.array([5], .bit)) == .tensor(Tensor(.bit, shape: [5], narrow: [1, 1, 1, 0, 1])))
        // 0xbf, then 0x51 >> 4 = 0b0101.
        #expect(try prf(.array([3, 4], .bit)) == .tensor(Tensor(.bit, shape: [3, 4], narrow: [1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0])))
        // 20 bytes cross the first block boundary.
        let bytes = randomTestsHex("bf51fab3c47479401d408d09b029237e4de2ebe9")
        #expect(try prf(.array([20], .u8)) == .tensor(Tensor(.u8, shape: [20], narrow: bytes.map(UInt64.init))))
    }

    @Test func compositeTypesDrawInTypeOrder() throws {
        // u8 ← 0xbf; bit[5] ← 0x51 >> 3 = 0b01010; u16 ← fa b3.
        let t = ValueType.tuple([.scalar(.u8), .array([5], .bit), .scalar(.u16)])
        #expect(try prf(t) == .tuple([.scalar(.u8, 0xbf), .tensor(Tensor(.bit, shape: [5], narrow: [0, 1, 0, 1, 0])), .scalar(.u16, 0xb3fa)]))
        let named = ValueType.namedTuple([.init("a", .scalar(.u8)), .init("b", .vector(2, .scalar(.u8)))])
        #expect(try prf(named) == .namedTuple([.init("a", .scalar(.u8, 0xbf)), .init("b", .vector(elementType: .scalar(.u8), [.scalar(.u8, 0x51), .scalar(.u8, 0xfa)]))]))
        #expect(try prf(.tuple([])) == .tuple([]))
        #expect(try prf(.vector(0, .scalar(.u32))) == .vector(elementType: .scalar(.u32), []))
    }

    /// A long output equals the concatenation of independently encrypted blocks (buffer boundaries).
    @Test func longOutputsFollowTheBlockSequence() throws {
        for iv: UInt64 in [0, Self.iv, .max] {
            var expected: [UInt8] = []
            for i in 0..<70 {
                var block = [UInt8](repeating: 0, count: 16)
                for j in 0..<8 {
                    block[j] = UInt8(truncatingIfNeeded: UInt64(i) >> UInt64(8 * j))
                    block[8 + j] = UInt8(truncatingIfNeeded: iv >> UInt64(8 * j))
                }
                expected += try randomTestsAESBlock(Self.keyBytes, block)
            }
            let v = try prf(.tuple([.array([3], .u8), .array([1000], .u8), .array([17], .u8)]), iv: iv)
            let got = (v.children ?? []).flatMap { $0.tensor!.residues.map { UInt8($0) } }
            #expect(got == Array(expected[0..<1020]))
        }
    }

    @Test func deterministicAndKeyedByIV() throws {
        let t = ValueType.array([64], .u32)
        #expect(try prf(t) == prf(t))
        #expect(try prf(t, iv: 1) != prf(t, iv: 2))
        var other = Self.keyBytes
        other[0] ^= 1
        #expect(try CipherCorePRF.evaluate(key: randomTestsKeyTensor(other), iv: 1, type: t) != prf(t, iv: 1))
    }

    @Test func permutationKnownAnswers() throws {
        #expect(try CipherCorePRF.permutation(key: Self.key, iv: Self.iv, count: 1) == Tensor(.u64, shape: [1], narrow: [0]))
        #expect(try CipherCorePRF.permutation(key: Self.key, iv: Self.iv, count: 3) == Tensor(.u64, shape: [3], narrow: [2, 1, 0]))
        #expect(try CipherCorePRF.permutation(key: Self.key, iv: Self.iv, count: 4) == Tensor(.u64, shape: [4], narrow: [3, 1, 0, 2]))
        #expect(try CipherCorePRF.permutation(key: Self.key, iv: Self.iv, count: 10) == Tensor(.u64, shape: [10], narrow: [7, 1, 6, 9, 3, 2, 0, 4, 8, 5]))
    }

    @Test(arguments: [2, 5, 256, 257, 1000, 70_000])
    func permutationIsAPermutation(count: Int) throws {
        let p = try CipherCorePRF.permutation(key: Self.key, iv: UInt64(count), count: count)
        #expect(p.shape == [count])
        #expect(Set(p.residues) == Set((0..<count).map { UInt128($0) }))
    }

    @Test func rejectsBadKeysAndCounts() throws {
        let badKeys = [Tensor.zeros(.bit, shape: [127]), Tensor.zeros(.u8, shape: [16]), Tensor.zeros(.bit, shape: [2, 64])]
        for k in badKeys {
            #expect(throws: ConfideError.self) { try CipherCorePRF.evaluate(key: k, iv: 0, type: .scalar(.u8)) }
            #expect(throws: ConfideError.self) { try CipherCorePRF.permutation(key: k, iv: 0, count: 3) }
        }
        for n in [0, -1, (1 << 30) + 1] {
            #expect(throws: ConfideError.self) { try CipherCorePRF.permutation(key: Self.key, iv: 0, count: n) }
        }
        #expect(throws: ConfideError.self) { try prf(.array([0], .u8)) }
        #expect(throws: ConfideError.self) { try prf(.array([1 << 41], .u8)) }
    }

    @Test func generatorRandomValuesUseTheSameLayout() throws {
        var a = try AESCTRGenerator(key: Self.keyBytes)
        let bytes = randomTestsBytes(&a, 6)
        var g = try AESCTRGenerator(key: Self.keyBytes)
        let v = try g.randomValue(of: .tuple([.scalar(.u8), .array([5], .bit), .scalar(.i32)]))
        let bits = (0..<5).map { UInt64((bytes[1] >> 3) >> UInt8($0)) & 1 }
        let i32 = UInt128(bytes[2]) | UInt128(bytes[3]) << 8 | UInt128(bytes[4]) << 16 | UInt128(bytes[5]) << 24
        #expect(v == .tuple([.scalar(.u8, UInt128(bytes[0])), .tensor(Tensor(.bit, shape: [5], narrow: bits)), .scalar(.i32, i32)]))
    }

    @Test(arguments: ScalarType.allCases)
    func generatorRandomValuesHaveTheTypeAndVary(scalar: ScalarType) throws {
        var g = try AESCTRGenerator(key: Self.keyBytes)
        let t = ValueType.array([3, 67], scalar)
        let v = try g.randomValue(of: t)
        #expect(v.type == t)
        let residues = v.tensor!.residues
        #expect(residues.allSatisfy { $0 <= scalar.mask128 })
        #expect(Set(residues).count > 1)
        #expect(try g.randomValue(of: t) != v)
    }

    @Test func generatorRandomPermutation() throws {
        var g = try AESCTRGenerator(key: Self.keyBytes)
        for n in [1, 2, 10, 1000] {
            let p = try g.randomPermutation(count: n)
            #expect(p.shape == [n] && p.scalarType == .u64)
            #expect(Set(p.residues) == Set((0..<n).map { UInt128($0) }))
        }
        #expect(throws: ConfideError.self) { try g.randomPermutation(count: 0) }
        // All 6 permutations of 3 elements appear.
        var seen = Set<[UInt128]>()
        for _ in 0..<200 { seen.insert(try g.randomPermutation(count: 3).residues) }
        #expect(seen.count == 6)
    }
}
