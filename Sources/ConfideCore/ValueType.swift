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

    /// Total number of scalars in the type (saturating).
    public var scalarCount: Int {
        switch self {
        case .scalar: return 1
        case let .array(shape, _): return shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? .max : $0 * $1 }
        case let .vector(n, t): let (r, o) = n.multipliedReportingOverflow(by: t.scalarCount); return o ? .max : r
        case let .tuple(ts): return ts.reduce(0) { $0.addingReportingOverflow($1.scalarCount).overflow ? .max : $0 + $1.scalarCount }
        case let .namedTuple(fs): return fs.reduce(0) { $0.addingReportingOverflow($1.type.scalarCount).overflow ? .max : $0 + $1.type.scalarCount }
        }
    }

    /// Size in bits of a value of this type (saturating).
    public var sizeInBits: Int {
        switch self {
        case let .scalar(s): return s.bits
        case let .array(_, s): let (r, o) = scalarCount.multipliedReportingOverflow(by: s.bits); return o ? .max : r
        case let .vector(n, t): let (r, o) = n.multipliedReportingOverflow(by: t.sizeInBits); return o ? .max : r
        case let .tuple(ts): return ts.reduce(0) { $0.addingReportingOverflow($1.sizeInBits).overflow ? .max : $0 + $1.sizeInBits }
        case let .namedTuple(fs): return fs.reduce(0) { $0.addingReportingOverflow($1.type.sizeInBits).overflow ? .max : $0 + $1.type.sizeInBits }
        }
    }

    /// Checks that shapes are non-empty with positive dimensions and that sizes are bounded.
    public func validate() throws {
        switch self {
        case .scalar: return
        case let .array(shape, _):
            guard !shape.isEmpty else { throw ConfideError(.invalidType, "array type with an empty shape") }
            guard shape.allSatisfy({ $0 > 0 }) else { throw ConfideError(.invalidType, "array shape \(shape) has a non-positive dimension") }
            guard scalarCount < (1 << 40) else { throw ConfideError(.tooLarge, "array shape \(shape) is too large") }
        case let .vector(n, t):
            guard n >= 0 else { throw ConfideError(.invalidType, "vector of negative length \(n)") }
            try t.validate()
        case let .tuple(ts): try ts.forEach { try $0.validate() }
        case let .namedTuple(fs): try fs.forEach { try $0.type.validate() }
        }
        guard sizeInBits < Int.max else { throw ConfideError(.tooLarge, "type \(self) is too large") }
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
