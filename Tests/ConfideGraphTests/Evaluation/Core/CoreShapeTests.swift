import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Core evaluator: shapes")
struct CoreShapeTests {
    /// u32[2, 3, 4] holding 0…23.
    let cube = coreValue(.u32, [2, 3, 4], (0..<24).map { Int128($0) })
    /// i8[5] holding 0…4.
    let line = coreValue(.i8, [5], [0, 1, 2, 3, 4])

    @Test("PermuteAxes")
    func permuteAxes() throws {
        let moved = try coreEval(.permuteAxes([2, 0, 1]), [cube])
        #expect(moved.type == .array([4, 2, 3], .u32))
        // moved[l][i][j] = cube[i][j][l] = 12i + 4j + l
        var expected: [Int128] = []
        for l in 0..<4 { for i in 0..<2 { for j in 0..<3 { expected.append(Int128(12 * i + 4 * j + l)) } } }
        #expect(coreNumbers(moved) == expected)
        let matrix = coreValue(.i16, [2, 3], [1, 2, 3, 4, 5, 6])
        #expect(coreNumbers(try coreEval(.permuteAxes([1, 0]), [matrix])) == [1, 4, 2, 5, 3, 6])
        #expect(try coreEval(.permuteAxes([0, 1, 2]), [cube]) == cube)
        #expect(coreError(.permuteAxes([0, 0, 1]), [cube])?.code == .invalidArgument)
        #expect(coreError(.permuteAxes([0, 1]), [cube])?.code == .invalidArgument)
        #expect(coreError(.permuteAxes([]), [coreScalar(.u8, 1)])?.code == .typeMismatch)
    }

    @Test("Get takes an index prefix")
    func get() throws {
        let row = try coreEval(.get([1, 2]), [cube])
        #expect(row.type == .array([4], .u32))
        #expect(coreNumbers(row) == [20, 21, 22, 23])
        let plane = try coreEval(.get([1]), [cube])
        #expect(plane.type == .array([3, 4], .u32))
        #expect(coreNumbers(plane) == (12..<24).map { Int128($0) })
        let element = try coreEval(.get([0, 1, 3]), [cube])
        #expect(element == coreScalar(.u32, 7))
        #expect(try coreEval(.get([]), [cube]) == cube)
        #expect(coreError(.get([2]), [cube])?.code == .outOfRange)
        #expect(coreError(.get([-1]), [cube])?.code == .outOfRange)
        #expect(coreError(.get([0, 0, 0, 0]), [cube])?.code == .invalidArgument)
    }

    @Test("GetSlice follows CipherCore's slicing")
    func getSlice() throws {
        func slice(_ elements: [Operation.SliceElement], _ value: Value) throws -> Value { try coreEval(.getSlice(elements), [value]) }
        #expect(coreNumbers(try slice([.subArray(start: 1, stop: 3, step: nil)], line)) == [1, 2])
        #expect(coreNumbers(try slice([.subArray(start: nil, stop: nil, step: -1)], line)) == [4, 3, 2, 1, 0])
        #expect(coreNumbers(try slice([.subArray(start: -2, stop: nil, step: nil)], line)) == [3, 4])
        #expect(coreNumbers(try slice([.subArray(start: 3, stop: nil, step: -2)], line)) == [3, 1])
        #expect(coreNumbers(try slice([.subArray(start: nil, stop: 0, step: -1)], line)) == [4, 3, 2, 1])
        #expect(coreNumbers(try slice([.subArray(start: 1, stop: 7, step: 3)], line)) == [1, 4])
        #expect(try slice([.singleIndex(-1)], line) == coreScalar(.i8, 4))
        let column = try slice([.ellipsis, .singleIndex(1)], cube)
        #expect(column.type == .array([2, 3], .u32))
        #expect(coreNumbers(column) == [1, 5, 9, 13, 17, 21])
        let corner = try slice(
            [.singleIndex(1), .subArray(start: nil, stop: nil, step: -2), .subArray(start: 1, stop: 3, step: nil)], cube)
        #expect(corner.type == .array([2, 2], .u32))
        #expect(coreNumbers(corner) == [21, 22, 13, 14])
        #expect(try slice([], cube) == cube)
    }

