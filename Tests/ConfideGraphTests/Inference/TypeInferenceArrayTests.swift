import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Type inference: scalar and array operations")
struct TypeInferenceArrayTests {
    @Test("Add, Subtract and Multiply keep the scalar type and broadcast", arguments: ScalarType.allCases)
    func elementwise(_ scalar: ScalarType) throws {
        for operation in [Operation.add, .subtract, .multiply] {
            let broadcast = try inferenceType(operation, .array([2, 1, 5], scalar), .array([7, 1], scalar))
            #expect(broadcast == .array([2, 7, 5], scalar))
            let scalars = try inferenceType(operation, .scalar(scalar), .scalar(scalar))
            #expect(scalars == .scalar(scalar))
            let mixed = try inferenceType(operation, .scalar(scalar), .array([3], scalar))
            #expect(mixed == .array([3], scalar))
        }
    }

    @Test(
        "NumPy broadcasting corner cases",
        arguments: [
            ([1], [5], [5] as [Int]?), ([5], [1], [5]), ([3, 1], [1, 4], [3, 4]), ([4], [3, 1], [3, 4]),
            ([1, 1, 1], [], [1, 1, 1]), ([6, 1, 7], [5, 1], [6, 5, 7]), ([2, 3], [4], nil), ([2, 3], [3, 2], nil),
            ([2, 1], [3, 1, 2, 4], [3, 1, 2, 4]), ([8, 1, 6, 1], [7, 1, 5], [8, 7, 6, 5]), ([5, 4], [1], [5, 4]),
        ] as [([Int], [Int], [Int]?)]
    )
    func broadcasting(_ a: [Int], _ b: [Int], _ expected: [Int]?) throws {
        let left = ValueType.tensor(a, .u32)
        let right = ValueType.tensor(b, .u32)
        if let expected {
            let result = try inferenceType(.add, left, right)
            #expect(result == .tensor(expected, .u32))
        } else {
            let error = inferenceError(.add, left, right)
            #expect(error?.code == .shapeMismatch)
        }
    }

    @Test("elementwise operations reject different scalar types and non-tensors")
    func elementwiseErrors() {
        #expect(inferenceError(.add, .scalar(.u32), .scalar(.i32))?.code == .typeMismatch)
        #expect(inferenceError(.multiply, tiBits(2), tiArray(.u8, 2))?.code == .typeMismatch)
        #expect(inferenceError(.subtract, .tuple([]), .scalar(.u8))?.code == .typeMismatch)
        #expect(inferenceError(.add, .scalar(.u8))?.code == .invalidGraph)
        #expect(inferenceError(.add, .scalar(.u8), .scalar(.u8), .scalar(.u8))?.code == .invalidGraph)
    }

    @Test("MixedMultiply multiplies integers by bits")
    func mixedMultiply() throws {
        #expect(try inferenceType(.mixedMultiply, tiArray(.i32, 2, 1, 5), tiBits(7, 1)) == tiArray(.i32, 2, 7, 5))
        #expect(try inferenceType(.mixedMultiply, .scalar(.i32), tiBits(7, 1)) == tiArray(.i32, 7, 1))
        #expect(try inferenceType(.mixedMultiply, tiArray(.i32, 2, 1, 5), .scalar(.bit)) == tiArray(.i32, 2, 1, 5))
        #expect(try inferenceType(.mixedMultiply, .scalar(.u128), .scalar(.bit)) == .scalar(.u128))
        #expect(inferenceError(.mixedMultiply, tiBits(2, 1, 5), tiBits(7, 1))?.code == .typeMismatch)
        #expect(inferenceError(.mixedMultiply, tiArray(.i32, 2, 1, 5), tiArray(.i32, 7, 1))?.code == .typeMismatch)
        #expect(inferenceError(.mixedMultiply, .vector(5, .scalar(.i32)), tiBits(7, 1))?.code == .typeMismatch)
        #expect(inferenceError(.mixedMultiply, tiArray(.i32, 7, 1), .vector(5, .scalar(.bit)))?.code == .typeMismatch)
        #expect(inferenceError(.mixedMultiply, tiArray(.i32, 2, 3), tiBits(4))?.code == .shapeMismatch)
    }

