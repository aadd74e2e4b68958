import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Core evaluator: values, tuples and vectors")
struct CoreStructureTests {
    let x = coreValue(.u8, [2], [1, 2])
    let y = coreScalar(.i64, -5)

    @Test("Zeros, Ones and Constant", arguments: ScalarType.allCases)
    func constants(_ s: ScalarType) throws {
        let type = ValueType.tuple([.array([2, 2], s), .vector(2, .scalar(s))])
        #expect(
            try coreEval(.zeros(type), [])
                == .tuple([coreValue(s, [2, 2], [0, 0, 0, 0]), .vector(elementType: .scalar(s), [coreScalar(s, 0), coreScalar(s, 0)])]))
        #expect(
            try coreEval(.ones(type), [])
                == .tuple([coreValue(s, [2, 2], [1, 1, 1, 1]), .vector(elementType: .scalar(s), [coreScalar(s, 1), coreScalar(s, 1)])]))
        let value = coreValue(s, [3], coreEdges(s).prefix(3).map { $0 })
        #expect(try coreEval(.constant(value.type, value.encoded()), []) == value)
    }

    @Test("Constant, Zeros and Ones refuse malformed types")
    func constantErrors() {
        #expect(coreError(.constant(.scalar(.u16), .bytes([1])), [])?.code == .typeMismatch)
        #expect(coreError(.zeros(.array([1 << 30, 1 << 30], .u8)), [])?.code == .tooLarge)
        #expect(coreError(.ones(.array([0], .u8)), [])?.code == .invalidType)
        #expect(coreError(.zeros(.scalar(.u8)), [coreScalar(.u8, 1)])?.code == .wrongInputCount)
    }

    @Test("Tuples and named tuples")
    func tuples() throws {
        let tuple = try coreEval(.createTuple, [x, y])
        #expect(tuple == .tuple([x, y]))
        #expect(try coreEval(.tupleGet(1), [tuple]) == y)
        #expect(try coreEval(.createTuple, []) == .tuple([]))
        let named = try coreEval(.createNamedTuple(["a", "b"]), [x, y])
        #expect(named == .namedTuple([.init("a", x), .init("b", y)]))
        #expect(try coreEval(.namedTupleGet("b"), [named]) == y)
        #expect(try coreEval(.tupleGet(0), [named]) == x)
        #expect(coreError(.tupleGet(2), [tuple])?.code == .outOfRange)
        #expect(coreError(.tupleGet(0), [x])?.code == .typeMismatch)
        #expect(coreError(.namedTupleGet("c"), [named])?.code == .invalidArgument)
        #expect(coreError(.namedTupleGet("a"), [tuple])?.code == .typeMismatch)
        #expect(coreError(.createNamedTuple(["a", "a"]), [x, y])?.code == .invalidArgument)
        #expect(coreError(.createNamedTuple(["a"]), [x, y])?.code == .wrongInputCount)
    }

    @Test("Vectors: CreateVector, VectorGet, Zip, Repeat")
    func vectors() throws {
        let z = coreValue(.u8, [2], [3, 4])
        let vector = try coreEval(.createVector(.array([2], .u8)), [x, z])
        #expect(vector == .vector(elementType: .array([2], .u8), [x, z]))
        #expect(try coreEval(.createVector(.scalar(.bit)), []) == .vector(elementType: .scalar(.bit), []))
        #expect(try coreEval(.vectorGet, [vector, coreScalar(.u64, 1)]) == z)
        #expect(try coreEval(.vectorGet, [vector, coreScalar(.u32, 0)]) == x)
        #expect(coreError(.vectorGet, [vector, coreScalar(.u64, 2)])?.code == .outOfRange)
        #expect(coreError(.vectorGet, [vector, coreScalar(.u64, -1)])?.code == .outOfRange)
        #expect(coreError(.vectorGet, [vector, coreScalar(.i64, 0)])?.code == .typeMismatch)
        #expect(coreError(.vectorGet, [x, coreScalar(.u64, 0)])?.code == .typeMismatch)
        let mismatch = coreError(.createVector(.array([2], .u8)), [x, y])
        #expect(mismatch?.code == .typeMismatch)
        #expect(mismatch?.message.contains("i64") == true)

        let other = Value.vector(elementType: .scalar(.i64), [y, coreScalar(.i64, 6)])
        let zipped = try coreEval(.zip, [vector, other])
        #expect(
            zipped
                == .vector(elementType: .tuple([.array([2], .u8), .scalar(.i64)]), [.tuple([x, y]), .tuple([z, coreScalar(.i64, 6)])]))
        let empty = Value.vector(elementType: .scalar(.u8), [])
        #expect(try coreEval(.zip, [empty, empty]) == .vector(elementType: .tuple([.scalar(.u8), .scalar(.u8)]), []))
        #expect(coreError(.zip, [vector, .vector(elementType: .scalar(.i64), [y])])?.code == .shapeMismatch)
        #expect(coreError(.zip, [vector])?.code == .wrongInputCount)
        #expect(coreError(.zip, [vector, x])?.code == .typeMismatch)

        #expect(try coreEval(.repeat(3), [y]) == .vector(elementType: .scalar(.i64), [y, y, y]))
        #expect(try coreEval(.repeat(0), [x]) == .vector(elementType: .array([2], .u8), []))
        #expect(coreError(.repeat(-1), [x])?.code == .invalidArgument)
        #expect(coreError(.repeat(1 << 40), [x])?.code == .invalidArgument)
    }

    @Test("NOP and Print pass the value through; Assert checks a bit scalar")
    func passThrough() throws {
        #expect(try coreEval(.nop, [x]) == x)
        #expect(try coreEval(.print("x"), [x]) == x)
        #expect(try coreEval(.assert("holds"), [coreScalar(.bit, 1), x]) == x)
        let failure = coreError(.assert("balance is positive"), [coreScalar(.bit, 0), x])
        #expect(failure?.code == .assertionFailed)
        #expect(failure?.message.contains("balance is positive") == true)
        #expect(failure?.message.contains("node 2 (Assert)") == true)
        #expect(coreError(.assert("m"), [coreValue(.bit, [1], [1]), x])?.code == .typeMismatch)
        #expect(coreError(.assert("m"), [coreScalar(.u8, 1), x])?.code == .typeMismatch)
        #expect(coreError(.nop, [x, x])?.code == .wrongInputCount)
    }
}
