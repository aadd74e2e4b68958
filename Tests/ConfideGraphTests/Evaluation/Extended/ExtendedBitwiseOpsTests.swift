import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Extended bitwise operations")
struct ExtendedBitwiseOpsTests {
    @Test func not() throws {
        #expect(try extendedEval(extendedCustom("Not"), [.scalar(.bit, 0)]) == .scalar(.bit, 1))
        #expect(try extendedEval(extendedCustom("Not"), [extendedBits([2, 2], [0, 1, 1, 0])]) == extendedBits([2, 2], [1, 0, 0, 1]))
        #expect(extendedErrorCode(extendedCustom("Not"), [.scalar(.u8, 0)]) == .typeMismatch)
        #expect(extendedErrorCode(extendedCustom("Not"), [.tuple([])]) == .typeMismatch)
        #expect(extendedErrorCode(extendedCustom("Not"), []) == .wrongInputCount)
    }

    @Test func or() throws {
        let a = extendedBits([2, 1], [0, 1])
        let b = extendedBits([2], [0, 1])
        #expect(try extendedEval(extendedCustom("Or"), [a, b]) == extendedBits([2, 2], [0, 1, 1, 1]))
        #expect(try extendedEval(extendedCustom("Or"), [.scalar(.bit, 0), .scalar(.bit, 0)]) == .scalar(.bit, 0))
        #expect(extendedErrorCode(extendedCustom("Or"), [extendedBits([2], [0, 1]), extendedBits([3], [0, 1, 1])]) == .shapeMismatch)
        #expect(extendedErrorCode(extendedCustom("Or"), [extendedBits([2], [0, 1]), extendedTensor(.u8, [2], [0, 1])]) == .typeMismatch)
    }

    @Test func muxOnBitsExhaustive() throws {
        for flag: UInt128 in [0, 1] {
            for x1: UInt128 in [0, 1] {
                for x0: UInt128 in [0, 1] {
                    let out = try extendedEval(extendedCustom("Mux"), [.scalar(.bit, flag), .scalar(.bit, x1), .scalar(.bit, x0)])
                    #expect(out == .scalar(.bit, flag == 1 ? x1 : x0))
                }
            }
        }
    }

    /// CipherCore's broadcast example: flag [3, 1], x1 [1, 5], x0 [6, 1, 1] → [6, 3, 5].
    @Test func muxBroadcasts() throws {
        let flag: [UInt64] = [0, 1, 1], x1: [UInt64] = [0, 1, 0, 0, 1], x0: [UInt64] = [1, 0, 0, 1, 0, 1]
        let out = try extendedEval(extendedCustom("Mux"), [extendedBits([3, 1], flag), extendedBits([1, 5], x1), extendedBits([6, 1, 1], x0)])
        var expected: [UInt64] = []
        for i in 0..<6 { for j in 0..<3 { for k in 0..<5 { expected.append(flag[j] != 0 ? x1[k] : x0[i]) } } }
        #expect(out == extendedBits([6, 3, 5], expected))
    }

    /// For integer choices CipherCore's Mux graph is x0·flag + x1·(1 − flag): the third argument where the flag is 1.
    @Test(arguments: ScalarType.allCases.filter { $0 != .bit })
    func muxOnIntegersFollowsCipherCore(scalar: ScalarType) throws {
        let values = extendedEdgeValues(scalar)
        let x1 = extendedTensor(scalar, [6], values)
        let x0 = extendedTensor(scalar, [6], values.reversed())
        let flag = extendedBits([6], [1, 0, 1, 0, 0, 1])
        let out = try extendedEval(extendedCustom("Mux"), [flag, x1, x0])
        let expected = (0..<6).map { [1, 0, 1, 0, 0, 1][$0] == 1 ? values.reversed()[$0] : values[$0] }
        #expect(out == extendedTensor(scalar, [6], expected))
        // A scalar flag broadcasts.
        #expect(try extendedEval(extendedCustom("Mux"), [.scalar(.bit, 0), x1, x0]) == x1)
    }

    @Test func muxRejectsBadArguments() {
        let mux = extendedCustom("Mux")
        #expect(extendedErrorCode(mux, [extendedTensor(.i32, [3, 1], [0, 1, 1]), extendedBits([1, 5], [0, 0, 0, 0, 0]), extendedBits([6, 1, 1], [0, 0, 0, 0, 0, 0])]) == .typeMismatch)
        #expect(extendedErrorCode(mux, [extendedBits([3, 1], [0, 1, 1]), extendedTensor(.u32, [1, 5, 1], [0, 0, 0, 0, 0]), extendedTensor(.i32, [6, 1, 1], [0, 0, 0, 0, 0, 0])]) == .typeMismatch)
        #expect(extendedErrorCode(mux, [extendedBits([3, 7], [UInt64](repeating: 0, count: 21)), extendedBits([1, 5], [0, 0, 0, 0, 0]), extendedBits([6, 1, 1], [0, 0, 0, 0, 0, 0])]) == .shapeMismatch)
        #expect(extendedErrorCode(mux, [extendedBits([3, 1], [0, 1, 1]), extendedBits([1, 5], [0, 0, 0, 0, 0])]) == .wrongInputCount)
        #expect(extendedErrorCode(mux, [.tuple([]), extendedBits([1, 5], [0, 0, 0, 0, 0]), extendedBits([6, 1, 1], [0, 0, 0, 0, 0, 0])]) == .typeMismatch)
    }

    @Test(arguments: [
        Operation.shard(withColumnMasks: false, config: .null), .shard(withColumnMasks: true, config: .null),
        .add, .input(.scalar(.u8)),
        .custom(CustomOperation("BinaryAddTransposed")), .custom(CustomOperation("Frobnicate")),
    ])
    func unsupportedOperationsAreNamed(op: Operation) {
        do {
            _ = try extendedEval(op, [])
            Issue.record("\(op.name) should not be supported")
        } catch let error as ConfideError {
            #expect(error.code == .unsupportedOperation)
            #expect(error.message == "operation \(op.name) is not supported by the plaintext evaluator")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
