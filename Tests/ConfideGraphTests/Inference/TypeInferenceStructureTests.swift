import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Type inference: tuples, vectors, reshape and graphs")
struct TypeInferenceStructureTests {
    @Test("CreateTuple, CreateNamedTuple and CreateVector")
    func constructors() throws {
        let tuple = try TypeInference.inferType(of: .createTuple, arguments: [.scalar(.u8), tiBits(2)])
        #expect(tuple == .tuple([.scalar(.u8), tiBits(2)]))
        #expect(try TypeInference.inferType(of: .createTuple, arguments: []) == .tuple([]))
        let named = try TypeInference.inferType(of: .createNamedTuple(["a", "b"]), arguments: [.scalar(.u8), tiBits(2)])
        #expect(named == .namedTuple([.init("a", .scalar(.u8)), .init("b", tiBits(2))]))
        #expect(inferenceError(.createNamedTuple(["a"]), .scalar(.u8), .scalar(.u8))?.code == .invalidGraph)
        #expect(inferenceError(.createNamedTuple(["a", "a"]), .scalar(.u8), .scalar(.u8))?.code == .invalidArgument)
        let vector = try TypeInference.inferType(of: .createVector(.scalar(.i32)), arguments: [.scalar(.i32), .scalar(.i32)])
        #expect(vector == .vector(2, .scalar(.i32)))
        #expect(try TypeInference.inferType(of: .createVector(tiBits(3)), arguments: []) == .vector(0, tiBits(3)))
        #expect(inferenceError(.createVector(.scalar(.i32)), .scalar(.i32), .scalar(.u32))?.code == .typeMismatch)
        #expect(inferenceError(.createVector(.array([0], .u8)))?.code == .invalidType)
    }

    @Test("TupleGet, NamedTupleGet and VectorGet")
    func getters() throws {
        let tuple = ValueType.tuple([.scalar(.u8), tiBits(2)])
        let named = ValueType.namedTuple([.init("a", .scalar(.u8)), .init("b", tiBits(2))])
        #expect(try inferenceType(.tupleGet(1), tuple) == tiBits(2))
        #expect(try inferenceType(.tupleGet(0), named) == .scalar(.u8))
        #expect(inferenceError(.tupleGet(2), tuple)?.code == .outOfRange)
        #expect(inferenceError(.tupleGet(-1), tuple)?.code == .outOfRange)
        #expect(inferenceError(.tupleGet(0), .vector(2, .scalar(.u8)))?.code == .typeMismatch)
        #expect(try inferenceType(.namedTupleGet("b"), named) == tiBits(2))
        #expect(inferenceError(.namedTupleGet("c"), named)?.code == .invalidArgument)
        #expect(inferenceError(.namedTupleGet("a"), tuple)?.code == .typeMismatch)
        let vector = ValueType.vector(4, tiArray(.i16, 3))
        #expect(try inferenceType(.vectorGet, vector, .scalar(.u64)) == tiArray(.i16, 3))
        #expect(try inferenceType(.vectorGet, vector, .scalar(.u32)) == tiArray(.i16, 3))
        for index in [ValueType.scalar(.u16), .scalar(.i64), .scalar(.u128), tiArray(.u64, 1), .scalar(.bit)] {
            #expect(inferenceError(.vectorGet, vector, index)?.code == .typeMismatch)
        }
        #expect(inferenceError(.vectorGet, tuple, .scalar(.u64))?.code == .typeMismatch)
    }

