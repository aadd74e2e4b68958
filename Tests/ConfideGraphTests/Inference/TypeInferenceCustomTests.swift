import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Type inference: custom operations")
struct TypeInferenceCustomTests {
    private static let comparisonNames = ["GreaterThan", "GreaterThanEqualTo", "LessThan", "LessThanEqualTo"]

    @Test("Not and Or work on bits")
    func bitwise() throws {
        #expect(try inferenceType(inferenceCustom("Not"), tiBits(3, 2)) == tiBits(3, 2))
        #expect(try inferenceType(inferenceCustom("Not"), .scalar(.bit)) == .scalar(.bit))
        #expect(inferenceError(inferenceCustom("Not"), tiArray(.u8, 3))?.code == .typeMismatch)
        #expect(inferenceError(inferenceCustom("Not"), tiBits(3), tiBits(3))?.code == .invalidGraph)
        #expect(try inferenceType(inferenceCustom("Or"), tiBits(1, 7), tiBits(3, 7)) == tiBits(3, 7))
        #expect(try inferenceType(inferenceCustom("Or"), .scalar(.bit), tiBits(4)) == tiBits(4))
        #expect(inferenceError(inferenceCustom("Or"), tiBits(2), tiBits(3))?.code == .shapeMismatch)
        #expect(inferenceError(inferenceCustom("Or"), tiBits(2), tiArray(.u8, 2))?.code == .typeMismatch)
    }

    @Test("comparisons give one bit per compared number", arguments: comparisonNames)
    func comparisons(_ name: String) throws {
        for signed in [false, true] {
            let op = inferenceComparison(name, signed: signed)
            #expect(try inferenceType(op, tiBits(32), tiBits(32)) == .scalar(.bit))
            #expect(try inferenceType(op, tiBits(5, 32), tiBits(32)) == tiBits(5))
            #expect(try inferenceType(op, tiBits(4, 1, 8), tiBits(3, 8)) == tiBits(4, 3))
            #expect(inferenceError(op, tiBits(2, 8), tiBits(3, 8))?.code == .shapeMismatch)
            #expect(inferenceError(op, tiBits(8), tiBits(16))?.code == .shapeMismatch)
            #expect(inferenceError(op, tiArray(.u8, 8), tiBits(8))?.code == .typeMismatch)
            #expect(inferenceError(op, .scalar(.bit), tiBits(1))?.code == .typeMismatch)
            #expect(inferenceError(op, tiBits(8))?.code == .invalidGraph)
        }
        #expect(try inferenceType(inferenceComparison(name, signed: false), tiBits(3, 1), tiBits(1)) == tiBits(3))
        #expect(inferenceError(inferenceComparison(name, signed: true), tiBits(3, 1), tiBits(1))?.code == .shapeMismatch)
        #expect(inferenceError(inferenceCustom(name), tiBits(8), tiBits(8))?.code == .invalidArgument)
    }

    @Test("Equal and NotEqual ignore signedness")
    func equality() throws {
        for name in ["Equal", "NotEqual"] {
            #expect(try inferenceType(inferenceCustom(name), tiBits(6, 1), tiBits(1)) == tiBits(6))
            #expect(try inferenceType(inferenceComparison(name, signed: true), tiBits(1), tiBits(1)) == .scalar(.bit))
            #expect(inferenceError(inferenceCustom(name), tiBits(2), tiBits(1))?.code == .shapeMismatch)
        }
    }

    @Test("Max and Min keep the numbers' bits")
    func minMax() throws {
        for name in ["Max", "Min"] {
            let op = inferenceComparison(name, signed: true)
            #expect(try inferenceType(op, tiBits(16), tiBits(16)) == tiBits(16))
            #expect(try inferenceType(op, tiBits(4, 1, 16), tiBits(3, 16)) == tiBits(4, 3, 16))
            #expect(inferenceError(op, tiBits(4, 16), tiBits(3, 16))?.code == .shapeMismatch)
            #expect(inferenceError(op, tiBits(16), tiBits(16), tiBits(16))?.code == .invalidGraph)
        }
    }