    @Test("Dot follows NumPy, including 1-D and scalar operands")
    func dot() throws {
        #expect(try inferenceType(.dot, tiArray(.i32, 10), tiArray(.i32, 10)) == .scalar(.i32))
        #expect(try inferenceType(.dot, tiArray(.i32, 10, 20), tiArray(.i32, 20, 30)) == tiArray(.i32, 10, 30))
        #expect(try inferenceType(.dot, tiArray(.i32, 10, 20), .scalar(.i32)) == tiArray(.i32, 10, 20))
        #expect(try inferenceType(.dot, .scalar(.i32), tiArray(.i32, 10, 20)) == tiArray(.i32, 10, 20))
        #expect(try inferenceType(.dot, .scalar(.i32), .scalar(.i32)) == .scalar(.i32))
        #expect(try inferenceType(.dot, tiArray(.i32, 10, 20, 50), tiArray(.i32, 50)) == tiArray(.i32, 10, 20))
        #expect(try inferenceType(.dot, tiArray(.i32, 50), tiArray(.i32, 30, 50, 70)) == tiArray(.i32, 30, 70))
        #expect(try inferenceType(.dot, tiArray(.i32, 10, 20, 50), tiArray(.i32, 30, 50, 70)) == tiArray(.i32, 10, 20, 30, 70))
        #expect(inferenceError(.dot, .scalar(.i32), .scalar(.bit))?.code == .typeMismatch)
        #expect(inferenceError(.dot, .tuple([]), .scalar(.bit))?.code == .typeMismatch)
        #expect(inferenceError(.dot, tiArray(.i32, 50), tiArray(.i32, 100))?.code == .shapeMismatch)
        #expect(inferenceError(.dot, tiArray(.i32, 10, 50), tiArray(.i32, 100, 3))?.code == .shapeMismatch)
        #expect(inferenceError(.dot, tiArray(.i32, 10, 50), tiArray(.i32, 100))?.code == .shapeMismatch)
        #expect(inferenceError(.dot, tiArray(.i32, 10, 50, 100), tiArray(.i32, 100, 30, 50))?.code == .shapeMismatch)
    }

    @Test("Matmul promotes 1-D operands and broadcasts batch dimensions")
    func matmul() throws {
        #expect(try inferenceType(.matmul, tiArray(.i32, 10), tiArray(.i32, 10)) == .scalar(.i32))
        #expect(try inferenceType(.matmul, tiArray(.i32, 10), tiArray(.i32, 10, 4)) == tiArray(.i32, 4))
        #expect(try inferenceType(.matmul, tiArray(.i32, 3, 10), tiArray(.i32, 10)) == tiArray(.i32, 3))
        #expect(try inferenceType(.matmul, tiArray(.i32, 10, 20), tiArray(.i32, 20, 30)) == tiArray(.i32, 10, 30))
        #expect(try inferenceType(.matmul, tiArray(.i32, 10, 20, 50), tiArray(.i32, 50)) == tiArray(.i32, 10, 20))
        #expect(try inferenceType(.matmul, tiArray(.i32, 7), tiArray(.i32, 2, 7, 5)) == tiArray(.i32, 2, 5))
        #expect(try inferenceType(.matmul, tiArray(.i32, 10, 20, 50), tiArray(.i32, 10, 50, 70)) == tiArray(.i32, 10, 20, 70))
        #expect(try inferenceType(.matmul, tiArray(.i32, 10, 20, 30), tiArray(.i32, 30, 70)) == tiArray(.i32, 10, 20, 70))
        #expect(try inferenceType(.matmul, tiArray(.i32, 20, 30), tiArray(.i32, 10, 30, 70)) == tiArray(.i32, 10, 20, 70))
        #expect(try inferenceType(.matmul, tiArray(.i32, 1, 3, 4, 20, 30), tiArray(.i32, 5, 3, 1, 30, 70)) == tiArray(.i32, 5, 3, 4, 20, 70))
        #expect(inferenceError(.matmul, .scalar(.i32), .scalar(.i32))?.code == .typeMismatch)
        #expect(inferenceError(.matmul, tiArray(.i32, 10, 20), .scalar(.i32))?.code == .typeMismatch)
        #expect(inferenceError(.matmul, tiArray(.i32, 10, 20), tiArray(.u32, 20))?.code == .typeMismatch)
        #expect(inferenceError(.matmul, tiArray(.i32, 50), tiArray(.i32, 100))?.code == .shapeMismatch)
        #expect(inferenceError(.matmul, tiArray(.i32, 10, 50), tiArray(.i32, 100))?.code == .shapeMismatch)
        #expect(inferenceError(.matmul, tiArray(.i32, 10, 20, 50), tiArray(.i32, 30, 50, 70))?.code == .shapeMismatch)
    }

