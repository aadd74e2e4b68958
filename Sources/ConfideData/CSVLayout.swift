import ConfideCore

/// How a value type maps onto the columns of one CSV table.
///
/// - A scalar is one cell; an array `t[n]` is one column of n rows; `t[n, m]` is m columns of n rows.
/// - A tuple of such tensors takes their columns side by side, in order.
/// - A named tuple's fields are columns found by header name (`t[n, m]` fields are not allowed:
///   a header names one column).
/// Every part has the same number of rows. Arrays of rank 3 or more, vectors and nested tuples
/// do not fit a table (use `.npy` or typed JSON for them).
struct CSVLayout: Sendable {
    struct Part: Sendable {
        var name: String?
        var scalarType: ScalarType
        var shape: [Int]
        /// Columns this part takes.
        var width: Int
    }

    var type: ValueType
    var parts: [Part]
    var rows: Int
    var isNamed: Bool
    var width: Int { parts.reduce(0) { $0 + $1.width } }

    /// - Throws: `.invalidType` naming the type and why it does not fit a table.
    init(_ type: ValueType) throws {
        self.type = type
        func fail(_ why: String) -> ConfideError { ConfideError(.invalidType, "type \(type) does not fit a CSV table: \(why); use .npy or typed JSON") }
        func part(_ t: ValueType, name: String?) throws -> Part {
            switch t {
            case let .scalar(s): return Part(name: name, scalarType: s, shape: [], width: 1)
            case let .array(shape, s) where shape.count == 1: return Part(name: name, scalarType: s, shape: shape, width: 1)
            case let .array(shape, s) where shape.count == 2:
                guard name == nil else { throw fail("field '\(name!)' has two dimensions, and a header names one column") }
                return Part(name: name, scalarType: s, shape: shape, width: shape[1])
            case .array: throw fail("an array of more than two dimensions")
            default: throw fail("\(t) inside a table")
            }
        }
        switch type {
        case .scalar, .array:
            parts = [try part(type, name: nil)]
            isNamed = false
        case let .tuple(types):
            guard !types.isEmpty else { throw fail("an empty tuple") }
            parts = try types.map { try part($0, name: nil) }
            isNamed = false
        case let .namedTuple(fields):
            guard !fields.isEmpty else { throw fail("an empty named tuple") }
            parts = try fields.map { try part($0.type, name: $0.name) }
            isNamed = true
        case .vector:
            throw fail("a vector")
        }
        let rowCounts = Set(parts.map { $0.shape.first ?? 1 })
        guard rowCounts.count == 1 else { throw fail("its parts have different numbers of rows (\(rowCounts.sorted().map(String.init).joined(separator: ", ")))") }
        rows = rowCounts.first!
    }
}