    @Test("Mux broadcasts the flag and both choices")
    func mux() throws {
        let mux = inferenceCustom("Mux")
        #expect(try inferenceType(mux, tiBits(3), tiArray(.i32, 3), tiArray(.i32, 3)) == tiArray(.i32, 3))
        #expect(try inferenceType(mux, .scalar(.bit), tiArray(.i32, 3), .scalar(.i32)) == tiArray(.i32, 3))
        #expect(try inferenceType(mux, tiBits(2, 1), tiArray(.u64, 4), .scalar(.u64)) == tiArray(.u64, 2, 4))
        #expect(try inferenceType(mux, tiBits(2, 1), tiBits(5), tiBits(1, 5)) == tiBits(2, 5))
        #expect(try inferenceType(mux, .scalar(.bit), .scalar(.u8), .scalar(.u8)) == .scalar(.u8))
        #expect(inferenceError(mux, tiArray(.u8, 3), tiArray(.i32, 3), tiArray(.i32, 3))?.code == .typeMismatch)
        #expect(inferenceError(mux, tiBits(3), tiArray(.i32, 3), tiArray(.u32, 3))?.code == .typeMismatch)
        #expect(inferenceError(mux, tiBits(3), tiArray(.i32, 4), tiArray(.i32, 4))?.code == .shapeMismatch)
        #expect(inferenceError(mux, .tuple([]), .scalar(.u8), .scalar(.u8))?.code == .typeMismatch)
        #expect(inferenceError(mux, .scalar(.bit), .tuple([]), .scalar(.u8))?.code == .typeMismatch)
        #expect(inferenceError(mux, .scalar(.bit), .scalar(.u8))?.code == .invalidGraph)
    }

    @Test("BinaryAdd adds numbers with a power-of-two bit count")
    func binaryAdd() throws {
        let plain = inferenceCustom("BinaryAdd", [("overflow_bit", .bool(false))])
        let carry = inferenceCustom("BinaryAdd", [("overflow_bit", .bool(true))])
        #expect(try inferenceType(plain, tiBits(32), tiBits(32)) == tiBits(32))
        #expect(try inferenceType(plain, tiBits(3, 1, 8), tiBits(5, 8)) == tiBits(3, 5, 8))
        #expect(try inferenceType(carry, tiBits(8), tiBits(8)) == .tuple([tiBits(8), tiBits(1)]))
        #expect(try inferenceType(carry, tiBits(3, 1, 8), tiBits(5, 8)) == .tuple([tiBits(3, 5, 8), tiBits(3, 5, 1)]))
        #expect(try inferenceType(plain, tiBits(1), tiBits(1)) == tiBits(1))
        #expect(inferenceError(plain, tiBits(12), tiBits(12))?.code == .shapeMismatch)
        #expect(inferenceError(plain, tiBits(8), tiBits(16))?.code == .shapeMismatch)
        #expect(inferenceError(inferenceCustom("BinaryAdd"), tiBits(8), tiBits(8))?.code == .invalidArgument)
        let transposed = inferenceCustom("BinaryAddTransposed", [("overflow_bit", .bool(true))])
        #expect(try inferenceType(transposed, tiBits(8, 3), tiBits(8, 1)) == .tuple([tiBits(8, 3), tiBits(1, 3)]))
        #expect(inferenceError(transposed, tiBits(8, 3), tiBits(4, 3))?.code == .shapeMismatch)
        #expect(inferenceError(transposed, tiBits(6, 3), tiBits(6, 3))?.code == .shapeMismatch)
    }

    @Test("Clip2K keeps the type and needs k <= bits - 2")
    func clip() throws {
        let clip = inferenceCustom("Clip2K", [("k", .int(6))])
        #expect(try inferenceType(clip, tiBits(4, 8)) == tiBits(4, 8))
        #expect(try inferenceType(clip, tiBits(8)) == tiBits(8))
        #expect(inferenceError(clip, tiBits(7))?.code == .invalidArgument)
        #expect(inferenceError(inferenceCustom("Clip2K", [("k", .int(0))]), tiBits(1))?.code == .invalidArgument)
        #expect(inferenceError(clip, tiArray(.u8, 8))?.code == .typeMismatch)
        #expect(inferenceError(inferenceCustom("Clip2K", [("k", .int(-1))]), tiBits(8))?.code == .invalidArgument)
    }

    @Test("SortByIntegerKey sorts a table by a 1-D integer column")
    func sortByIntegerKey() throws {
        let sort = inferenceCustom("SortByIntegerKey", [("key", .string("k"))])
        for scalar in ScalarType.allCases {
            let table = ValueType.namedTuple([.init("v", tiArray(.u8, 6, 2)), .init("k", .array([6], scalar))])
            #expect(try inferenceType(sort, table) == table)
        }
        #expect(inferenceError(sort, .namedTuple([.init("k", tiArray(.u32, 6, 2))]))?.code == .typeMismatch)
        #expect(inferenceError(sort, .namedTuple([.init("k", .scalar(.u32))]))?.code == .typeMismatch)
        #expect(inferenceError(sort, .namedTuple([.init("k", tiArray(.u32, 6)), .init("v", tiArray(.u32, 5))]))?.code == .shapeMismatch)
        #expect(inferenceError(sort, .namedTuple([.init("x", tiArray(.u32, 6))]))?.code == .invalidArgument)
        #expect(inferenceError(sort, tiArray(.u32, 6))?.code == .typeMismatch)
    }