    @Test("Gemm transposes the last two dimensions of either operand")
    func gemm() throws {
        #expect(try inferenceType(.gemm(transposeA: false, transposeB: false), tiArray(.u64, 2, 3), tiArray(.u64, 3, 4)) == tiArray(.u64, 2, 4))
        #expect(try inferenceType(.gemm(transposeA: true, transposeB: false), tiArray(.u64, 3, 2), tiArray(.u64, 3, 4)) == tiArray(.u64, 2, 4))
        #expect(try inferenceType(.gemm(transposeA: false, transposeB: true), tiArray(.u64, 2, 3), tiArray(.u64, 4, 3)) == tiArray(.u64, 2, 4))
        #expect(try inferenceType(.gemm(transposeA: true, transposeB: true), tiArray(.u64, 3, 2), tiArray(.u64, 4, 3)) == tiArray(.u64, 2, 4))
        #expect(try inferenceType(.gemm(transposeA: false, transposeB: true), tiArray(.u64, 5, 1, 2, 3), tiArray(.u64, 4, 6, 3)) == tiArray(.u64, 5, 4, 2, 6))
        #expect(inferenceError(.gemm(transposeA: false, transposeB: false), tiArray(.u64, 3), tiArray(.u64, 3, 4))?.code == .shapeMismatch)
        #expect(inferenceError(.gemm(transposeA: false, transposeB: false), tiArray(.u64, 2, 3), tiArray(.u64, 4, 3))?.code == .shapeMismatch)
        #expect(inferenceError(.gemm(transposeA: false, transposeB: false), tiArray(.u64, 2, 3), tiArray(.u32, 3, 4))?.code == .typeMismatch)
        #expect(inferenceError(.gemm(transposeA: false, transposeB: false), .scalar(.u64), tiArray(.u64, 3, 4))?.code == .typeMismatch)
        #expect(inferenceError(.gemm(transposeA: false, transposeB: false), tiArray(.u64, 2, 2, 3), tiArray(.u64, 3, 3, 4))?.code == .shapeMismatch)
    }

    @Test("Truncate keeps the type; scale 0 and oversized signed scales fail")
    func truncate() throws {
        #expect(try inferenceType(.truncate(1000), tiArray(.i32, 10, 20)) == tiArray(.i32, 10, 20))
        #expect(try inferenceType(.truncate(UInt128(Int128.max)), .scalar(.i32)) == .scalar(.i32))
        #expect(try inferenceType(.truncate(1 << 64), .scalar(.u128)) == .scalar(.u128))
        #expect(try inferenceType(.truncate(.max), .scalar(.u64)) == .scalar(.u64))
        #expect(try inferenceType(.truncate(1), .scalar(.bit)) == .scalar(.bit))
        #expect(inferenceError(.truncate(0), tiArray(.i32, 10, 20))?.code == .invalidArgument)
        #expect(inferenceError(.truncate(0), .scalar(.u8))?.code == .invalidArgument)
        #expect(inferenceError(.truncate(UInt128(Int128.max) + 1), .scalar(.i32))?.code == .invalidArgument)
        #expect(inferenceError(.truncate(1000), .tuple([]))?.code == .typeMismatch)
    }

    @Test("Sum removes the summed axes")
    func sum() throws {
        #expect(try inferenceType(.sum([0, 2]), tiArray(.u8, 2, 3, 4)) == tiArray(.u8, 3))
        #expect(try inferenceType(.sum([2, 0]), tiArray(.u8, 2, 3, 4)) == tiArray(.u8, 3))
        #expect(try inferenceType(.sum([0, 1, 2]), tiArray(.u8, 2, 3, 4)) == .scalar(.u8))
        #expect(try inferenceType(.sum([]), tiArray(.u8, 2, 3, 4)) == tiArray(.u8, 2, 3, 4))
        #expect(inferenceError(.sum([0, 0]), tiArray(.u8, 2, 3))?.code == .invalidArgument)
        #expect(inferenceError(.sum([2]), tiArray(.u8, 2, 3))?.code == .invalidArgument)
        #expect(inferenceError(.sum([-1]), tiArray(.u8, 2, 3))?.code == .invalidArgument)
        #expect(inferenceError(.sum([]), .scalar(.u8))?.code == .typeMismatch)
    }

