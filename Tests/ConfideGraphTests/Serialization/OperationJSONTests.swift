import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Operation JSON")
struct OperationJSONTests {
    static let shardConfig = JSONValue.object([
        ("num_shards", .int(4)), ("shard_size", .int(16)), ("shard_headers", .array([.string("ID"), .string("Age")])),
    ])
    static let joinArguments = JSONValue.array([.string("Inner"), .object([("ID", .string("ID")), ("Job", .string("Occupation"))])])

    /// One or more samples of every operation.
    static let samples: [Operation] = [
        .input(.scalar(.u32)), .input(.array([2, 3], .i8)), .input(.vector(0, .scalar(.bit))),
        .zeros(.tuple([.scalar(.bit), .vector(3, .scalar(.u16)), .tuple([])])),
        .ones(.namedTuple([.init("a", .scalar(.i64)), .init("b", .array([1], .u64))])),
        .add, .subtract, .multiply, .mixedMultiply, .dot, .matmul,
        .gemm(transposeA: true, transposeB: false), .gemm(transposeA: false, transposeB: true),
        .truncate(0), .truncate(1 << 20), .truncate(UInt128(UInt64.max)),
        .sum([]), .sum([0, 2]), .cumSum(0), .cumSum(3), .permuteAxes([1, 0, 2]), .get([]), .get([0, 3]),
        .getSlice([.singleIndex(-1), .subArray(start: 0, stop: nil, step: 2), .ellipsis, .subArray(start: nil, stop: nil, step: nil)]),
        .getSlice([.singleIndex(Int.min), .singleIndex(Int.max), .subArray(start: -3, stop: -1, step: -1)]),
        .reshape(.array([6], .u64)), .nop, .random(.array([128], .bit)),
        .prf(iv: 0, .scalar(.u32)), .prf(iv: UInt64.max, .array([32], .bit)),
        .permutationFromPRF(iv: 5, n: 10), .stack([2, 1]), .concatenate(0),
        .constant(.scalar(.u32), .bytes([184, 11, 0, 0])),
        .constant(.tuple([.scalar(.bit), .vector(2, .scalar(.u8))]), .vector([.bytes([1]), .vector([.bytes([7]), .bytes([255])])])),
        .a2b, .b2a(.i32), .b2a(.bit), .createTuple, .createNamedTuple(["a", "b"]), .createNamedTuple([]),
        .createVector(.scalar(.bit)), .tupleGet(1), .namedTupleGet("a"), .vectorGet, .zip, .repeat(4), .call, .iterate,
        .arrayToVector, .vectorToArray, .randomPermutation(8), .gather(1), .cuckooHash, .inversePermutation,
        .cuckooToPermutation, .decomposeSwitchingMap(16), .segmentCumSum,
        .shard(withColumnMasks: false, config: shardConfig), .shard(withColumnMasks: true, config: shardConfig),
        .join(withColumnMasks: false, arguments: joinArguments),
        .join(withColumnMasks: true, arguments: .array([.string("Full"), .object([])])),
        .applyPermutation(inverse: false), .applyPermutation(inverse: true), .sort(key: "key"),
        .custom(.comparison("GreaterThan", signed: true)), .custom(CustomOperation("Not")),
        .custom(CustomOperation("SortByIntegerKey", parameters: [("key", .string("key"))])),
        .print("hello \"x\"\n"), .assert("must hold"),
    ]

    /// CipherCore's operation names (custom operations as "Custom").
    static let allNames: Set<String> = [
        "Input", "Zeros", "Ones", "Add", "Subtract", "Multiply", "MixedMultiply", "Dot", "Matmul", "Gemm", "Truncate",
        "Sum", "CumSum", "PermuteAxes", "Get", "GetSlice", "Reshape", "NOP", "Random", "PRF", "PermutationFromPRF",
        "Stack", "Concatenate", "Constant", "A2B", "B2A", "CreateTuple", "CreateNamedTuple", "CreateVector",
        "TupleGet", "NamedTupleGet", "VectorGet", "Zip", "Repeat", "Call", "Iterate", "ArrayToVector",
        "VectorToArray", "RandomPermutation", "Gather", "CuckooHash", "InversePermutation", "CuckooToPermutation",
        "DecomposeSwitchingMap", "SegmentCumSum", "Shard", "ShardWithColumnMasks", "Join", "JoinWithColumnMasks",
        "ApplyPermutation", "Sort", "Custom", "Print", "Assert",
    ]