    @Test("Zip, Repeat, ArrayToVector and VectorToArray")
    func vectors() throws {
        let zipped = try inferenceType(.zip, .vector(3, .scalar(.u8)), .vector(3, tiBits(2)))
        #expect(zipped == .vector(3, .tuple([.scalar(.u8), tiBits(2)])))
        let three = try TypeInference.inferType(of: .zip, arguments: [.vector(0, .scalar(.u8)), .vector(0, .scalar(.i8)), .vector(0, .tuple([]))])
        #expect(three == .vector(0, .tuple([.scalar(.u8), .scalar(.i8), .tuple([])])))
        #expect(inferenceError(.zip, .vector(3, .scalar(.u8)))?.code == .invalidGraph)
        #expect(inferenceError(.zip, .vector(3, .scalar(.u8)), .vector(2, .scalar(.u8)))?.code == .shapeMismatch)
        #expect(inferenceError(.zip, .vector(3, .scalar(.u8)), tiArray(.u8, 3))?.code == .typeMismatch)
        #expect(try inferenceType(.repeat(5), tiBits(2)) == .vector(5, tiBits(2)))
        #expect(try inferenceType(.repeat(0), .scalar(.u8)) == .vector(0, .scalar(.u8)))
        #expect(inferenceError(.repeat(-1), .scalar(.u8))?.code == .invalidArgument)
        #expect(inferenceError(.repeat(Int.max), tiArray(.u64, 4))?.code == .tooLarge)
        #expect(try inferenceType(.arrayToVector, tiArray(.u32, 4)) == .vector(4, .scalar(.u32)))
        #expect(try inferenceType(.arrayToVector, tiArray(.u32, 4, 2, 3)) == .vector(4, tiArray(.u32, 2, 3)))
        #expect(inferenceError(.arrayToVector, .scalar(.u32))?.code == .typeMismatch)
        #expect(try inferenceType(.vectorToArray, .vector(4, .scalar(.u32))) == tiArray(.u32, 4))
        #expect(try inferenceType(.vectorToArray, .vector(4, tiArray(.u32, 2, 3))) == tiArray(.u32, 4, 2, 3))
        #expect(inferenceError(.vectorToArray, .vector(0, .scalar(.u32)))?.code == .shapeMismatch)
        #expect(inferenceError(.vectorToArray, .vector(2, .tuple([])))?.code == .typeMismatch)
        #expect(inferenceError(.vectorToArray, tiArray(.u32, 2))?.code == .typeMismatch)
    }

    @Test("NOP, Print and Assert pass their value's type through")
    func passThrough() throws {
        let type = ValueType.tuple([tiArray(.u8, 2), .vector(1, .scalar(.bit))])
        #expect(try inferenceType(.nop, type) == type)
        #expect(try inferenceType(.print("x"), type) == type)
        #expect(try inferenceType(.assert("ok"), .scalar(.bit), type) == type)
        #expect(inferenceError(.assert("ok"), tiBits(1), type)?.code == .typeMismatch)
        #expect(inferenceError(.assert("ok"), .scalar(.u8), type)?.code == .typeMismatch)
        #expect(inferenceError(.nop)?.code == .invalidGraph)
    }

    @Test("Reshape keeps the flattened components")
    func reshape() throws {
        let cases: [(ValueType, ValueType)] = [
            (tiBits(4, 3, 5), tiBits(60)),
            (tiBits(4, 3, 5), tiBits(1, 1, 1, 1, 60)),
            (tiBits(4, 3, 5), tiBits(15, 4)),
            (tiArray(.i32, 4, 3, 5), tiArray(.i32, 2, 30)),
            (.vector(3, tiArray(.i32, 3, 4, 5)), .tuple([tiArray(.i32, 3, 4, 5), tiArray(.i32, 1, 30, 2), tiArray(.i32, 60, 1)])),
            (.vector(3, tiArray(.i32, 3, 4, 5)), .namedTuple([.init("f1", tiArray(.i32, 3, 4, 5)), .init("f2", tiArray(.i32, 1, 30, 2)), .init("f3", tiArray(.i32, 60, 1))])),
            (.vector(0, tiArray(.i32, 3, 4, 5)), .tuple([])),
            (.scalar(.i32), tiArray(.i32, 1, 1, 1)),
            (tiArray(.i32, 1, 1, 1), .scalar(.i32)),
            (.tuple([tiArray(.i32, 2), .vector(3, .tuple([tiArray(.i32, 2), tiArray(.i32, 2)])), tiArray(.i32, 2)]), .vector(8, tiArray(.i32, 2))),
            (.vector(1 << 40, .scalar(.u8)), .vector(1 << 20, .vector(1 << 20, tiArray(.u8, 1)))),
            (.vector(4, .tuple([.scalar(.u8), .scalar(.i8)])), .vector(2, .tuple([.scalar(.u8), .scalar(.i8), tiArray(.u8, 1), tiArray(.i8, 1)]))),
        ]
        for (old, new) in cases {
            #expect(try inferenceType(.reshape(new), old) == new)
        }
        let failures: [(ValueType, ValueType, ConfideError.Code)] = [
            (tiBits(4, 3, 5), tiBits(1_000_000_000, 10_000_000_000, 1_000_000_000), .tooLarge),
            (.tuple([]), .array([], .bit), .invalidType),
            (tiBits(4, 3, 5), tiBits(1, 63), .typeMismatch),
            (tiArray(.i32, 3, 4, 5), .scalar(.u32), .typeMismatch),
            (.scalar(.u32), tiArray(.i32, 3, 4, 5), .typeMismatch),
            (tiArray(.i32, 3, 4, 5), tiArray(.u32, 60), .typeMismatch),
            (tiArray(.i32, 3, 4, 5), .vector(123_456_789, .vector(123_456_789, .vector(123_456_789, .scalar(.i32)))), .tooLarge),
            (.tuple([]), .vector(Int.max, .tuple([])), .tooLarge),
            (.vector(2, .scalar(.u8)), .tuple([.scalar(.u8)]), .typeMismatch),
            (.vector(1 << 40, .tuple([.scalar(.u8), .scalar(.i8)])), .vector(1 << 39, .tuple([.scalar(.u8), .scalar(.i8), .scalar(.u8), .scalar(.i8)])), .tooLarge),
        ]
        for (old, new, code) in failures {
            #expect(inferenceError(.reshape(new), old)?.code == code)
        }
    }