    @Test("CumSum keeps the type and checks the axis")
    func cumSum() throws {
        #expect(try inferenceType(.cumSum(1), tiArray(.i16, 2, 3)) == tiArray(.i16, 2, 3))
        #expect(inferenceError(.cumSum(2), tiArray(.i16, 2, 3))?.code == .invalidArgument)
        #expect(inferenceError(.cumSum(-1), tiArray(.i16, 2, 3))?.code == .invalidArgument)
        #expect(inferenceError(.cumSum(0), .scalar(.i16))?.code == .typeMismatch)
    }

    @Test("PermuteAxes reorders the shape")
    func permuteAxes() throws {
        #expect(try inferenceType(.permuteAxes([2, 0, 1]), tiArray(.u16, 2, 3, 4)) == tiArray(.u16, 4, 2, 3))
        #expect(try inferenceType(.permuteAxes([0]), tiArray(.u16, 5)) == tiArray(.u16, 5))
        #expect(inferenceError(.permuteAxes([0, 0, 1]), tiArray(.u16, 2, 3, 4))?.code == .invalidArgument)
        #expect(inferenceError(.permuteAxes([0, 1]), tiArray(.u16, 2, 3, 4))?.code == .invalidArgument)
        #expect(inferenceError(.permuteAxes([0, 1, 3]), tiArray(.u16, 2, 3, 4))?.code == .invalidArgument)
        #expect(inferenceError(.permuteAxes([0, -1, 1]), tiArray(.u16, 2, 3, 4))?.code == .invalidArgument)
        #expect(inferenceError(.permuteAxes([]), .scalar(.u16))?.code == .typeMismatch)
    }

    @Test("Get drops the indexed leading dimensions")
    func get() throws {
        #expect(try inferenceType(.get([1]), tiArray(.i64, 2, 3, 4)) == tiArray(.i64, 3, 4))
        #expect(try inferenceType(.get([1, 2, 3]), tiArray(.i64, 2, 3, 4)) == .scalar(.i64))
        #expect(try inferenceType(.get([]), tiArray(.i64, 2, 3, 4)) == tiArray(.i64, 2, 3, 4))
        #expect(inferenceError(.get([2]), tiArray(.i64, 2, 3, 4))?.code == .outOfRange)
        #expect(inferenceError(.get([-1]), tiArray(.i64, 2, 3, 4))?.code == .outOfRange)
        #expect(inferenceError(.get([0, 0, 0, 0]), tiArray(.i64, 2, 3, 4))?.code == .invalidArgument)
        #expect(inferenceError(.get([0]), .scalar(.i64))?.code == .typeMismatch)
    }

    @Test("A2B appends the bits; B2A removes them", arguments: ScalarType.allCases.filter { $0 != .bit })
    func binaryConversions(_ scalar: ScalarType) throws {
        #expect(try inferenceType(.a2b, .scalar(scalar)) == .array([scalar.bits], .bit))
        #expect(try inferenceType(.a2b, .array([2, 3], scalar)) == .array([2, 3, scalar.bits], .bit))
        #expect(try inferenceType(.b2a(scalar), .array([scalar.bits], .bit)) == .scalar(scalar))
        #expect(try inferenceType(.b2a(scalar), .array([2, 3, scalar.bits], .bit)) == .array([2, 3], scalar))
        #expect(inferenceError(.b2a(scalar), .array([2, scalar.bits + 1], .bit))?.code == .shapeMismatch)
        #expect(inferenceError(.b2a(scalar), .array([scalar.bits], scalar))?.code == .typeMismatch)
        #expect(inferenceError(.b2a(scalar), .scalar(.bit))?.code == .typeMismatch)
    }

    @Test("A2B of bits and B2A into bits fail")
    func binaryConversionErrors() {
        #expect(inferenceError(.a2b, tiBits(3))?.code == .typeMismatch)
        #expect(inferenceError(.a2b, .tuple([]))?.code == .typeMismatch)
        #expect(inferenceError(.b2a(.bit), tiBits(1))?.code == .typeMismatch)
    }