    @Test("GetSlice refuses what CipherCore refuses")
    func getSliceErrors() {
        let line = self.line
        #expect(coreError(.getSlice([.subArray(start: 5, stop: nil, step: nil)]), [line])?.code == .invalidArgument)
        #expect(coreError(.getSlice([.subArray(start: 5, stop: 6, step: nil)]), [line])?.code == .outOfRange)
        #expect(coreError(.getSlice([.subArray(start: 1, stop: 100, step: 3)]), [line])?.code == .outOfRange)
        #expect(coreError(.getSlice([.subArray(start: 3, stop: 1, step: nil)]), [line])?.code == .invalidArgument)
        #expect(coreError(.getSlice([.subArray(start: nil, stop: nil, step: 0)]), [line])?.code == .invalidArgument)
        #expect(coreError(.getSlice([.singleIndex(5)]), [line])?.code == .outOfRange)
        #expect(coreError(.getSlice([.singleIndex(-6)]), [line])?.code == .outOfRange)
        #expect(coreError(.getSlice([.ellipsis, .ellipsis]), [line])?.code == .invalidArgument)
        #expect(coreError(.getSlice([.singleIndex(0), .singleIndex(0)]), [line])?.code == .invalidArgument)
        #expect(coreError(.getSlice([.subArray(start: -7, stop: nil, step: nil)]), [line])?.code == .outOfRange)
    }

