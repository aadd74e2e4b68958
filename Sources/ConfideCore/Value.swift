/// A typed CipherCore value: a tensor (scalar or array), a tuple, a named tuple or a vector.
public indirect enum Value: Sendable, Equatable {
    /// A scalar (shape `[]`) or an array (non-empty shape).
    case tensor(Tensor)
    case tuple([Value])
    case namedTuple([NamedValue])
    /// A vector of values that all have `elementType`.
    case vector(elementType: ValueType, [Value])

    /// One field of a named tuple value.
    public struct NamedValue: Sendable, Equatable {
        public var name: String
        public var value: Value
        public init(_ name: String, _ value: Value) {
            self.name = name
            self.value = value
        }
    }

    /// The value's type.
    public var type: ValueType {
        switch self {
        case let .tensor(t): return t.type
        case let .tuple(vs): return .tuple(vs.map(\.type))
        case let .namedTuple(fs): return .namedTuple(fs.map { .init($0.name, $0.value.type) })
        case let .vector(t, vs): return .vector(vs.count, t)
        }
    }

    /// The tensor of a scalar or array value.
    public var tensor: Tensor? { if case let .tensor(t) = self { return t } else { return nil } }

    /// Children of a tuple, named tuple or vector, in type order.
    public var children: [Value]? {
        switch self {
        case .tensor: return nil
        case let .tuple(vs): return vs
        case let .namedTuple(fs): return fs.map(\.value)
        case let .vector(_, vs): return vs
        }
    }

    /// A scalar value.
    public static func scalar(_ s: ScalarType, _ residue: UInt128) -> Value { .tensor(.scalar(s, residue: residue)) }

    /// The all-zero value of a type.
    public static func zeros(_ type: ValueType) -> Value { filled(type, residue: 0) }

    /// The value of a type with every scalar equal to 1.
    public static func ones(_ type: ValueType) -> Value { filled(type, residue: 1) }

    /// The value of a type with every scalar equal to `residue`.
    public static func filled(_ type: ValueType, residue: UInt128) -> Value {
        switch type {
        case let .scalar(s): return .tensor(.filled(s, shape: [], residue: residue))
        case let .array(shape, s): return .tensor(.filled(s, shape: shape, residue: residue))
        case let .tuple(ts): return .tuple(ts.map { filled($0, residue: residue) })
        case let .namedTuple(fs): return .namedTuple(fs.map { .init($0.name, filled($0.type, residue: residue)) })
        case let .vector(n, t): return .vector(elementType: t, [Value](repeating: filled(t, residue: residue), count: n))
        }
    }

    /// Checks that the value has exactly `expected` type.
    /// - Throws: `.typeMismatch` with both types; `what` names the value (for example "input 1").
    public func check(_ expected: ValueType, what: String) throws {
        let found = type
        guard found == expected else {
            throw ConfideError(.typeMismatch, "\(what): expected type \(expected), found \(found)")
        }
    }
}