    @Test("Stack puts the outer shape in front of the broadcast element type")
    func stack() throws {
        let six = [ValueType](repeating: .scalar(.bit), count: 6)
        #expect(try TypeInference.inferType(of: .stack([2, 3]), arguments: six) == tiBits(2, 3))
        var mixed = six
        mixed[2] = tiBits(7, 5)
        #expect(try TypeInference.inferType(of: .stack([2, 3]), arguments: mixed) == tiBits(2, 3, 7, 5))
        #expect(try TypeInference.inferType(of: .stack([1]), arguments: [tiArray(.u8, 4)]) == tiArray(.u8, 1, 4))
        #expect(throws: ConfideError.self) { try TypeInference.inferType(of: .stack([2, 5, 8]), arguments: six) }
        #expect(throws: ConfideError.self) {
            try TypeInference.inferType(of: .stack([1_000_000_000, 1_000_000_000, 1_000_000_000]), arguments: six)
        }
        #expect(throws: ConfideError.self) { try TypeInference.inferType(of: .stack([]), arguments: []) }
        #expect(throws: ConfideError.self) { try TypeInference.inferType(of: .stack([2, 0]), arguments: []) }
        #expect(throws: ConfideError.self) {
            try TypeInference.inferType(of: .stack([2]), arguments: [.scalar(.bit), .scalar(.u8)])
        }
    }

    @Test("Concatenate adds up the axis")
    func concatenate() throws {
        let joined = try TypeInference.inferType(of: .concatenate(0), arguments: [tiArray(.u32, 2, 3), tiArray(.u32, 4, 3), tiArray(.u32, 1, 3)])
        #expect(joined == tiArray(.u32, 7, 3))
        let columns = try TypeInference.inferType(of: .concatenate(1), arguments: [tiArray(.u32, 2, 3), tiArray(.u32, 2, 1)])
        #expect(columns == tiArray(.u32, 2, 4))
        let cases: [([ValueType], Int, ConfideError.Code)] = [
            ([tiArray(.u32, 2, 3)], 0, .invalidGraph),
            ([tiArray(.u32, 2, 3), tiArray(.u32, 4, 3)], 1, .shapeMismatch),
            ([tiArray(.u32, 2, 3), tiArray(.u32, 2, 3)], 2, .invalidArgument),
            ([tiArray(.u32, 2, 3), tiArray(.u32, 2, 3)], -1, .invalidArgument),
            ([tiArray(.u32, 2, 3), tiArray(.i32, 2, 3)], 0, .typeMismatch),
            ([tiArray(.u32, 2, 3), tiArray(.u32, 2, 3, 1)], 0, .shapeMismatch),
            ([tiArray(.u32, 2, 3), .scalar(.u32)], 0, .typeMismatch),
        ]
        for (arguments, axis, code) in cases {
            #expect(throws: ConfideError.self) { try TypeInference.inferType(of: .concatenate(axis), arguments: arguments) }
            do {
                _ = try TypeInference.inferType(of: .concatenate(axis), arguments: arguments)
            } catch let error as ConfideError {
                #expect(error.code == code)
            }
        }
    }

    @Test("PRF needs a bit[128] key")
    func prf() throws {
        #expect(try inferenceType(.prf(iv: 7, tiArray(.u32, 3)), tiBits(128)) == tiArray(.u32, 3))
        #expect(try inferenceType(.prf(iv: 0, .tuple([.scalar(.bit), tiArray(.i8, 2)])), tiBits(128)) == .tuple([.scalar(.bit), tiArray(.i8, 2)]))
        #expect(inferenceError(.prf(iv: 7, .scalar(.u32)), tiBits(127))?.code == .typeMismatch)
        #expect(inferenceError(.prf(iv: 7, .scalar(.u32)), tiArray(.u8, 128))?.code == .typeMismatch)
        #expect(inferenceError(.prf(iv: 7, .scalar(.u32)), tiBits(1, 128))?.code == .typeMismatch)
        #expect(inferenceError(.prf(iv: 7, .array([0], .u32)), tiBits(128))?.code == .invalidType)
    }

    @Test("PermutationFromPRF and RandomPermutation give u64 permutations")
    func permutations() throws {
        #expect(try inferenceType(.permutationFromPRF(iv: 1, n: 1), tiBits(128)) == tiArray(.u64, 1))
        #expect(try inferenceType(.permutationFromPRF(iv: 1, n: 1 << 30), tiBits(128)) == tiArray(.u64, 1 << 30))
        #expect(inferenceError(.permutationFromPRF(iv: 1, n: 0), tiBits(128))?.code == .invalidArgument)
        #expect(inferenceError(.permutationFromPRF(iv: 1, n: (1 << 30) + 1), tiBits(128))?.code == .invalidArgument)
        #expect(inferenceError(.permutationFromPRF(iv: 1, n: 5), tiBits(64))?.code == .typeMismatch)
        #expect(try inferenceType(.randomPermutation(5)) == tiArray(.u64, 5))
        #expect(inferenceError(.randomPermutation(0))?.code == .invalidArgument)
        #expect(inferenceError(.randomPermutation(-3))?.code == .invalidArgument)
    }

    @Test("Input, Zeros, Ones and Random give their type; invalid types fail")
    func sources() throws {
        let type = ValueType.tuple([tiArray(.i128, 2), .vector(3, .scalar(.bit))])
        for operation in [Operation.input(type), .zeros(type), .ones(type), .random(type)] {
            #expect(try inferenceType(operation) == type)
        }
        #expect(inferenceError(.input(.array([], .u8)))?.code == .invalidType)
        #expect(inferenceError(.zeros(.array([2, 0], .u8)))?.code == .invalidType)
        #expect(inferenceError(.ones(.array([-2], .u8)))?.code == .invalidType)
        #expect(inferenceError(.random(.vector(-1, .scalar(.u8))))?.code == .invalidType)
        let duplicate = ValueType.namedTuple([.init("a", .scalar(.u8)), .init("a", .scalar(.u16))])
        #expect(inferenceError(.input(duplicate))?.code == .invalidType)
        #expect(inferenceError(.input(.array([1 << 40, 1 << 40], .u8)))?.code == .tooLarge)
        #expect(inferenceError(.input(.array([Int.max], .u8)))?.code == .tooLarge)
        #expect(inferenceError(.input(.vector(Int.max, .tuple([]))))?.code == .tooLarge)
        #expect(inferenceError(.input(.vector(1 << 40, .vector(1 << 40, .scalar(.u8)))))?.code == .tooLarge)
        #expect(try inferenceType(.input(.vector(1 << 40, .tuple([])))) == .vector(1 << 40, .tuple([])))
        #expect(inferenceError(.input(.scalar(.u8)), .scalar(.u8))?.code == .invalidGraph)
    }

    @Test("Constant checks its value against its type, for edge values of every scalar type", arguments: ScalarType.allCases)
    func constant(_ scalar: ScalarType) throws {
        let top = UInt128(1) << UInt128(scalar.bits - 1)
        let residues: [UInt128] = [0, 1, scalar.mask128, top, top &- 1]
        let tensor = Tensor(scalar, shape: [5], residues: residues.map { $0 & scalar.mask128 })
        let encoded = Value.tensor(tensor).encoded()
        #expect(try inferenceType(.constant(.array([5], scalar), encoded)) == .array([5], scalar))
        let single = Value.tensor(.scalar(scalar, residue: scalar.mask128)).encoded()
        #expect(try inferenceType(.constant(.scalar(scalar), single)) == .scalar(scalar))
        let tuple = Value.tuple([.tensor(tensor), .tensor(.scalar(scalar, residue: 0))]).encoded()
        #expect(try inferenceType(.constant(.tuple([.array([5], scalar), .scalar(scalar)]), tuple)) == .tuple([.array([5], scalar), .scalar(scalar)]))
        if scalar != .bit {
            #expect(inferenceError(.constant(.array([6], scalar), encoded))?.code == .typeMismatch)
        }
        #expect(inferenceError(.constant(.array([20], scalar), encoded))?.code == .typeMismatch)
        #expect(inferenceError(.constant(.tuple([]), encoded))?.code == .typeMismatch)
        #expect(inferenceError(.constant(.scalar(scalar), tuple))?.code == .typeMismatch)
    }

    @Test("Constant rejects non-zero padding bits and huge types without allocating")
    func constantEdges() {
        #expect(inferenceError(.constant(tiBits(3), .bytes([0b1000])))?.code == .typeMismatch)
        #expect(inferenceError(.constant(.array([Int.max, 2], .u8), .bytes([])))?.code == .tooLarge)
        #expect(inferenceError(.constant(.array([1 << 62], .u128), .bytes([])))?.code == .tooLarge)
        #expect(inferenceError(.constant(.array([Int.max - 3], .bit), .bytes([])))?.code == .tooLarge)
        #expect(inferenceError(.constant(.array([1 << 30], .bit), .bytes([])))?.code == .typeMismatch)
        #expect(inferenceError(.constant(.array([3, -1], .u8), .bytes([])))?.code == .invalidType)
    }
}
