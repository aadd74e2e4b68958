import ConfideCore

/// A share of any tensor, whatever its ring: the type-erased form graph execution and the
/// conformance suite work with. Bit tensors are XOR-shared and packed; every other scalar type is
/// additively shared in 64-bit (≤ 64-bit types) or 128-bit words.
public enum SharedTensor: Sendable, CustomStringConvertible {
    case arithmetic64(ArithmeticShare<UInt64>)
    case arithmetic128(ArithmeticShare<UInt128>)
    case binary(BinaryShare)

    /// The CipherCore type of the shared value.
    public var type: ValueType {
        switch self {
        case let .arithmetic64(s): return s.type
        case let .arithmetic128(s): return s.type
        case let .binary(s): return s.type
        }
    }

    public var scalarType: ScalarType {
        switch self {
        case let .arithmetic64(s): return s.scalarType
        case let .arithmetic128(s): return s.scalarType
        case .binary: return .bit
        }
    }

    public var shape: [Int] {
        switch self {
        case let .arithmetic64(s): return s.shape
        case let .arithmetic128(s): return s.shape
        case let .binary(s): return s.shape
        }
    }

    /// Names the type only: share components are never printed.
    public var description: String { "SharedTensor(\(type))" }

    /// The 64-bit arithmetic share inside.
    /// - Throws: `.typeMismatch` naming the expected and found types.
    public func arithmetic64(_ what: String) throws -> ArithmeticShare<UInt64> {
        guard case let .arithmetic64(s) = self else { throw ConfideError(.typeMismatch, "\(what): expected an integer share of at most 64 bits, found \(type)") }
        return s
    }

    /// The 128-bit arithmetic share inside.
    /// - Throws: `.typeMismatch` naming the expected and found types.
    public func arithmetic128(_ what: String) throws -> ArithmeticShare<UInt128> {
        guard case let .arithmetic128(s) = self else { throw ConfideError(.typeMismatch, "\(what): expected a 128-bit integer share, found \(type)") }
        return s
    }

    /// The XOR share inside.
    /// - Throws: `.typeMismatch` naming the expected and found types.
    public func binary(_ what: String) throws -> BinaryShare {
        guard case let .binary(s) = self else { throw ConfideError(.typeMismatch, "\(what): expected a bit share, found \(type)") }
        return s
    }
}

extension ABY3Party {
    /// Shares a tensor owned by `owner`, choosing the sharing from its scalar type.
    /// Collective; communication as ``shareA(_:scalarType:shape:owner:)`` / ``shareB(_:shape:owner:)``.
    /// - Throws: as those kernels.
    public func share(_ tensor: Tensor?, scalarType: ScalarType, shape: [Int], owner: Int) async throws -> SharedTensor {
        if scalarType == .bit { return .binary(try await shareB(tensor, shape: shape, owner: owner)) }
        if scalarType.isWide { return .arithmetic128(try await shareA(tensor, scalarType: scalarType, shape: shape, owner: owner)) }
        return .arithmetic64(try await shareA(tensor, scalarType: scalarType, shape: shape, owner: owner))
    }

    /// A public tensor as a share, without communication.
    public func sharePublic(_ tensor: Tensor) throws -> SharedTensor {
        if tensor.scalarType == .bit { return .binary(try publicB(tensor)) }
        if tensor.scalarType.isWide { return .arithmetic128(try publicA(tensor)) }
        return .arithmetic64(try publicA(tensor))
    }

    /// Opens a share to `receivers`. Collective. Reveals: the value, to the receivers.
    /// - Returns: the value on receivers, nil elsewhere.
    /// - Throws: as ``revealA(_:to:)``.
    public func reveal(_ share: SharedTensor, to receivers: Set<Int>) async throws -> Tensor? {
        switch share {
        case let .arithmetic64(s): return try await revealA(s, to: receivers)
        case let .arithmetic128(s): return try await revealA(s, to: receivers)
        case let .binary(s): return try await revealB(s, to: receivers)
        }
    }
}
