import ConfideCore
import ConfideGraph
import Testing

@testable import ConfideMPC

/// One secure kernel checked by the conformance suite: its secure computation on shares, the
/// plaintext reference it must match, and the communication it declares.
struct ConformanceCase: Sendable, CustomStringConvertible {
    /// The kernel's name (also the test argument's label).
    let name: String
    /// The scalar types the kernel accepts.
    let scalarTypes: [ScalarType]
    /// The shapes of the inputs for a shape class (scalar, vector, matrix, batched); nil skips
    /// the class.
    let inputShapes: @Sendable (_ shapeClass: [Int]) -> [[Int]]?
    /// The scalar type of each input given the case's scalar type (default: all the same).
    let inputTypes: @Sendable (_ scalarType: ScalarType, _ arity: Int) -> [ScalarType]
    /// The secure computation on the inputs' shares.
    let secure: @Sendable (ABY3Party, [SharedTensor]) async throws -> SharedTensor
    /// The plaintext result (the foundation's evaluator).
    let reference: @Sendable ([Tensor]) throws -> Tensor
    /// The declared cost for the inputs (nil: not checked for this case).
    let cost: (@Sendable ([Tensor]) -> KernelCost)?

    init(
        _ name: String, scalarTypes: [ScalarType], inputShapes: @escaping @Sendable ([Int]) -> [[Int]]?,
        inputTypes: @escaping @Sendable (ScalarType, Int) -> [ScalarType] = { s, n in Array(repeating: s, count: n) },
        secure: @escaping @Sendable (ABY3Party, [SharedTensor]) async throws -> SharedTensor,
        reference: @escaping @Sendable ([Tensor]) throws -> Tensor, cost: (@Sendable ([Tensor]) -> KernelCost)?
    ) {
        self.name = name
        self.scalarTypes = scalarTypes
        self.inputShapes = inputShapes
        self.inputTypes = inputTypes
        self.secure = secure
        self.reference = reference
        self.cost = cost
    }

    var description: String { name }

    /// Inputs of the same shape.
    static func sameShape(_ arity: Int) -> @Sendable ([Int]) -> [[Int]]? {
        { shape in Array(repeating: shape, count: arity) }
    }

    /// The reference of a graph operation.
    static func operation(_ op: Operation) -> @Sendable ([Tensor]) throws -> Tensor {
        { try plaintext(op, $0) }
    }
}

/// Dispatches a kernel generic over the word type on a type-erased share.
enum Dispatch {
    static func arithmetic(
        _ shares: [SharedTensor], _ what: String,
        narrow: ([ArithmeticShare<UInt64>]) async throws -> ArithmeticShare<UInt64>,
        wide: ([ArithmeticShare<UInt128>]) async throws -> ArithmeticShare<UInt128>
    ) async throws -> SharedTensor {
        if case .arithmetic128 = shares[0] {
            return .arithmetic128(try await wide(try shares.map { try $0.arithmetic128(what) }))
        }
        return .arithmetic64(try await narrow(try shares.map { try $0.arithmetic64(what) }))
    }
}
