import ConfideCore
import Testing

@testable import ConfideGraph

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("Core evaluator: Dot, Matmul, Gemm")
struct CoreMatrixTests {
    let a23 = coreValue(.i32, [2, 3], [1, 2, 3, 4, 5, 6])
    let b32 = coreValue(.i32, [3, 2], [7, 8, 9, 10, 11, 12])

    @Test("Matmul of matrices")
    func matmul() throws {
        let c = try coreEval(.matmul, [a23, b32])
        #expect(c.type == .array([2, 2], .i32))
        #expect(coreNumbers(c) == [58, 64, 139, 154])
    }

    @Test("Matmul promotes 1-D operands and removes the added axis")
    func matmulVectors() throws {
        let v = coreValue(.i32, [3], [1, -1, 2])
        let inner = try coreEval(.matmul, [v, v])
        #expect(inner.type == .scalar(.i32))
        #expect(coreNumbers(inner) == [6])
        let left = try coreEval(.matmul, [v, b32])
        #expect(left.type == .array([2], .i32))
        #expect(coreNumbers(left) == [20, 22])  // 7-9+22, 8-10+24
        let right = try coreEval(.matmul, [a23, v])
        #expect(right.type == .array([2], .i32))
        #expect(coreNumbers(right) == [5, 11])  // 1-2+6, 4-5+12
        let batched = try coreEval(.matmul, [v, coreValue(.i32, [2, 3, 1], [1, 2, 3, 4, 5, 6])])
        #expect(batched.type == .array([2, 1], .i32))
        #expect(coreNumbers(batched) == [5, 11])
    }

    @Test("Matmul broadcasts batch axes")
    func matmulBatched() throws {
        let stack = coreValue(.i64, [2, 2, 2], [1, 2, 3, 4, 0, 1, 1, 0])
        let identityTimesTwo = coreValue(.i64, [2, 2], [2, 0, 0, 2])
        #expect(coreNumbers(try coreEval(.matmul, [stack, identityTimesTwo])) == [2, 4, 6, 8, 0, 2, 2, 0])
        #expect(coreNumbers(try coreEval(.matmul, [identityTimesTwo, stack])) == [2, 4, 6, 8, 0, 2, 2, 0])
        let left = coreValue(.i64, [2, 1, 1, 2], [1, 2, 3, 4])
        let right = coreValue(.i64, [3, 2, 1], [1, 1, 0, 1, -1, 0])
        let product = try coreEval(.matmul, [left, right])
        #expect(product.type == .array([2, 3, 1, 1], .i64))
        #expect(coreNumbers(product) == [3, 2, -1, 7, 4, -3])
    }

    @Test("Matmul wraps and works on bits and 128-bit types")
    func matmulRings() throws {
        let u8 = coreValue(.u8, [1, 2], [16, 16])
        #expect(coreResiduesOf(try coreEval(.matmul, [u8, coreValue(.u8, [2, 1], [8, 8])])) == [0])
        let bits = coreValue(.bit, [2, 2], [1, 1, 0, 1])
        #expect(coreResiduesOf(try coreEval(.matmul, [bits, coreValue(.bit, [2, 2], [1, 1, 1, 0])])) == [0, 1, 1, 0])
        let wide = coreResidues(.u128, [1, 2], [.max, 1 << 100])
        #expect(coreResiduesOf(try coreEval(.matmul, [wide, coreResidues(.u128, [2, 1], [2, 1 << 28])])) == [UInt128.max - 1])
        let signed = try coreEval(.matmul, [coreValue(.i128, [1, 2], [.min, 3]), coreValue(.i128, [2, 1], [-1, -4])])
        #expect(coreNumbers(signed) == [Int128.min &- 12])
    }

    @Test("Matmul refuses incompatible operands")
    func matmulErrors() {
        #expect(coreError(.matmul, [a23, a23])?.code == .shapeMismatch)
        #expect(coreError(.matmul, [coreScalar(.i32, 1), a23])?.code == .typeMismatch)
        #expect(coreError(.matmul, [a23, coreValue(.i64, [3, 2], [1, 2, 3, 4, 5, 6])])?.code == .typeMismatch)
        let batches = coreError(.matmul, [coreValue(.i32, [2, 1, 1], [1, 2]), coreValue(.i32, [3, 1, 1], [1, 2, 3])])
        #expect(batches?.code == .shapeMismatch)
    }

    @Test("Gemm transposes the last two axes of either operand")
    func gemm() throws {
        let a32 = coreValue(.i32, [3, 2], [1, 4, 2, 5, 3, 6])
        let b23 = coreValue(.i32, [2, 3], [7, 9, 11, 8, 10, 12])
        #expect(coreNumbers(try coreEval(.gemm(transposeA: false, transposeB: false), [a23, b32])) == [58, 64, 139, 154])
        #expect(coreNumbers(try coreEval(.gemm(transposeA: true, transposeB: false), [a32, b32])) == [58, 64, 139, 154])
        #expect(coreNumbers(try coreEval(.gemm(transposeA: false, transposeB: true), [a23, b23])) == [58, 64, 139, 154])
        #expect(coreNumbers(try coreEval(.gemm(transposeA: true, transposeB: true), [a32, b23])) == [58, 64, 139, 154])
        let batch = coreValue(.i32, [2, 2, 3], [1, 2, 3, 4, 5, 6, 0, 0, 1, 1, 0, 0])
        let product = try coreEval(.gemm(transposeA: false, transposeB: true), [batch, b23])
        #expect(product.type == .array([2, 2, 2], .i32))
        #expect(coreNumbers(product) == [58, 64, 139, 154, 11, 12, 7, 8])
        #expect(coreError(.gemm(transposeA: false, transposeB: false), [coreValue(.i32, [3], [1, 2, 3]), b32])?.code == .shapeMismatch)
        #expect(coreError(.gemm(transposeA: true, transposeB: false), [a23, b32])?.code == .shapeMismatch)
    }

