import ConfideCore

extension TypeInference {
    /// Checks that a type is valid in CipherCore's sense and representable here: every array shape is
    /// non-empty with positive dimensions, named tuple fields are unique, vector lengths are not
    /// negative, and CipherCore's size estimate of a node of this type (bits × (elements + 1) for an
    /// array, (length + 1) × element estimate for a vector, the sum for tuples) fits in `Int`.
    /// - Parameter type: the type to check.
    /// - Returns: the size estimate in bits.
    /// - Throws: `.invalidType` for a malformed type, `.tooLarge` when a size overflows `Int`.
    @discardableResult
    public static func validate(_ type: ValueType) throws -> Int {
        switch type {
        case let .scalar(scalar):
            return scalar.bits
        case let .array(shape, scalar):
            guard !shape.isEmpty else {
                throw ConfideError(.invalidType, "array type with an empty shape")
            }
            let count = try elementCount(shape)
            // Room for rounding a bit count up to whole bytes, so that encoders never overflow.
            _ = try inferenceSum(count, 8, what: "\(type)")
            return try inferenceProduct(scalar.bits, try inferenceSum(count, 1, what: "\(type)"), what: "\(type)")
        case let .vector(length, element):
            guard length >= 0 else {
                throw ConfideError(.invalidType, "vector type of negative length \(length)")
            }
            let elementSize = try validate(element)
            return try inferenceProduct(try inferenceSum(length, 1, what: "a vector of \(length) elements"), elementSize, what: "a vector of \(length) elements of type \(element)")
        case let .tuple(elements):
            var total = 0
            for element in elements {
                total = try inferenceSum(total, try validate(element), what: "a tuple of \(elements.count) elements")
            }
            return total
        case let .namedTuple(fields):
            var names = Set<String>()
            var total = 0
            for field in fields {
                guard names.insert(field.name).inserted else {
                    throw ConfideError(.invalidType, "named tuple type has two fields named '\(field.name)'")
                }
                total = try inferenceSum(total, try validate(field.type), what: "a named tuple of \(fields.count) fields")
            }
            return total
        }
    }

    /// The number of elements of a shape.
    /// - Throws: `.invalidType` for a non-positive dimension, `.tooLarge` when the product overflows `Int`.
    static func elementCount(_ shape: [Int]) throws -> Int {
        var total = 1
        for dimension in shape {
            guard dimension > 0 else {
                throw ConfideError(.invalidType, "shape \(shape) has a non-positive dimension \(dimension)")
            }
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw ConfideError(.tooLarge, "shape \(shape) has more elements than fit in a 64-bit integer")
            }
            total = product
        }
        return total
    }

    /// `a + b`, or `.tooLarge` naming `what` on overflow.
    static func inferenceSum(_ a: Int, _ b: Int, what: @autoclosure () -> String) throws -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw ConfideError(.tooLarge, "the size of \(what()) overflows a 64-bit integer") }
        return sum
    }

    /// `a × b`, or `.tooLarge` naming `what` on overflow.
    static func inferenceProduct(_ a: Int, _ b: Int, what: @autoclosure () -> String) throws -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { throw ConfideError(.tooLarge, "the size of \(what()) overflows a 64-bit integer") }
        return product
    }
}