    @Test("Reshape arrays, scalars and tuples")
    func reshape() throws {
        let matrix = coreValue(.i16, [2, 3], [1, 2, 3, 4, 5, 6])
        let flat = try coreEval(.reshape(.array([6], .i16)), [matrix])
        #expect(flat == coreValue(.i16, [6], [1, 2, 3, 4, 5, 6]))
        #expect(try coreEval(.reshape(.array([3, 1, 2], .i16)), [matrix]) == coreValue(.i16, [3, 1, 2], [1, 2, 3, 4, 5, 6]))
        #expect(try coreEval(.reshape(.array([1], .u8)), [coreScalar(.u8, 9)]) == coreValue(.u8, [1], [9]))
        #expect(try coreEval(.reshape(.scalar(.u8)), [coreValue(.u8, [1, 1], [9])]) == coreScalar(.u8, 9))
        let pair = Value.tuple([coreValue(.u8, [2], [1, 2]), coreValue(.u8, [1, 2], [3, 4])])
        let vector = try coreEval(.reshape(.vector(2, .array([2], .u8))), [pair])
        #expect(vector == .vector(elementType: .array([2], .u8), [coreValue(.u8, [2], [1, 2]), coreValue(.u8, [2], [3, 4])]))
        let named = try coreEval(
            .reshape(.namedTuple([.init("a", .array([2, 1], .u8)), .init("b", .tuple([.scalar(.u8), .array([1], .u8)]))])),
            [.tuple([coreValue(.u8, [2], [1, 2]), coreScalar(.u8, 3), coreScalar(.u8, 4)])])
        #expect(
            named
                == .namedTuple([
                    .init("a", coreValue(.u8, [2, 1], [1, 2])), .init("b", .tuple([coreScalar(.u8, 3), coreValue(.u8, [1], [4])])),
                ]))
        #expect(coreError(.reshape(.array([4], .i16)), [matrix])?.code == .typeMismatch)
        #expect(coreError(.reshape(.array([6], .u16)), [matrix])?.code == .typeMismatch)
        #expect(coreError(.reshape(.tuple([.array([6], .i16), .scalar(.i16)])), [matrix])?.code == .typeMismatch)
        #expect(coreError(.reshape(.tuple([])), [matrix])?.code == .typeMismatch)
        #expect(coreError(.reshape(.vector(1 << 40, .tuple([]))), [.tuple([])])?.code == .tooLarge)
    }

    @Test("Stack lays out broadcast arguments under an outer shape")
    func stack() throws {
        let a = coreValue(.i32, [3], [1, 2, 3]), b = coreValue(.i32, [3], [4, 5, 6])
        #expect(try coreEval(.stack([2]), [a, b]) == coreValue(.i32, [2, 3], [1, 2, 3, 4, 5, 6]))
        #expect(try coreEval(.stack([2]), [a, coreScalar(.i32, -1)]) == coreValue(.i32, [2, 3], [1, 2, 3, -1, -1, -1]))
        let scalars = try coreEval(.stack([2, 2]), [coreScalar(.u8, 1), coreScalar(.u8, 2), coreScalar(.u8, 3), coreScalar(.u8, 4)])
        #expect(scalars == coreValue(.u8, [2, 2], [1, 2, 3, 4]))
        let broadcast = try coreEval(.stack([1, 2]), [coreValue(.u8, [2, 1], [1, 2]), coreValue(.u8, [3], [7, 8, 9])])
        #expect(broadcast == coreValue(.u8, [1, 2, 2, 3], [1, 1, 1, 2, 2, 2, 7, 8, 9, 7, 8, 9]))
        #expect(coreError(.stack([3]), [a, b])?.code == .wrongInputCount)
        #expect(coreError(.stack([2]), [a, coreValue(.i64, [3], [1, 2, 3])])?.code == .typeMismatch)
        #expect(coreError(.stack([2]), [a, coreValue(.i32, [2], [1, 2])])?.code == .shapeMismatch)
        #expect(coreError(.stack([]), [a])?.code == .invalidArgument)
    }

    @Test("Concatenate along an axis")
    func concatenate() throws {
        let a = coreValue(.u64, [2, 2], [1, 2, 3, 4]), b = coreValue(.u64, [2, 1], [5, 6])
        #expect(try coreEval(.concatenate(1), [a, b]) == coreValue(.u64, [2, 3], [1, 2, 5, 3, 4, 6]))
        #expect(try coreEval(.concatenate(0), [a, a, a]) == coreValue(.u64, [6, 2], [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]))
        #expect(
            try coreEval(.concatenate(0), [coreResidues(.u128, [1], [.max]), coreResidues(.u128, [2], [1, 2])])
                == coreResidues(.u128, [3], [.max, 1, 2]))
        #expect(coreError(.concatenate(0), [a, b])?.code == .shapeMismatch)
        #expect(coreError(.concatenate(2), [a, a])?.code == .invalidArgument)
        #expect(coreError(.concatenate(0), [a])?.code == .wrongInputCount)
        #expect(coreError(.concatenate(0), [a, coreValue(.u32, [2, 2], [1, 2, 3, 4])])?.code == .typeMismatch)
        #expect(coreError(.concatenate(0), [a, coreValue(.u64, [4], [1, 2, 3, 4])])?.code == .shapeMismatch)
    }

    @Test("A2B gives bits least significant first and B2A inverts it", arguments: ScalarType.allCases.filter { $0 != .bit })
    func a2bRoundTrip(_ s: ScalarType) throws {
        let edges = coreEdges(s)
        let value = coreValue(s, [2, 3], edges)
        let bits = try coreEval(.a2b, [value])
        #expect(bits.type == .array([2, 3, s.bits], .bit))
        let residues = coreResiduesOf(bits)
        for (i, x) in edges.enumerated() {
            let r = UInt128(truncatingIfNeeded: x) & s.mask128
            #expect(residues[(i * s.bits)..<((i + 1) * s.bits)].elementsEqual((0..<s.bits).map { (r >> UInt128($0)) & 1 }))
        }
        #expect(try coreEval(.b2a(s), [bits]) == value)
        let scalarBits = try coreEval(.a2b, [coreScalar(s, -1)])
        #expect(scalarBits == coreResidues(.bit, [s.bits], Array(repeating: 1, count: s.bits)))
        #expect(try coreEval(.b2a(s), [scalarBits]) == coreScalar(s, -1))
    }

    @Test("A2B and B2A hand-computed values and errors")
    func a2bExamples() throws {
        #expect(coreResiduesOf(try coreEval(.a2b, [coreScalar(.u8, 5)])) == [1, 0, 1, 0, 0, 0, 0, 0])
        #expect(coreNumbers(try coreEval(.b2a(.i8), [coreValue(.bit, [8], [0, 0, 0, 0, 0, 0, 0, 1])])) == [-128])
        #expect(coreError(.a2b, [coreScalar(.bit, 1)])?.code == .typeMismatch)
        #expect(coreError(.b2a(.u8), [coreValue(.bit, [7], [0, 0, 0, 0, 0, 0, 0])])?.code == .shapeMismatch)
        #expect(coreError(.b2a(.u8), [coreValue(.u8, [8], [0, 0, 0, 0, 0, 0, 0, 0])])?.code == .typeMismatch)
        #expect(coreError(.b2a(.bit), [coreValue(.bit, [1], [0])])?.code == .invalidArgument)
    }

    @Test("ArrayToVector and VectorToArray")
    func arrayVector() throws {
        let matrix = coreValue(.i16, [2, 3], [1, 2, 3, 4, 5, 6])
        let rows = try coreEval(.arrayToVector, [matrix])
        #expect(rows == .vector(elementType: .array([3], .i16), [coreValue(.i16, [3], [1, 2, 3]), coreValue(.i16, [3], [4, 5, 6])]))
        #expect(try coreEval(.vectorToArray, [rows]) == matrix)
        let scalars = try coreEval(.arrayToVector, [line])
        #expect(scalars == .vector(elementType: .scalar(.i8), (0..<5).map { coreScalar(.i8, Int128($0)) }))
        #expect(try coreEval(.vectorToArray, [scalars]) == line)
        #expect(coreError(.arrayToVector, [coreScalar(.u8, 1)])?.code == .typeMismatch)
        #expect(coreError(.vectorToArray, [.vector(elementType: .scalar(.u8), [])])?.code == .invalidArgument)
        #expect(coreError(.vectorToArray, [.vector(elementType: .tuple([]), [.tuple([])])])?.code == .typeMismatch)
    }
}
