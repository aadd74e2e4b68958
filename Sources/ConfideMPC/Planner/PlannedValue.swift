import ConfideCore

/// What the planner knows about a value before any party runs: its type and which parts are
/// public and which secret, in the shape of ``SecureValue`` but without data. A vector whose
/// elements all look alike is held once with its length, so that estimating a graph costs memory
/// in the graph's size, not in its values' size.
indirect enum PlannedValue: Hashable, Sendable {
    case plain(ValueType)
    /// A secret tensor of this (scalar or array) type.
    case shared(ValueType)
    case tuple([PlannedValue])
    case namedTuple([String], [PlannedValue])
    /// A vector of elements of `elementType`, listed one by one.
    case vector(elementType: ValueType, [PlannedValue])
    /// A vector of `count` elements that all look like `element`.
    case repeated(count: Int, elementType: ValueType, PlannedValue)

    /// A vector of `items`, held once when they all look alike.
    static func vector(of elementType: ValueType, _ items: [PlannedValue]) -> PlannedValue {
        if let first = items.first, items.allSatisfy({ $0 == first }) {
            return .repeated(count: items.count, elementType: elementType, first)
        }
        return .vector(elementType: elementType, items)
    }

    /// The value with the visibility an input of `type` has.
    static func of(_ type: ValueType, secret: Bool) -> PlannedValue {
        if !secret { return .plain(type) }
        switch type {
        case .scalar, .array: return .shared(type)
        case let .tuple(items): return .tuple(items.map { of($0, secret: true) })
        case let .namedTuple(fields): return .namedTuple(fields.map(\.name), fields.map { of($0.type, secret: true) })
        case let .vector(count, element): return .repeated(count: count, elementType: element, of(element, secret: true))
        }
    }

    var type: ValueType {
        switch self {
        case let .plain(t), let .shared(t): return t
        case let .tuple(items): return .tuple(items.map(\.type))
        case let .namedTuple(names, items): return .namedTuple(zip(names, items).map { .init($0, $1.type) })
        case let .vector(elementType, items): return .vector(items.count, elementType)
        case let .repeated(count, elementType, _): return .vector(count, elementType)
        }
    }

    /// Whether no part of the value is secret (as ``SecureValue/isPublic``).
    var isPublic: Bool {
        switch self {
        case .plain: return true
        case .shared: return false
        case let .tuple(items), let .namedTuple(_, items), let .vector(_, items): return items.allSatisfy(\.isPublic)
        case let .repeated(count, _, element): return count == 0 || element.isPublic
        }
    }

    /// The number of children of a container value; nil for a tensor.
    var childCount: Int? {
        switch self {
        case let .plain(.vector(count, _)): return count
        case let .plain(t): return t.childTypes?.count
        case .shared: return nil
        case let .tuple(items), let .namedTuple(_, items), let .vector(_, items): return items.count
        case let .repeated(count, _, _): return count
        }
    }

    /// Child `i` of a container value (a public container's children are public).
    func child(_ i: Int) -> PlannedValue? {
        switch self {
        case let .plain(.vector(count, element)): return (0..<count).contains(i) ? .plain(element) : nil
        case let .plain(t):
            guard let types = t.childTypes, types.indices.contains(i) else { return nil }
            return .plain(types[i])
        case .shared: return nil
        case let .tuple(items), let .namedTuple(_, items), let .vector(_, items): return items.indices.contains(i) ? items[i] : nil
        case let .repeated(count, _, element): return (0..<count).contains(i) ? element : nil
        }
    }

    /// The children of a tuple or named tuple, in order.
    var fields: [PlannedValue]? {
        switch self {
        case let .plain(.tuple(types)): return types.map { .plain($0) }
        case let .plain(.namedTuple(fields)): return fields.map { .plain($0.type) }
        case let .tuple(items), let .namedTuple(_, items): return items
        default: return nil
        }
    }

    /// A value secret wherever `a` or `b` is (both of one type): what the planner knows of a
    /// value that is one of the two.
    static func merged(_ a: PlannedValue, _ b: PlannedValue) -> PlannedValue {
        if a == b || b.isPublic { return a }
        if a.isPublic { return b }
        switch (a, b) {
        case let (.tuple(x), .tuple(y)) where x.count == y.count:
            return .tuple(zip(x, y).map { merged($0, $1) })
        case let (.namedTuple(names, x), .namedTuple(_, y)) where x.count == y.count:
            return .namedTuple(names, zip(x, y).map { merged($0, $1) })
        default:
            return .of(a.type, secret: true)
        }
    }

    /// The secret tensors of the value, in type order, each with how many times it occurs.
    var secretLeaves: [(type: ValueType, count: Int)] {
        switch self {
        case .plain: return []
        case let .shared(t): return [(t, 1)]
        case let .tuple(items), let .namedTuple(_, items), let .vector(_, items): return items.flatMap(\.secretLeaves)
        case let .repeated(count, _, element):
            return element.secretLeaves.map {
                ($0.type, $0.count.multipliedReportingOverflow(by: count).overflow ? .max : $0.count * count)
            }
        }
    }
}