    @Test("Dot with scalars multiplies element-wise")
    func dotScalars() throws {
        #expect(coreNumbers(try coreEval(.dot, [coreScalar(.i8, -3), coreScalar(.i8, 5)])) == [-15])
        let scaled = try coreEval(.dot, [a23, coreScalar(.i32, 2)])
        #expect(scaled.type == .array([2, 3], .i32))
        #expect(coreNumbers(scaled) == [2, 4, 6, 8, 10, 12])
        #expect(coreNumbers(try coreEval(.dot, [coreScalar(.i32, -1), a23])) == [-1, -2, -3, -4, -5, -6])
    }

    @Test("Dot of arrays follows NumPy")
    func dotArrays() throws {
        let v = coreValue(.u16, [3], [1, 2, 65535])
        let inner = try coreEval(.dot, [v, v])
        #expect(inner.type == .scalar(.u16))
        #expect(coreResiduesOf(inner) == [6])
        #expect(coreNumbers(try coreEval(.dot, [a23, b32])) == [58, 64, 139, 154])
        let matrixVector = try coreEval(.dot, [a23, coreValue(.i32, [3], [1, 0, -1])])
        #expect(matrixVector.type == .array([2], .i32))
        #expect(coreNumbers(matrixVector) == [-2, -2])
        let vectorMatrix = try coreEval(.dot, [coreValue(.i32, [2], [1, -1]), a23])
        #expect(coreNumbers(vectorMatrix) == [-3, -3, -3])
        #expect(coreError(.dot, [a23, a23])?.code == .shapeMismatch)
        #expect(coreError(.dot, [v, coreValue(.u16, [2], [1, 2])])?.code == .shapeMismatch)
    }

    @Test("Dot and Matmul of 1-D edge values wrap", arguments: ScalarType.allCases)
    func innerProductEdges(_ s: ScalarType) throws {
        let edges = coreEdges(s)
        let residues = edges.map { UInt128(truncatingIfNeeded: $0) & s.mask128 }
        let expected = residues.reduce(UInt128(0)) { $0 &+ $1 &* $1 } & s.mask128
        let v = coreValue(s, [edges.count], edges)
        #expect(try coreEval(.dot, [v, v]) == coreResidues(s, [], [expected]))
        #expect(try coreEval(.matmul, [v, v]) == coreResidues(s, [], [expected]))
    }

    @Test("Dot of a vector with a 3-D array")
    func dotVectorCube() throws {
        let cube = coreValue(.i32, [2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        let result = try coreEval(.dot, [coreValue(.i32, [2], [1, -1]), cube])
        #expect(result.type == .array([2, 3], .i32))
        #expect(coreNumbers(result) == [-3, -3, -3, -3, -3, -3])
    }

    @Test("Dot of higher-rank arrays contracts the last axis of a with axis -2 of b")
    func dotHighRank() throws {
        let sa = [2, 3, 2], sb = [2, 2, 2, 3]
        let xa = (0..<12).map { Int128($0 * 3 % 7) - 2 }
        let xb = (0..<24).map { Int128($0 * 5 % 11) - 4 }
        let result = try coreEval(.dot, [coreValue(.i64, sa, xa), coreValue(.i64, sb, xb)])
        #expect(result.type == .array([2, 3, 2, 2, 3], .i64))
        var expected: [Int128] = []
        for i in 0..<2 {
            for j in 0..<3 {
                for p in 0..<2 {
                    for q in 0..<2 {
                        for l in 0..<3 {
                            var total: Int128 = 0
                            for k in 0..<2 { total += xa[(i * 3 + j) * 2 + k] * xb[((p * 2 + q) * 2 + k) * 3 + l] }
                            expected.append(total)
                        }
                    }
                }
            }
        }
        #expect(coreNumbers(result) == expected)
    }

    @Test("256×256 u64 matmul matches a naive product")
    func largeMatmul() throws {
        let n = 256
        let a = (0..<(n * n)).map { UInt128(UInt64($0) &* 0x9E37_79B9_7F4A_7C15) }
        let b = (0..<(n * n)).map { UInt128(UInt64($0 + 7) &* 0xC2B2_AE3D_27D4_EB4F) }
        let c = try coreEval(.matmul, [coreResidues(.u64, [n, n], a), coreResidues(.u64, [n, n], b)])
        let residues = coreResiduesOf(c)
        for (i, j) in [(0, 0), (17, 200), (255, 255), (128, 3)] {
            var s: UInt64 = 0
            for k in 0..<n { s = s &+ UInt64(a[i * n + k]) &* UInt64(b[k * n + j]) }
            #expect(residues[i * n + j] == UInt128(s))
        }
    }
}