    @Test func samplesCoverEveryOperation() {
        #expect(Set(Self.samples.map { $0.isCustom ? "Custom" : $0.name }) == Self.allNames)
    }

    @Test(arguments: [1, 2])
    func roundTripsEveryOperation(version: Int) throws {
        for op in Self.samples {
            let text = try op.json(version: version).serialized()
            let back = try Operation(json: try JSONParser().parse(text))
            #expect(back == op, "\(text)")
        }
    }

    /// Operations and CipherCore's version 2 text of them.
    static let version2Texts: [(Operation, String)] = [
        (.add, #""Add""#), (.nop, #""NOP""#), (.a2b, #""A2B""#), (.segmentCumSum, #""SegmentCumSum""#),
        (.gemm(transposeA: false, transposeB: true), #"{"Gemm":[false,true]}"#),
        (.truncate(UInt128.max), #"{"Truncate":340282366920938463463374607431768211455}"#),
        (.sum([0, 2]), #"{"Sum":[0,2]}"#), (.cumSum(1), #"{"CumSum":1}"#), (.get([0, 3]), #"{"Get":[0,3]}"#),
        (.getSlice([.singleIndex(-1), .subArray(start: 0, stop: nil, step: 2), .ellipsis]),
         #"{"GetSlice":[{"SingleIndex":-1},{"SubArray":[0,null,2]},"Ellipsis"]}"#),
        (.prf(iv: 7, .scalar(.u32)), #"{"PRF":[7,{"Scalar":"u32"}]}"#),
        (.permutationFromPRF(iv: 18_446_744_073_709_551_615, n: 3), #"{"PermutationFromPRF":[18446744073709551615,3]}"#),
        (.constant(.scalar(.u32), .bytes([184, 11, 0, 0])),
         #"{"Constant":[{"Scalar":"u32"},{"version":2,"data":"{\"body\":{\"Bytes\":[184,11,0,0]}}"}]}"#),
        (.b2a(.i128), #"{"B2A":"i128"}"#), (.createNamedTuple(["a", "b"]), #"{"CreateNamedTuple":["a","b"]}"#),
        (.namedTupleGet("a"), #"{"NamedTupleGet":"a"}"#), (.applyPermutation(inverse: true), #"{"ApplyPermutation":true}"#),
        (.custom(.comparison("GreaterThan", signed: false)), #"{"Custom":{"body":{"type":"GreaterThan","signed_comparison":false}}}"#),
        (.custom(CustomOperation("Not")), #"{"Custom":{"body":{"type":"Not"}}}"#),
        (.shard(withColumnMasks: true, config: shardConfig),
         #"{"ShardWithColumnMasks":{"num_shards":4,"shard_size":16,"shard_headers":["ID","Age"]}}"#),
        (.join(withColumnMasks: false, arguments: joinArguments), #"{"Join":["Inner",{"ID":"ID","Job":"Occupation"}]}"#),
        (.input(.array([2, 3], .i8)), #"{"Input":{"Array":[[2,3],"i8"]}}"#), (.print("hi"), #"{"Print":"hi"}"#),
    ]

    @Test(arguments: version2Texts)
    func writesCipherCoreVersion2Text(op: Operation, expected: String) throws {
        #expect(try op.json(version: 2).serialized() == expected)
        #expect(try Operation(json: try JSONParser().parse(expected)) == op)
    }

    @Test func writesCipherCoreVersion1Text() throws {
        #expect(try Operation.prf(iv: 7, .scalar(.u32)).json(version: 1).serialized()
            == #"{"PRF":[7,{"Scalar":{"signed":false,"modulus":4294967296}}]}"#)
        #expect(try Operation.b2a(.i64).json(version: 1).serialized() == #"{"B2A":{"signed":true,"modulus":null}}"#)
        #expect(try Operation.constant(.array([32], .bit), .bytes([0, 0, 0, 0])).json(version: 1).serialized()
            == #"{"Constant":[{"Array":[[32],{"signed":false,"modulus":2}]},{"version":1,"data":"{\"body\":{\"Bytes\":[0,0,0,0]}}"}]}"#)
    }

    /// Version 1 scalar spelling of every ≤64-bit type, by hand.
    static let version1Spellings: [(ScalarType, String, String)] = [
        (.bit, "false", "2"), (.u8, "false", "256"), (.i8, "true", "256"), (.u16, "false", "65536"),
        (.i16, "true", "65536"), (.u32, "false", "4294967296"), (.i32, "true", "4294967296"),
        (.u64, "false", "null"), (.i64, "true", "null"),
    ]

    @Test(arguments: version1Spellings)
    func version1ScalarSpelling(type: ScalarType, signed: String, modulus: String) throws {
        let expected = #"{"Input":{"Scalar":{"signed":"# + signed + #","modulus":"# + modulus + "}}}"
        #expect(try Operation.input(.scalar(type)).json(version: 1).serialized() == expected)
        #expect(try Operation(json: try JSONParser().parse(expected)) == .input(.scalar(type)))
        #expect(try Operation.input(.scalar(type)).json(version: 2).serialized() == #"{"Input":{"Scalar":""# + type.rawValue + #""}}"#)
    }

    /// Constants with edge values (0, -1, min, max) of every scalar type, written and read back.
    @Test(arguments: ScalarType.allCases)
    func constantEdgeValues(type: ScalarType) throws {
        let width = type.byteWidth
        let minusOne: [UInt8] = type == .bit ? [1] : Array(repeating: 255, count: width)
        let minBytes: [UInt8] = type.isSigned ? Array(repeating: 0, count: width - 1) + [128] : Array(repeating: 0, count: width)
        let maxBytes: [UInt8] =
            type == .bit ? [1] : type.isSigned ? Array(repeating: 255, count: width - 1) + [127] : Array(repeating: 255, count: width)
        let cases: [(UInt128, [UInt8])] = [
            (0, Array(repeating: 0, count: width)), (type.mask128, minusOne), (type.minResidue, minBytes), (type.maxResidue, maxBytes),
        ]
        for (residue, bytes) in cases {
            let value = Value.scalar(type, residue)
            #expect(value.encoded() == .bytes(bytes))
            let op = Operation.constant(.scalar(type), value.encoded())
            let expected = #"{"Constant":[{"Scalar":""# + type.rawValue + #""},{"version":2,"data":"{\"body\":{\"Bytes\":["#
                + bytes.map(String.init).joined(separator: ",") + #"]}}"}]}"#
            #expect(try op.json(version: 2).serialized() == expected)
            #expect(try Operation(json: try JSONParser().parse(expected)) == op)
            if type.isWide {
                #expect(SerializationFixtures.errorCode { _ = try op.json(version: 1) } == .unsupportedVersion)
            } else {
                #expect(try Operation(json: try op.json(version: 1)) == op)
            }
        }
    }

    /// Malformed operation JSON and the error code it gives.
    static let malformed: [(String, ConfideError.Code)] = [
        (#""Frobnicate""#, .unknownOperation), (#"{"Frobnicate":[1,2]}"#, .unknownOperation),
        (#"{"add":null}"#, .unknownOperation), (#""Input""#, .invalidGraph), (#"{"Add":[1]}"#, .invalidGraph),
        (#"{"Add":null,"Subtract":null}"#, .invalidGraph), ("{}", .invalidGraph), ("5", .invalidGraph), ("null", .invalidGraph),
        (#"{"Sum":[-1]}"#, .invalidGraph), (#"{"Sum":[1.5]}"#, .invalidGraph), (#"{"Sum":3}"#, .invalidGraph),
        (#"{"CumSum":18446744073709551616}"#, .invalidGraph), (#"{"CumSum":9223372036854775808}"#, .invalidGraph),
        (#"{"Gemm":[true]}"#, .invalidGraph), (#"{"Gemm":[1,0]}"#, .invalidGraph), (#"{"PRF":[1]}"#, .invalidGraph),
        (#"{"PRF":[-1,{"Scalar":"u8"}]}"#, .invalidGraph), (#"{"Truncate":-1}"#, .invalidGraph),
        (#"{"Truncate":340282366920938463463374607431768211456}"#, .invalidGraph),
        (#"{"Input":{"Scalar":"u33"}}"#, .invalidType), (#"{"Input":{"Array":[[0],"u8"]}}"#, .invalidType),
        (#"{"Input":{"Array":[[1099511627776,2],"u8"]}}"#, .tooLarge), (#"{"B2A":"f32"}"#, .invalidType),
        (#"{"Constant":[{"Scalar":"u8"},{"version":3,"data":"{\"body\":{\"Bytes\":[1]}}"}]}"#, .unsupportedVersion),
        (#"{"Constant":[{"Scalar":"u8"},{"version":2,"data":"{\"body\":{\"Bytes\":[256]}}"}]}"#, .invalidValue),
        (#"{"Constant":[{"Scalar":"u8"},{"version":2,"data":"{\"body\""}]}"#, .malformedJSON),
        (#"{"Constant":[{"Scalar":"u8"}]}"#, .invalidGraph), (#"{"Custom":{"body":{}}}"#, .invalidGraph),
        (#"{"Custom":{"body":{"type":""}}}"#, .invalidGraph), (#"{"Custom":{"body":"Not"}}"#, .invalidGraph),
        (#"{"Custom":{}}"#, .invalidGraph), (#"{"Join":["Outer",{}]}"#, .invalidGraph), (#"{"Join":["Inner",{"a":1}]}"#, .invalidGraph),
        (#"{"Shard":{}}"#, .invalidGraph), (#"{"Shard":{"num_shards":1,"shard_size":-2,"shard_headers":[]}}"#, .invalidGraph),
        (#"{"GetSlice":[{"SubArray":[1,2]}]}"#, .invalidGraph), (#"{"GetSlice":["All"]}"#, .invalidGraph),
        (#"{"GetSlice":[{"SingleIndex":9223372036854775808}]}"#, .invalidGraph), (#"{"NamedTupleGet":1}"#, .invalidGraph),
        (#"{"CreateNamedTuple":["a",2]}"#, .invalidGraph), (#"{"ApplyPermutation":"yes"}"#, .invalidGraph),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedOperations(text: String, code: ConfideError.Code) throws {
        let json = try JSONParser().parse(text)
        #expect(SerializationFixtures.errorCode { _ = try Operation(json: json) } == code, "\(text)")
    }

    @Test func unknownOperationErrorNamesIt() throws {
        let error = SerializationFixtures.error { _ = try Operation(json: .object([("Frobnicate", .null)])) }
        #expect(error?.code == .unknownOperation)
        #expect(error?.message.contains("Frobnicate") == true)
    }

    @Test func acceptsSerdeUnitVariantsWithNullAndBothScalarSpellings() throws {
        #expect(try Operation(json: try JSONParser().parse(#"{"Add":null}"#)) == .add)
        #expect(try Operation(json: try JSONParser().parse(#"{"GetSlice":[{"Ellipsis":null}]}"#)) == .getSlice([.ellipsis]))
        #expect(try Operation(json: try JSONParser().parse(#"{"B2A":{"signed":false,"modulus":256}}"#)) == .b2a(.u8))
    }

    @Test func rejectsWhatCipherCoreCannotRepresent() {
        #expect(SerializationFixtures.errorCode { _ = try Operation.sum([-1]).json(version: 2) } == .invalidArgument)
        #expect(SerializationFixtures.errorCode { _ = try Operation.tupleGet(-1).json(version: 2) } == .invalidArgument)
        #expect(SerializationFixtures.errorCode { _ = try Operation.permutationFromPRF(iv: 0, n: -5).json(version: 2) } == .invalidArgument)
        #expect(SerializationFixtures.errorCode { _ = try Operation.custom(CustomOperation("")).json(version: 2) } == .invalidArgument)
        #expect(SerializationFixtures.errorCode {
            _ = try Operation.custom(CustomOperation("X", parameters: [("type", .string("Y"))])).json(version: 2)
        } == .invalidArgument)
        #expect(SerializationFixtures.errorCode {
            _ = try Operation.shard(withColumnMasks: false, config: .object([])).json(version: 2)
        } == .invalidArgument)
        #expect(SerializationFixtures.errorCode { _ = try Operation.join(withColumnMasks: false, arguments: .null).json(version: 2) } == .invalidArgument)
        #expect(SerializationFixtures.errorCode { _ = try Operation.add.json(version: 3) } == .unsupportedVersion)
        #expect(SerializationFixtures.errorCode { _ = try Operation.add.json(version: 0) } == .unsupportedVersion)
        #expect(SerializationFixtures.errorCode { _ = try Operation.input(.scalar(.u128)).json(version: 1) } == .unsupportedVersion)
        #expect(SerializationFixtures.errorCode { _ = try Operation.b2a(.i128).json(version: 1) } == .unsupportedVersion)
        #expect(SerializationFixtures.errorCode { _ = try Operation.truncate(UInt128(UInt64.max) + 1).json(version: 1) } == .unsupportedVersion)
        #expect(SerializationFixtures.errorCode { _ = try Operation.truncate(UInt128(UInt64.max) + 1).json(version: 2) } == nil)
    }
}