    @Test("LongDivision gives (quotient, remainder) bit arrays")
    func longDivision() throws {
        for signed in [false, true] {
            let op = inferenceCustom("LongDivision", [("signed", .bool(signed))])
            #expect(try inferenceType(op, tiBits(2, 3, 32), tiBits(8)) == .tuple([tiBits(2, 3, 32), tiBits(2, 3, 8)]))
            #expect(try inferenceType(op, tiBits(8), tiBits(2, 3, 8)) == .tuple([tiBits(2, 3, 8), tiBits(2, 3, 8)]))
            #expect(inferenceError(op, tiBits(8), tiBits(8))?.code == .shapeMismatch)
            #expect(inferenceError(op, tiBits(2, 8), tiBits(2, 6))?.code == .shapeMismatch)
            #expect(inferenceError(op, tiBits(2, 8), tiBits(2, 1))?.code == .shapeMismatch)
            #expect(inferenceError(op, tiArray(.u8, 2, 8), tiBits(2, 8))?.code == .typeMismatch)
            #expect(inferenceError(op, tiBits(2, 8), .scalar(.bit))?.code == .typeMismatch)
        }
        let unsigned = inferenceCustom("LongDivision", [("signed", .bool(false))])
        #expect(try inferenceType(unsigned, tiBits(2, 5), tiBits(4)) == .tuple([tiBits(2, 5), tiBits(2, 4)]))
        let signed = inferenceCustom("LongDivision", [("signed", .bool(true))])
        #expect(inferenceError(signed, tiBits(2, 5), tiBits(4))?.code == .shapeMismatch)
    }

    @Test("FixedMultiply and AucScore work on i64")
    func fixedPoint() throws {
        let config = JSONValue.object([("fractional_bits", .int(15)), ("debug", .bool(false))])
        let multiply = inferenceCustom("FixedMultiply", [("config", config)])
        #expect(try inferenceType(multiply, tiArray(.i64, 3, 1), tiArray(.i64, 4)) == tiArray(.i64, 3, 4))
        #expect(inferenceError(multiply, tiArray(.u64, 3), tiArray(.i64, 3))?.code == .typeMismatch)
        #expect(inferenceError(inferenceCustom("FixedMultiply"), tiArray(.i64, 3), tiArray(.i64, 3))?.code == .invalidArgument)
        let bigConfig = JSONValue.object([("fractional_bits", .int(127)), ("debug", .bool(false))])
        #expect(inferenceError(inferenceCustom("FixedMultiply", [("config", bigConfig)]), .scalar(.i64), .scalar(.i64))?.code == .invalidArgument)
        let auc = inferenceCustom("AucScore", [("fp", config)])
        #expect(try inferenceType(auc, tiArray(.i64, 100), tiArray(.i64, 100)) == .scalar(.i64))
        #expect(inferenceError(auc, tiArray(.i64, 100), tiArray(.i64, 99))?.code == .typeMismatch)
        #expect(inferenceError(auc, tiArray(.i64, 10, 10), tiArray(.i64, 10, 10))?.code == .shapeMismatch)
        #expect(inferenceError(auc, tiArray(.i64, 1 << 20), tiArray(.i64, 1 << 20))?.code == .shapeMismatch)
        #expect(inferenceError(auc, tiArray(.i32, 100), tiArray(.i32, 100))?.code == .typeMismatch)
    }

