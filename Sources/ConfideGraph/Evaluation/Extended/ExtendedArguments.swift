import ConfideCore

/// Argument checks shared by the extended operations; every failure is a ``ConfideError`` that
/// names the operation, the argument and the expected and found types (never values).
struct ExtendedArguments {
    let op: String
    let values: [Value]

    init(_ op: String, _ values: [Value]) {
        self.op = op
        self.values = values
    }

    /// - Throws: `.wrongInputCount` unless there are exactly `count` arguments.
    func expectCount(_ count: Int) throws {
        guard values.count == count else {
            throw ConfideError(.wrongInputCount, "\(op) expects \(count) argument\(count == 1 ? "" : "s"), found \(values.count)")
        }
    }

    /// Argument `index` as a scalar or array.
    /// - Throws: `.typeMismatch` when it is a tuple, named tuple or vector, or an array with an empty dimension.
    func tensor(_ index: Int) throws -> Tensor {
        guard let t = values[index].tensor else {
            throw ConfideError(.typeMismatch, "\(op): argument \(index) must be a scalar or an array, found \(values[index].type)")
        }
        guard t.shape.allSatisfy({ $0 > 0 }) else {
            throw ConfideError(.typeMismatch, "\(op): argument \(index) has shape \(t.shape) with an empty dimension")
        }
        return t
    }

    /// Argument `index` as an array (not a scalar).
    /// - Throws: `.typeMismatch` otherwise.
    func array(_ index: Int) throws -> Tensor {
        let t = try tensor(index)
        guard !t.shape.isEmpty else {
            throw ConfideError(.typeMismatch, "\(op): argument \(index) must be an array, found \(t.type)")
        }
        return t
    }

    /// Argument `index` as a bit array.
    /// - Throws: `.typeMismatch` otherwise.
    func bitArray(_ index: Int) throws -> Tensor {
        let t = try array(index)
        guard t.scalarType == .bit else {
            throw ConfideError(.typeMismatch, "\(op): argument \(index) must be a bit array, found \(t.type)")
        }
        return t
    }

    /// Argument `index` as an array of unsigned integers of at most 64 bits (not bit): indices and permutations.
    /// - Throws: `.typeMismatch` otherwise.
    func indexArray(_ index: Int, what: String) throws -> Tensor {
        let t = try tensor(index)
        guard !t.shape.isEmpty, t.scalarType != .bit, !t.scalarType.isSigned, !t.scalarType.isWide else {
            throw ConfideError(.typeMismatch, "\(op): \(what) must be an array of u8, u16, u32 or u64, found \(t.type)")
        }
        return t
    }

    /// Argument `index` as a named tuple.
    /// - Throws: `.typeMismatch` otherwise.
    func namedTuple(_ index: Int) throws -> [Value.NamedValue] {
        guard case let .namedTuple(fields) = values[index] else {
            throw ConfideError(.typeMismatch, "\(op): argument \(index) must be a named tuple, found \(values[index].type)")
        }
        return fields
    }
}

extension CustomOperation {
    /// A required boolean parameter (CipherCore's custom operations have no defaults).
    /// - Throws: `.invalidArgument` when absent or not a boolean.
    func extendedBool(_ parameter: String) throws -> Bool {
        guard let json = self[parameter] else {
            throw ConfideError(.invalidArgument, "\(name) needs a boolean parameter '\(parameter)'")
        }
        guard let b = json.boolValue else {
            throw ConfideError(.invalidArgument, "\(name): parameter \(parameter) must be a boolean, found \(json.kindName)")
        }
        return b
    }

    /// A required non-negative integer parameter.
    /// - Throws: `.invalidArgument` when absent or not an integer in range.
    func extendedUnsigned(_ parameter: String) throws -> UInt64 {
        guard let json = self[parameter] else {
            throw ConfideError(.invalidArgument, "\(name): missing parameter \(parameter)")
        }
        guard let v = json.integer(as: UInt64.self) else {
            throw ConfideError(.invalidArgument, "\(name): parameter \(parameter) must be a non-negative integer, found \(json.kindName)")
        }
        return v
    }

    /// A required string parameter.
    /// - Throws: `.invalidArgument` when absent or not a string.
    func extendedString(_ parameter: String) throws -> String {
        guard let json = self[parameter] else {
            throw ConfideError(.invalidArgument, "\(name): missing parameter \(parameter)")
        }
        guard let s = json.stringValue else {
            throw ConfideError(.invalidArgument, "\(name): parameter \(parameter) must be a string, found \(json.kindName)")
        }
        return s
    }
}
