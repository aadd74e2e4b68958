import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Extended randomness operations")
struct ExtendedRandomOpsTests {
    static let key: Value = .tensor(Tensor(.bit, shape: [128], narrow: (0..<128).map { UInt64(($0 / 8) >> ($0 % 8)) & 1 }))

    @Test func randomHasTheTypeAndDependsOnTheGenerator() throws {
        let t = ValueType.tuple([.array([4, 3], .u32), .scalar(.bit), .namedTuple([.init("a", .array([2], .i128))])])
        let a = try extendedEval(.random(t), [], seed: 1)
        #expect(a.type == t)
        #expect(try extendedEval(.random(t), [], seed: 1) == a)
        #expect(try extendedEval(.random(t), [], seed: 2) != a)
        var g = try AESCTRGenerator(key: [UInt8](repeating: 1, count: 16))
        let first = try Evaluator.evaluateExtended(.random(t), [], random: &g)
        let second = try Evaluator.evaluateExtended(.random(t), [], random: &g)
        #expect(first == a && second != first)
    }

    @Test func randomRejectsArgumentsAndBadTypes() {
        #expect(extendedErrorCode(.random(.scalar(.u8)), [.scalar(.u8, 1)]) == .wrongInputCount)
        #expect(extendedErrorCode(.random(.array([0], .u8)), []) == .invalidType)
        #expect(extendedErrorCode(.random(.array([1 << 30, 1 << 30], .u8)), []) == .tooLarge)
    }

    @Test func randomPermutation() throws {
        for n in [1, 2, 7, 100] {
            let v = try extendedEval(.randomPermutation(n), [])
            #expect(v.type == .array([n], .u64))
            #expect(Set(v.tensor!.residues) == Set((0..<n).map { UInt128($0) }))
        }
        #expect(extendedErrorCode(.randomPermutation(0), []) == .invalidArgument)
        #expect(extendedErrorCode(.randomPermutation(-3), []) == .invalidArgument)
        #expect(extendedErrorCode(.randomPermutation(3), [.scalar(.u8, 1)]) == .wrongInputCount)
    }

    /// Key bytes 00…0f, iv 0x0123456789abcdef: the first AES block is bf51fab3 c4747940 … (see CipherCorePRFTests).
    @Test func prfMatchesTheKnownAnswer() throws {
        #expect(try extendedEval(.prf(iv: 0x0123_4567_89ab_cdef, .scalar(.u32)), [Self.key]) == .scalar(.u32, 0xb3fa_51bf))
        let t = ValueType.tuple([.scalar(.u8), .array([5], .bit)])
        #expect(try extendedEval(.prf(iv: 0x0123_4567_89ab_cdef, t), [Self.key]) == .tuple([.scalar(.u8, 0xbf), extendedBits([5], [0, 1, 0, 1, 0])]))
        // The evaluator's generator plays no part.
        #expect(try extendedEval(.prf(iv: 9, t), [Self.key], seed: 1) == extendedEval(.prf(iv: 9, t), [Self.key], seed: 2))
    }

    @Test func permutationFromPRF() throws {
        #expect(try extendedEval(.permutationFromPRF(iv: 0x0123_4567_89ab_cdef, n: 4), [Self.key]) == extendedTensor(.u64, [4], [3, 1, 0, 2]))
        #expect(extendedErrorCode(.permutationFromPRF(iv: 0, n: 0), [Self.key]) == .invalidArgument)
        #expect(extendedErrorCode(.permutationFromPRF(iv: 0, n: (1 << 30) + 1), [Self.key]) == .invalidArgument)
    }

    @Test func prfRejectsBadKeys() {
        let badKeys: [Value] = [
            .tensor(.zeros(.bit, shape: [64])), .tensor(.zeros(.u8, shape: [16])), .scalar(.bit, 1),
            .tuple([Self.key]), .tensor(.zeros(.bit, shape: [1, 128])),
        ]
        for k in badKeys {
            #expect(extendedErrorCode(.prf(iv: 0, .scalar(.u8)), [k]) == .typeMismatch)
            #expect(extendedErrorCode(.permutationFromPRF(iv: 0, n: 3), [k]) == .typeMismatch)
        }
        #expect(extendedErrorCode(.prf(iv: 0, .scalar(.u8)), []) == .wrongInputCount)
        #expect(extendedErrorCode(.prf(iv: 0, .scalar(.u8)), [Self.key, Self.key]) == .wrongInputCount)
    }
}