    @Test("division and inverse square root approximations keep the divisor type")
    func divisions() throws {
        let newton = inferenceCustom("NewtonInversion", [("iterations", .int(5)), ("denominator_cap_2k", .int(10))])
        #expect(try inferenceType(newton, tiArray(.i64, 4)) == tiArray(.i64, 4))
        #expect(try inferenceType(newton, .scalar(.u64), .scalar(.u64)) == .scalar(.u64))
        #expect(inferenceError(newton, tiArray(.i32, 4))?.code == .typeMismatch)
        #expect(inferenceError(newton, tiArray(.i64, 4), tiArray(.i64, 5))?.code == .typeMismatch)
        #expect(inferenceError(newton, tiArray(.i64, 4), tiArray(.i64, 4), tiArray(.i64, 4))?.code == .invalidGraph)
        #expect(inferenceError(inferenceCustom("NewtonInversion", [("iterations", .int(5)), ("denominator_cap_2k", .int(0))]), .scalar(.u64))?.code == .invalidArgument)
        let sqrt = inferenceCustom("InverseSqrt", [("iterations", .int(5)), ("denominator_cap_2k", .int(10))])
        #expect(try inferenceType(sqrt, tiArray(.u64, 2, 2)) == tiArray(.u64, 2, 2))
        for cap in [1, 32] {
            let op = inferenceCustom("InverseSqrt", [("iterations", .int(5)), ("denominator_cap_2k", .int(cap))])
            #expect(inferenceError(op, .scalar(.i64))?.code == .invalidArgument)
        }
        let goldschmidt = inferenceCustom("GoldschmidtDivision", [("iterations", .int(5)), ("denominator_cap_2k", .int(10))])
        #expect(try inferenceType(goldschmidt, tiArray(.i64, 3, 1), tiArray(.i64, 4)) == tiArray(.i64, 3, 4))
        #expect(try inferenceType(goldschmidt, .scalar(.u128), .scalar(.u128), .scalar(.u128)) == .scalar(.u128))
        #expect(inferenceError(goldschmidt, .scalar(.i32), .scalar(.i32))?.code == .typeMismatch)
        #expect(inferenceError(goldschmidt, .scalar(.i64), .scalar(.u64))?.code == .typeMismatch)
        #expect(inferenceError(goldschmidt, .scalar(.i64), .scalar(.i64), tiArray(.i64, 1))?.code == .typeMismatch)
        #expect(inferenceError(goldschmidt, .scalar(.i64))?.code == .invalidGraph)
        let noIterations = inferenceCustom("GoldschmidtDivision", [("iterations", .int(0)), ("denominator_cap_2k", .int(10))])
        #expect(inferenceError(noIterations, .scalar(.i64), .scalar(.i64))?.code == .invalidArgument)
        let bigCap = inferenceCustom("GoldschmidtDivision", [("iterations", .int(5)), ("denominator_cap_2k", .int(65))])
        #expect(inferenceError(bigCap, .scalar(.i64), .scalar(.i64))?.code == .invalidArgument)
        #expect(try inferenceType(bigCap, .scalar(.i128), .scalar(.i128)) == .scalar(.i128))
    }

    @Test("exponent, sigmoid and GELU approximations keep the i64 type")
    func approximations() throws {
        let taylor = inferenceCustom("TaylorExponent", [("taylor_terms", .int(5)), ("fixed_precision_points", .int(10))])
        #expect(try inferenceType(taylor, tiArray(.i64, 7)) == tiArray(.i64, 7))
        #expect(inferenceError(taylor, tiArray(.u64, 7))?.code == .typeMismatch)
        let taylorBig = inferenceCustom("TaylorExponent", [("taylor_terms", .int(5)), ("fixed_precision_points", .int(16))])
        #expect(inferenceError(taylorBig, tiArray(.i64, 7))?.code == .invalidArgument)
        let exponent = inferenceCustom("ApproxExponent", [("precision", .int(15))])
        #expect(try inferenceType(exponent, .scalar(.i64)) == .scalar(.i64))
        #expect(inferenceError(inferenceCustom("ApproxExponent", [("precision", .int(0))]), .scalar(.i64))?.code == .invalidArgument)
        #expect(inferenceError(inferenceCustom("ApproxExponent", [("precision", .int(31))]), .scalar(.i64))?.code == .invalidArgument)
        for name in ["ApproxSigmoid", "ApproxGelu", "ApproxGeluDerivative"] {
            let op = inferenceCustom(name, [("precision", .int(15)), ("approximation_log_buckets", .int(5))])
            #expect(try inferenceType(op, tiArray(.i64, 2, 3)) == tiArray(.i64, 2, 3))
            #expect(inferenceError(op, tiArray(.i32, 2, 3))?.code == .typeMismatch)
            #expect(inferenceError(op, .tuple([]))?.code == .typeMismatch)
            let noBuckets = inferenceCustom(name, [("precision", .int(15)), ("approximation_log_buckets", .int(0))])
            #expect(inferenceError(noBuckets, .scalar(.i64))?.code == .invalidArgument)
            let tooFine = inferenceCustom(name, [("precision", .int(1)), ("approximation_log_buckets", .int(10))])
            #expect(inferenceError(tooFine, .scalar(.i64))?.code == .invalidArgument)
            #expect(inferenceError(inferenceCustom(name, [("precision", .int(15))]), .scalar(.i64))?.code == .invalidArgument)
        }
        let sigmoid = inferenceCustom("ApproxSigmoid", [("precision", .int(1)), ("approximation_log_buckets", .int(5))])
        #expect(try inferenceType(sigmoid, .scalar(.i64)) == .scalar(.i64))
        let sigmoidCoarse = inferenceCustom("ApproxSigmoid", [("precision", .int(1)), ("approximation_log_buckets", .int(6))])
        #expect(inferenceError(sigmoidCoarse, .scalar(.i64))?.code == .invalidArgument)
    }

    @Test("unknown custom operations are unsupported")
    func unknown() {
        let error = inferenceError(inferenceCustom("Frobnicate"), tiBits(2))
        #expect(error?.code == .unsupportedOperation)
        #expect(error?.message.contains("Frobnicate") == true)
    }
}
