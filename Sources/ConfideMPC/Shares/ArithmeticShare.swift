import ConfideCore

/// One party's part of a 2-out-of-3 replicated arithmetic sharing (ABY3 §2.2) of a tensor over
/// the ring Z_{2^k} of `scalarType`.
///
/// The secret is x = x_0 + x_1 + x_2 mod 2^k; party i holds `first` = x_i and `second` = x_{i+1}
/// (indices mod 3), each as canonical residues in contiguous words (`UInt64` for k ≤ 64, `UInt128`
/// for k = 128). For `bit`, arithmetic modulo 2 is XOR sharing.
public struct ArithmeticShare<W: RingWord>: Sendable {
    public let scalarType: ScalarType
    /// `[]` for a scalar.
    public private(set) var shape: [Int]
    /// x_i, this party's own component.
    public internal(set) var first: [W]
    /// x_{i+1}, the component this party shares with its successor.
    public internal(set) var second: [W]

    /// The number of elements.
    public var count: Int { first.count }

    /// The CipherCore type of the shared value.
    public var type: ValueType { .tensor(shape, scalarType) }

    /// Wraps two components (for example, components p and p+1 of a CipherCore secret-shared
    /// 3-tuple held by party p).
    /// - Throws: `.typeMismatch` when `W` is not the storage of `scalarType`; `.shapeMismatch`
    ///   when the components do not have `shape`'s element count.
    public init(scalarType: ScalarType, shape: [Int], first: [W], second: [W]) throws {
        guard W.stores(scalarType), scalarType != .bit || W.self == UInt64.self else {
            throw ConfideError(.typeMismatch, "\(scalarType) shares are not stored in \(W.bitWidth)-bit words")
        }
        let n = Tensor.elementCount(shape)
        guard first.count == n, second.count == n else {
            throw ConfideError(
                .shapeMismatch, "share components of \(first.count) and \(second.count) elements do not fit shape \(shape) (\(n) elements)")
        }
        let mask = W.mask(scalarType)
        self.scalarType = scalarType
        self.shape = shape
        self.first = mask == W.max ? first : first.map { $0 & mask }
        self.second = mask == W.max ? second : second.map { $0 & mask }
    }

    /// Wraps components that are already canonical residues of the right count.
    init(unchecked scalarType: ScalarType, shape: [Int], first: [W], second: [W]) {
        self.scalarType = scalarType
        self.shape = shape
        self.first = first
        self.second = second
    }

    /// The same share viewed with another shape of the same element count (local, no communication).
    /// - Throws: `.shapeMismatch` when the element counts differ.
    public func reshaped(_ newShape: [Int]) throws -> ArithmeticShare {
        guard Tensor.elementCount(newShape) == count else {
            throw ConfideError(.shapeMismatch, "cannot reshape \(type) to shape \(newShape)")
        }
        var copy = self
        copy.shape = newShape
        return copy
    }

    /// The components as tensors (no copy).
    public var components: (first: Tensor, second: Tensor) {
        (
            Tensor(unchecked: scalarType, shape: shape, storage: W.storage(first)),
            Tensor(unchecked: scalarType, shape: shape, storage: W.storage(second))
        )
    }

    /// Builds a share from two component tensors of one scalar type and shape.
    /// - Throws: `.typeMismatch` when the tensors differ in type or are not stored in `W`.
    public init(components first: Tensor, _ second: Tensor) throws {
        guard first.type == second.type, let a = W.words(first.storage), let b = W.words(second.storage) else {
            throw ConfideError(.typeMismatch, "share components of types \(first.type) and \(second.type) do not form one \(W.bitWidth)-bit share")
        }
        self.init(unchecked: first.scalarType, shape: first.shape, first: a, second: b)
    }
}

extension ArithmeticShare: CustomStringConvertible {
    /// Names the type only: share components are never printed.
    public var description: String { "ArithmeticShare(\(type))" }
}
