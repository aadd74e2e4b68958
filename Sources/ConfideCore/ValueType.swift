/// A CipherCore type: scalar, array, vector, tuple or named tuple.
public indirect enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case scalar(ScalarType)
    /// A non-empty shape of positive dimensions, row-major.
    case array([Int], ScalarType)
    /// `count` values of the same type.
    case vector(Int, ValueType)
    case tuple([ValueType])
    case namedTuple([NamedType])

    /// One field of a named tuple.
    public struct NamedType: Hashable, Sendable {
        public var name: String
        public var type: ValueType
        public init(_ name: String, _ type: ValueType) {
            self.name = name
            self.type = type
        }
    }

    /// Scalar or array.
    public var isTensor: Bool {
        switch self {
        case .scalar, .array: return true
        default: return false
        }
    }

    public var isScalar: Bool { if case .scalar = self { return true } else { return false } }
    public var isArray: Bool { if case .array = self { return true } else { return false } }

    /// The scalar type of a scalar or array.
    public var scalarType: ScalarType? {
        switch self {
        case let .scalar(s), let .array(_, s): return s
        default: return nil
        }
    }

    /// Shape of a scalar (`[]`) or array.
    public var shape: [Int]? {
        switch self {
        case .scalar: return []
        case let .array(shape, _): return shape
        default: return nil
        }
    }

    /// The scalar or array type with the given shape (`[]` → scalar).
    public static func tensor(_ shape: [Int], _ scalar: ScalarType) -> ValueType {
        shape.isEmpty ? .scalar(scalar) : .array(shape, scalar)
    }

    /// Total number of scalars in the type (saturating at `Int.max`).
    public var scalarCount: Int {
        switch self {
        case .scalar: return 1
        case let .array(shape, _): return shape.reduce(1) { ValueType.saturatingProduct($0, $1) }
        case let .vector(n, t): return ValueType.saturatingProduct(n, t.scalarCount)
        case let .tuple(ts): return ts.reduce(0) { ValueType.saturatingSum($0, $1.scalarCount) }
        case let .namedTuple(fs): return fs.reduce(0) { ValueType.saturatingSum($0, $1.type.scalarCount) }
        }
    }

    /// Size in bits of a value of this type (saturating at `Int.max`).
    public var sizeInBits: Int {
        switch self {
        case let .scalar(s): return s.bits
        case let .array(_, s): return ValueType.saturatingProduct(scalarCount, s.bits)
        case let .vector(n, t): return ValueType.saturatingProduct(n, t.sizeInBits)
        case let .tuple(ts): return ts.reduce(0) { ValueType.saturatingSum($0, $1.sizeInBits) }
        case let .namedTuple(fs): return fs.reduce(0) { ValueType.saturatingSum($0, $1.type.sizeInBits) }
        }
    }

    /// Number of nodes in a value tree of this type: 1 per scalar or array, 1 plus the children's
    /// for tuples, named tuples and vectors (saturating at `Int.max`).
    public var nodeCount: Int {
        switch self {
        case .scalar, .array: return 1
        case let .vector(n, t): return ValueType.saturatingSum(1, ValueType.saturatingProduct(n, t.nodeCount))
        case let .tuple(ts): return ts.reduce(1) { ValueType.saturatingSum($0, $1.nodeCount) }
        case let .namedTuple(fs): return fs.reduce(1) { ValueType.saturatingSum($0, $1.type.nodeCount) }
        }
    }

    /// The most scalars a valid type may hold (2^40).
    public static let maxScalarCount = 1 << 40

    /// The most value-tree nodes (tuple, vector and tensor nodes) a valid type may have (2^32).
    public static let maxNodeCount = 1 << 32

    /// Checks that shapes are non-empty with positive dimensions, that vector lengths are not
    /// negative, and that the total scalar count (``maxScalarCount``) and node count
    /// (``maxNodeCount``) are bounded, so sizes computed from the type cannot overflow.
    /// - Throws: `.invalidType` for a malformed shape or length, `.tooLarge` for an oversized type.
    public func validate() throws {
        try validateStructure()
        guard scalarCount <= ValueType.maxScalarCount else {
            throw ConfideError(.tooLarge, "type \(self) has more than 2^40 scalars")
        }
        guard nodeCount <= ValueType.maxNodeCount else {
            throw ConfideError(.tooLarge, "type \(self) has more than 2^32 tuple/vector elements")
        }
        guard sizeInBits < Int.max else { throw ConfideError(.tooLarge, "type \(self) is too large") }
    }

    private func validateStructure() throws {
        switch self {
        case .scalar: return
        case let .array(shape, _):
            guard !shape.isEmpty else { throw ConfideError(.invalidType, "array type with an empty shape") }
            guard shape.allSatisfy({ $0 > 0 }) else { throw ConfideError(.invalidType, "array shape \(shape) has a non-positive dimension") }
            guard scalarCount <= ValueType.maxScalarCount else { throw ConfideError(.tooLarge, "array shape \(shape) is too large") }
        case let .vector(n, t):
            guard n >= 0 else { throw ConfideError(.invalidType, "vector of negative length \(n)") }
            try t.validateStructure()
        case let .tuple(ts): try ts.forEach { try $0.validateStructure() }
        case let .namedTuple(fs): try fs.forEach { try $0.type.validateStructure() }
        }
    }

    private static func saturatingProduct(_ a: Int, _ b: Int) -> Int {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        return o ? .max : r
    }

    private static func saturatingSum(_ a: Int, _ b: Int) -> Int {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? .max : r
    }

    /// CipherCore's display form, e.g. `u32[2, 3]`, `(bit, u8)`, `<i32{4}>`.
    public var description: String {
        switch self {
        case let .scalar(s): return s.rawValue
        case let .array(shape, s): return "\(s.rawValue)[\(shape.map(String.init).joined(separator: ", "))]"
        case let .vector(n, t): return "<\(t){\(n)}>"
        case let .tuple(ts): return "(\(ts.map(\.description).joined(separator: ", ")))"
        case let .namedTuple(fs): return "(\(fs.map { "\"\($0.name)\": \($0.type)" }.joined(separator: ", ")))"
        }
    }
}

extension ValueType {
    /// The types of a tuple's, named tuple's or vector's elements in order; nil for tensors.
    public var childTypes: [ValueType]? {
        switch self {
        case .scalar, .array: return nil
        case let .tuple(types): return types
        case let .namedTuple(fields): return fields.map(\.type)
        case let .vector(count, element): return Array(repeating: element, count: count)
        }
    }
}