    @Test("Call checks the argument types and gives the callee's output type")
    func call() throws {
        let callee = TypeInference.GraphSignature(inputTypes: [.scalar(.u8), tiBits(3)], outputType: .tuple([tiBits(3)]))
        #expect(try inferenceType(.call, .scalar(.u8), tiBits(3), callees: [callee]) == .tuple([tiBits(3)]))
        #expect(inferenceError(.call, .scalar(.u8), callees: [callee])?.code == .invalidGraph)
        #expect(inferenceError(.call, .scalar(.u8), tiBits(4), callees: [callee])?.code == .typeMismatch)
        #expect(inferenceError(.call, .scalar(.u8), tiBits(3))?.code == .invalidGraph)
        #expect(inferenceError(.call, .scalar(.u8), tiBits(3), callees: [callee, callee])?.code == .invalidGraph)
        #expect(inferenceError(.add, .scalar(.u8), .scalar(.u8), callees: [callee])?.code == .invalidGraph)
    }

    @Test("Iterate runs a (state, input) → (state, output) graph over a vector")
    func iterate() throws {
        let body = TypeInference.GraphSignature(inputTypes: [.scalar(.u32), tiBits(2)], outputType: .tuple([.scalar(.u32), tiArray(.i8, 5)]))
        let result = try inferenceType(.iterate, .scalar(.u32), .vector(7, tiBits(2)), callees: [body])
        #expect(result == .tuple([.scalar(.u32), .vector(7, tiArray(.i8, 5))]))
        let empty = try inferenceType(.iterate, .scalar(.u32), .vector(0, tiBits(2)), callees: [body])
        #expect(empty == .tuple([.scalar(.u32), .vector(0, tiArray(.i8, 5))]))
        #expect(inferenceError(.iterate, .scalar(.u64), .vector(7, tiBits(2)), callees: [body])?.code == .typeMismatch)
        #expect(inferenceError(.iterate, .scalar(.u32), .vector(7, tiBits(3)), callees: [body])?.code == .typeMismatch)
        #expect(inferenceError(.iterate, .scalar(.u32), tiBits(7, 2), callees: [body])?.code == .typeMismatch)
        let threeInputs = TypeInference.GraphSignature(inputTypes: [.scalar(.u32), tiBits(2), tiBits(2)], outputType: body.outputType)
        #expect(inferenceError(.iterate, .scalar(.u32), .vector(7, tiBits(2)), callees: [threeInputs])?.code == .invalidGraph)
        let notTuple = TypeInference.GraphSignature(inputTypes: body.inputTypes, outputType: .scalar(.u32))
        #expect(inferenceError(.iterate, .scalar(.u32), .vector(7, tiBits(2)), callees: [notTuple])?.code == .typeMismatch)
        let threeOutputs = TypeInference.GraphSignature(inputTypes: body.inputTypes, outputType: .tuple([.scalar(.u32), .tuple([]), .tuple([])]))
        #expect(inferenceError(.iterate, .scalar(.u32), .vector(7, tiBits(2)), callees: [threeOutputs])?.code == .typeMismatch)
        let wrongState = TypeInference.GraphSignature(inputTypes: body.inputTypes, outputType: .tuple([.scalar(.u64), .tuple([])]))
        #expect(inferenceError(.iterate, .scalar(.u32), .vector(7, tiBits(2)), callees: [wrongState])?.code == .typeMismatch)
        #expect(inferenceError(.iterate, .scalar(.u32), .vector(7, tiBits(2)))?.code == .invalidGraph)
    }
}
