import ConfideCore

/// Rules of the operations on tuples, vectors and graphs, and of Reshape.
extension TypeInference {
    /// Consecutive equal scalar/array components in the flattened form of a type (CipherCore's
    /// `flatten_type`), kept run-length encoded so that long vectors cost nothing.
    struct FlatRun {
        var component: ValueType
        var scalar: ScalarType
        var elements: Int
        var repeats: Int
    }

    /// Most runs a flattened type may have before Reshape gives up (types alternating between
    /// different components inside a vector of millions of elements).
    static let reshapeRunLimit = 1 << 20

    /// CipherCore's Reshape rule: both types flatten to the same number of scalar/array components,
    /// and each pair of components has the same scalar type and the same number of elements.
    static func reshapeCheck(_ old: ValueType, to new: ValueType) throws {
        try validate(new)
        if old == new { return }
        var source: [FlatRun] = []
        var target: [FlatRun] = []
        try flattenRuns(old, into: &source)
        try flattenRuns(new, into: &target)
        let sourceCount = try source.reduce(0) { try inferenceSum($0, $1.repeats, what: "\(old)") }
        let targetCount = try target.reduce(0) { try inferenceSum($0, $1.repeats, what: "\(new)") }
        guard sourceCount == targetCount else {
            throw ConfideError(.typeMismatch, "cannot reshape \(old) (\(sourceCount) scalar/array components) into \(new) (\(targetCount) components)")
        }
        var i = 0
        var j = 0
        var leftI = source.first?.repeats ?? 0
        var leftJ = target.first?.repeats ?? 0
        while i < source.count, j < target.count {
            let a = source[i]
            let b = target[j]
            guard a.scalar == b.scalar, a.elements == b.elements else {
                throw ConfideError(.typeMismatch, "cannot reshape \(old) into \(new): component \(a.component) cannot become \(b.component)")
            }
            let taken = min(leftI, leftJ)
            leftI -= taken
            leftJ -= taken
            if leftI == 0 {
                i += 1
                if i < source.count { leftI = source[i].repeats }
            }
            if leftJ == 0 {
                j += 1
                if j < target.count { leftJ = target[j].repeats }
            }
        }
    }

    /// Appends the run-length encoded components of `type` to `runs`.
    private static func flattenRuns(_ type: ValueType, into runs: inout [FlatRun]) throws {
        switch type {
        case let .scalar(scalar):
            try appendRun(FlatRun(component: type, scalar: scalar, elements: 1, repeats: 1), to: &runs)
        case let .array(shape, scalar):
            try appendRun(FlatRun(component: type, scalar: scalar, elements: try elementCount(shape), repeats: 1), to: &runs)
        case let .tuple(elements):
            for element in elements { try flattenRuns(element, into: &runs) }
        case let .namedTuple(fields):
            for field in fields { try flattenRuns(field.type, into: &runs) }
        case let .vector(length, element):
            var inner: [FlatRun] = []
            try flattenRuns(element, into: &inner)
            guard length > 0, !inner.isEmpty else { return }
            if inner.count == 1 {
                var run = inner[0]
                run.repeats = try inferenceProduct(run.repeats, length, what: "\(type)")
                try appendRun(run, to: &runs)
                return
            }
            let needed = try inferenceProduct(inner.count, length, what: "\(type)")
            guard needed <= reshapeRunLimit - runs.count else {
                throw ConfideError(.tooLarge, "Reshape of \(type) would compare more than \(reshapeRunLimit) components")
            }
            for _ in 0..<length {
                for run in inner { try appendRun(run, to: &runs) }
            }
        }
    }

    private static func appendRun(_ run: FlatRun, to runs: inout [FlatRun]) throws {
        if let last = runs.last, last.component == run.component {
            runs[runs.count - 1].repeats = try inferenceSum(last.repeats, run.repeats, what: "the flattened type")
            return
        }
        guard runs.count < reshapeRunLimit else {
            throw ConfideError(.tooLarge, "Reshape would compare more than \(reshapeRunLimit) components")
        }
        runs.append(run)
    }

    static func tupleGetType(_ type: ValueType, _ index: Int) throws -> ValueType {
        let elements: [ValueType]
        switch type {
        case let .tuple(items): elements = items
        case let .namedTuple(fields): elements = fields.map(\.type)
        default: throw ConfideError(.typeMismatch, "expected a tuple or named tuple, found \(type)")
        }
        guard index >= 0, index < elements.count else {
            throw ConfideError(.outOfRange, "index \(index) is out of bounds for a tuple of \(elements.count) elements")
        }
        return elements[index]
    }

    static func zipType(_ arguments: [ValueType]) throws -> ValueType {
        guard arguments.count >= 2 else {
            throw ConfideError(.invalidGraph, "expects at least 2 arguments, found \(arguments.count)")
        }
        var length: Int?
        var elements: [ValueType] = []
        for (position, argument) in arguments.enumerated() {
            guard case let .vector(count, element) = argument else {
                throw ConfideError(.typeMismatch, "argument \(position) must be a vector, found \(argument)")
            }
            if let length, length != count {
                throw ConfideError(.shapeMismatch, "vectors of lengths \(length) and \(count) cannot be zipped")
            }
            length = count
            elements.append(element)
        }
        return .vector(length ?? 0, .tuple(elements))
    }

    static func vectorToArrayType(_ type: ValueType) throws -> ValueType {
        guard case let .vector(length, element) = type else {
            throw ConfideError(.typeMismatch, "expected a vector, found \(type)")
        }
        guard length > 0 else { throw ConfideError(.shapeMismatch, "VectorToArray cannot be applied to an empty vector") }
        let (shape, scalar) = try tensorParts(element, "the vector element")
        return .array([length] + shape, scalar)
    }

    static func callType(_ arguments: [ValueType], _ callee: GraphSignature) throws -> ValueType {
        guard arguments.count == callee.inputTypes.count else {
            throw ConfideError(.invalidGraph, "the called graph has \(callee.inputTypes.count) inputs, found \(arguments.count) arguments")
        }
        for (position, (argument, expected)) in zip(arguments, callee.inputTypes).enumerated() where argument != expected {
            throw ConfideError(.typeMismatch, "argument \(position) has type \(argument), the called graph expects \(expected)")
        }
        return callee.outputType
    }

    static func iterateType(_ arguments: [ValueType], _ callee: GraphSignature) throws -> ValueType {
        guard callee.inputTypes.count == 2 else {
            throw ConfideError(.invalidGraph, "the iterated graph must have two inputs (state and current input), found \(callee.inputTypes.count)")
        }
        let state = callee.inputTypes[0]
        let input = callee.inputTypes[1]
        guard case let .tuple(outputs) = callee.outputType else {
            throw ConfideError(.typeMismatch, "the iterated graph must output a (state, output) tuple, found \(callee.outputType)")
        }
        guard outputs.count == 2 else {
            throw ConfideError(.typeMismatch, "the iterated graph must output a tuple of two elements, found \(outputs.count)")
        }
        guard outputs[0] == state else {
            throw ConfideError(.typeMismatch, "the iterated graph outputs state \(outputs[0]), expected its state input \(state)")
        }
        guard arguments[0] == state else {
            throw ConfideError(.typeMismatch, "the initial state has type \(arguments[0]), expected \(state)")
        }
        guard case let .vector(length, element) = arguments[1] else {
            throw ConfideError(.typeMismatch, "the input sequence must be a vector, found \(arguments[1])")
        }
        guard element == input else {
            throw ConfideError(.typeMismatch, "the input sequence has elements \(element), expected \(input)")
        }
        return .tuple([state, .vector(length, outputs[1])])
    }
}
