import ConfideCore

/// Every CipherCore operation. Names, arguments and semantics follow CipherCore's `Operation` enum.
public enum Operation: Sendable, Equatable {
    case input(ValueType)
    case zeros(ValueType)
    case ones(ValueType)
    case add
    case subtract
    case multiply
    /// Integer array × bit array, element-wise (keeps or zeroes each integer).
    case mixedMultiply
    case dot
    case matmul
    case gemm(transposeA: Bool, transposeB: Bool)
    case truncate(UInt128)
    case sum([Int])
    case cumSum(Int)
    case permuteAxes([Int])
    case get([Int])
    case getSlice([SliceElement])
    case reshape(ValueType)
    case nop
    case random(ValueType)
    case prf(iv: UInt64, ValueType)
    case permutationFromPRF(iv: UInt64, n: Int)
    case stack([Int])
    case concatenate(Int)
    case constant(ValueType, EncodedValue)
    case a2b
    case b2a(ScalarType)
    case createTuple
    case createNamedTuple([String])
    case createVector(ValueType)
    case tupleGet(Int)
    case namedTupleGet(String)
    case vectorGet
    case zip
    case `repeat`(Int)
    case call
    case iterate
    case arrayToVector
    case vectorToArray
    case randomPermutation(Int)
    case gather(Int)
    case cuckooHash
    case inversePermutation
    case cuckooToPermutation
    case decomposeSwitchingMap(Int)
    case segmentCumSum
    /// Shard / ShardWithColumnMasks; the configuration is kept as its JSON.
    case shard(withColumnMasks: Bool, config: JSONValue)
    /// Join / JoinWithColumnMasks; the join type and header map are kept as JSON.
    case join(withColumnMasks: Bool, arguments: JSONValue)
    case applyPermutation(inverse: Bool)
    case sort(key: String)
    case custom(CustomOperation)
    case print(String)
    case assert(String)

    /// One element of a GetSlice argument (NumPy basic slicing).
    public enum SliceElement: Sendable, Equatable {
        case singleIndex(Int)
        case subArray(start: Int?, stop: Int?, step: Int?)
        case ellipsis
    }

    /// CipherCore's name of the operation (custom operations give their own name).
    public var name: String {
        switch self {
        case .input: return "Input"
        case .zeros: return "Zeros"
        case .ones: return "Ones"
        case .add: return "Add"
        case .subtract: return "Subtract"
        case .multiply: return "Multiply"
        case .mixedMultiply: return "MixedMultiply"
        case .dot: return "Dot"
        case .matmul: return "Matmul"
        case .gemm: return "Gemm"
        case .truncate: return "Truncate"
        case .sum: return "Sum"
        case .cumSum: return "CumSum"
        case .permuteAxes: return "PermuteAxes"
        case .get: return "Get"
        case .getSlice: return "GetSlice"
        case .reshape: return "Reshape"
        case .nop: return "NOP"
        case .random: return "Random"
        case .prf: return "PRF"
        case .permutationFromPRF: return "PermutationFromPRF"
        case .stack: return "Stack"
        case .concatenate: return "Concatenate"
        case .constant: return "Constant"
        case .a2b: return "A2B"
        case .b2a: return "B2A"
        case .createTuple: return "CreateTuple"
        case .createNamedTuple: return "CreateNamedTuple"
        case .createVector: return "CreateVector"
        case .tupleGet: return "TupleGet"
        case .namedTupleGet: return "NamedTupleGet"
        case .vectorGet: return "VectorGet"
        case .zip: return "Zip"
        case .repeat: return "Repeat"
        case .call: return "Call"
        case .iterate: return "Iterate"
        case .arrayToVector: return "ArrayToVector"
        case .vectorToArray: return "VectorToArray"
        case .randomPermutation: return "RandomPermutation"
        case .gather: return "Gather"
        case .cuckooHash: return "CuckooHash"
        case .inversePermutation: return "InversePermutation"
        case .cuckooToPermutation: return "CuckooToPermutation"
        case .decomposeSwitchingMap: return "DecomposeSwitchingMap"
        case .segmentCumSum: return "SegmentCumSum"
        case let .shard(masks, _): return masks ? "ShardWithColumnMasks" : "Shard"
        case let .join(masks, _): return masks ? "JoinWithColumnMasks" : "Join"
        case .applyPermutation: return "ApplyPermutation"
        case .sort: return "Sort"
        case let .custom(c): return c.name
        case .print: return "Print"
        case .assert: return "Assert"
        }
    }

    /// Whether this is a custom operation.
    public var isCustom: Bool { if case .custom = self { return true } else { return false } }
}
