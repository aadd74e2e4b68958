import ConfideCore

extension NPYArray {
    /// The array as a value: of `type` when given (its shape must equal the array's, and each
    /// element must fit its scalar type), else of the scalar type that matches the element type.
    ///
    /// Floats become fixed-point integers round(x · 2^`fractionalBits`) and need `fractionalBits`;
    /// booleans become `bit` (or 0 and 1 of an integer type). Fortran-ordered arrays are reordered
    /// to row-major.
    /// - Throws: `.typeMismatch` for a shape or type that does not match, `.outOfRange` naming the
    ///   first element (by flat row-major index) that the type cannot hold, `.invalidValue` for a
    ///   float array without `fractionalBits` or a non-finite float. Messages never quote an element.
    public func value(as type: ValueType?, fractionalBits: Int? = nil) throws -> Value {
        let found = "array of shape (\(shape.map(String.init).joined(separator: ", "))) of \(elementType)"
        let scalarType: ScalarType
        if let type {
            guard let target = type.scalarType, let targetShape = type.shape else {
                throw ConfideError(.typeMismatch, "expected type \(type), found an \(found): a .npy file holds one array")
            }
            guard targetShape == shape else { throw ConfideError(.typeMismatch, "expected type \(type), found an \(found)") }
            scalarType = target
        } else {
            guard let exact = elementType.scalarType else {
                throw ConfideError(.invalidValue, "an \(found) needs the input's type and fractional_bits")
            }
            scalarType = exact
        }
        if elementType.kind == .float, fractionalBits == nil {
            throw ConfideError(.invalidValue, "an \(found) needs fractional_bits to become fixed-point \(scalarType)")
        }
        let number = try NumberText(scalarType, fractionalBits: elementType.kind == .float ? fractionalBits : nil)
        let order = fortranOrder && shape.count > 1 ? Self.rowMajorOrder(shape) : nil
        var residues = [UInt128](repeating: 0, count: count)
        try residues.withUnsafeMutableBufferPointer { out in
            for i in 0..<out.count {
                do {
                    out[i] = try residue(elementBits(order?[i] ?? i), scalarType: scalarType, number: number)
                } catch let error as ConfideError {
                    throw error.prefixed("element \(i)")
                }
            }
        }
        return .tensor(Tensor(scalarType, shape: shape, residues: residues))
    }

    /// Builds the array of a scalar or array value.
    /// - Throws: `.invalidType` for u128/i128 (NumPy has no such integers) and for values that are
    ///   not one tensor.
    public init(_ value: Value) throws {
        guard let tensor = value.tensor else {
            throw ConfideError(.invalidType, "a .npy file holds one array; type \(value.type) is not an array (write it as CSV or typed JSON)")
        }
        guard let elementType = ElementType(tensor.scalarType) else {
            throw ConfideError(.invalidType, "NumPy has no \(tensor.scalarType) elements (write it as CSV or typed JSON)")
        }
        let width = elementType.width
        var payload = [UInt8](repeating: 0, count: tensor.count * width)
        if let words = tensor.narrowWords {
            payload.withUnsafeMutableBufferPointer { out in
                for (i, word) in words.enumerated() {
                    for k in 0..<width { out[i * width + k] = UInt8(truncatingIfNeeded: word >> UInt64(8 * k)) }
                }
            }
        }
        self.init(elementType: elementType, shape: tensor.shape, payload: payload)
    }

    /// For each row-major index, the column-major index that holds the element.
    private static func rowMajorOrder(_ shape: [Int]) -> [Int] {
        let count = shape.reduce(1, *)
        var columnStrides = [Int](repeating: 1, count: shape.count)
        for d in 1..<shape.count { columnStrides[d] = columnStrides[d - 1] * shape[d - 1] }
        var order = [Int](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: shape.count)
        for i in 0..<count {
            order[i] = zip(index, columnStrides).reduce(0) { $0 + $1.0 * $1.1 }
            var d = shape.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < shape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return order
    }

    private func residue(_ bits: UInt64, scalarType: ScalarType, number: NumberText) throws -> UInt128 {
        let type = elementType
        let integer: Int128
        switch type.kind {
        case .bool, .unsigned:
            integer = Int128(bits)
        case .signed:
            let shift = UInt64(64 - 8 * type.width)
            integer = Int128(Int64(bitPattern: bits << shift) >> Int64(shift))
        case .float:
            let x = type.width == 8 ? Double(bitPattern: bits) : Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
            guard x.isFinite else { throw ConfideError(.invalidValue, "the float is not finite") }
            return try number.residue(fixedPoint: x)
        }
        guard let residue = scalarType.residue(checking: integer) else {
            throw ConfideError(.outOfRange, "the number is out of range for \(scalarType) (\(scalarType.rangeDescription))")
        }
        return residue
    }
}
