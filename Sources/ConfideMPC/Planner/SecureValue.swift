import ConfideCore

/// A value during secure execution of an uncompiled graph: public where every party knows it,
/// shared where it is secret, and the CipherCore containers around either.
public indirect enum SecureValue: Sendable, CustomStringConvertible {
    /// Known to every party (inputs declared public, constants, and anything computed only from them).
    case plain(Value)
    /// Secret, replicated-shared.
    case shared(SharedTensor)
    case tuple([SecureValue])
    case namedTuple([(name: String, value: SecureValue)])
    case vector(elementType: ValueType, [SecureValue])

    public var type: ValueType {
        switch self {
        case let .plain(v): return v.type
        case let .shared(s): return s.type
        case let .tuple(items): return .tuple(items.map(\.type))
        case let .namedTuple(fields): return .namedTuple(fields.map { .init($0.name, $0.value.type) })
        case let .vector(elementType, items): return .vector(items.count, elementType)
        }
    }

    /// Whether no part of the value is secret.
    public var isPublic: Bool {
        switch self {
        case .plain: return true
        case .shared: return false
        case let .tuple(items), let .vector(_, items): return items.allSatisfy(\.isPublic)
        case let .namedTuple(fields): return fields.allSatisfy { $0.value.isPublic }
        }
    }

    /// The plain value when the whole value is public.
    public var publicValue: Value? {
        switch self {
        case let .plain(v): return v
        case .shared: return nil
        case let .tuple(items):
            let values = items.compactMap(\.publicValue)
            return values.count == items.count ? .tuple(values) : nil
        case let .namedTuple(fields):
            let values = fields.compactMap { f in f.value.publicValue.map { Value.NamedValue(f.name, $0) } }
            return values.count == fields.count ? .namedTuple(values) : nil
        case let .vector(elementType, items):
            let values = items.compactMap(\.publicValue)
            return values.count == items.count ? .vector(elementType: elementType, values) : nil
        }
    }

    /// The children of a container value, in type order; a public container's children are public.
    var children: [SecureValue]? {
        switch self {
        case let .plain(v): return v.children?.map { .plain($0) }
        case .shared: return nil
        case let .tuple(items), let .vector(_, items): return items
        case let .namedTuple(fields): return fields.map(\.value)
        }
    }

    /// Names the type and visibility only: shares are never printed.
    public var description: String { "SecureValue(\(isPublic ? "public" : "secret") \(type))" }
}
