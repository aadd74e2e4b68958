import ConfideCore

/// `Dot`, `Matmul` and `Gemm` with NumPy's shape rules, modulo 2^bits.
extension Evaluator {
    /// `Dot` (NumPy `dot`): a scalar operand multiplies element-wise; two 1-D arrays give their inner
    /// product; otherwise the last axis of `a` is contracted with axis -2 of `b` (axis 0 when `b`
    /// is 1-D), the result shape being `a.shape[:-1] + b.shape[:-2] + b.shape[-1:]`.
    static func coreDot(_ args: [Value]) throws -> Value {
        try coreExpectCount(args, 2)
        let a = try coreTensor(args, 0)
        let b = try coreTensor(args, 1)
        try coreSameScalarType(a, b)
        if a.shape.isEmpty || b.shape.isEmpty { return try coreElementwise(.multiply, args) }
        let k = a.shape[a.shape.count - 1]
        let m = a.count / k
        let leading = Array(a.shape.dropLast())
        if b.shape.count == 1 {
            guard b.shape[0] == k else {
                throw ConfideError(.shapeMismatch, "Dot of incompatible shapes \(a.shape) and \(b.shape)")
            }
            let product = coreMatrixProduct(a, b, batches: 1, m: m, k: k, n: 1, aBatch: nil, bBatch: nil, shape: leading)
            return .tensor(product)
        }
        let r = b.shape.count
        guard b.shape[r - 2] == k else {
            throw ConfideError(.shapeMismatch, "Dot of incompatible shapes \(a.shape) and \(b.shape)")
        }
        let resultShape = leading + b.shape[..<(r - 2)] + [b.shape[r - 1]]
        try coreCheckedCount(resultShape)
        // Move b's contracted axis to the front: (batch…, k, n) → (k, batch…, n); the product of a
        // as an (m × k) matrix with that (k × batch·n) matrix is laid out as the result.
        let permutation = [r - 2] + Array(0..<(r - 2)) + [r - 1]
        let moved = b.gathered(corePermutedIndices(b.shape, permutation), shape: permutation.map { b.shape[$0] })
        let n = b.count / k
        return .tensor(coreMatrixProduct(a, moved, batches: 1, m: m, k: k, n: n, aBatch: nil, bBatch: nil, shape: resultShape))
    }

    /// `Matmul` (NumPy `matmul`): 1-D operands are promoted to a row (`a`) or column (`b`) and the
    /// added axis removed from the result; leading batch axes broadcast.
    static func coreMatmul(_ args: [Value]) throws -> Value {
        try coreExpectCount(args, 2)
        let a = try coreArray(args, 0)
        let b = try coreArray(args, 1)
        try coreSameScalarType(a, b)
        return .tensor(try coreBatchedProduct(a, b, dropRow: a.shape.count == 1, dropColumn: b.shape.count == 1))
    }

    /// `Gemm(transposeA, transposeB)`: `Matmul` of arrays of rank ≥ 2 with the last two axes of
    /// either operand transposed first.
    static func coreGemm(_ args: [Value], transposeA: Bool, transposeB: Bool) throws -> Value {
        try coreExpectCount(args, 2)
        var a = try coreArray(args, 0)
        var b = try coreArray(args, 1)
        try coreSameScalarType(a, b)
        guard a.shape.count >= 2, b.shape.count >= 2 else {
            throw ConfideError(
                .shapeMismatch,
                "Gemm needs arrays of rank at least 2, found shapes \(a.shape) and \(b.shape) (use Matmul or Dot for vectors)")
        }
        if transposeA { a = coreTransposeLastTwo(a) }
        if transposeB { b = coreTransposeLastTwo(b) }
        return .tensor(try coreBatchedProduct(a, b, dropRow: false, dropColumn: false))
    }

    /// The broadcast batched matrix product; a 1-D `a` is a 1×k row (`dropRow`), a 1-D `b` a k×1 column (`dropColumn`).
    private static func coreBatchedProduct(_ a: Tensor, _ b: Tensor, dropRow: Bool, dropColumn: Bool) throws -> Tensor {
        let shapeA = dropRow ? [1] + a.shape : a.shape
        let shapeB = dropColumn ? b.shape + [1] : b.shape
        let ra = shapeA.count, rb = shapeB.count
        let (m, k) = (shapeA[ra - 2], shapeA[ra - 1])
        let (k2, n) = (shapeB[rb - 2], shapeB[rb - 1])
        guard k == k2 else {
            throw ConfideError(.shapeMismatch, "matrix product of incompatible shapes \(a.shape) and \(b.shape)")
        }
        let batchA = Array(shapeA[..<(ra - 2)])
        let batchB = Array(shapeB[..<(rb - 2)])
        let batch = try Broadcast.shape(batchA, batchB)
        var resultShape = batch
        if !dropRow { resultShape.append(m) }
        if !dropColumn { resultShape.append(n) }
        try coreCheckedCount(batch + [m, n])
        return coreMatrixProduct(
            a, b, batches: Tensor.elementCount(batch), m: m, k: k, n: n,
            aBatch: Broadcast.sourceIndices(from: batchA, to: batch),
            bBatch: Broadcast.sourceIndices(from: batchB, to: batch), shape: resultShape)
    }

    /// `batches` products of (m × k) by (k × n) row-major matrices; batch `i` uses matrix
    /// `aBatch[i]` of `a` and `bBatch[i]` of `b` (nil: matrix `i`). The result has `shape`.
    private static func coreMatrixProduct(
        _ a: Tensor, _ b: Tensor, batches: Int, m: Int, k: Int, n: Int,
        aBatch: [Int]?, bBatch: [Int]?, shape: [Int]
    ) -> Tensor {
        func products<W: RingWord>(_ x: [W], _ y: [W]) -> [W] {
            var out = [W](repeating: 0, count: batches * m * n)
            x.withUnsafeBufferPointer { px in
                y.withUnsafeBufferPointer { py in
                    out.withUnsafeMutableBufferPointer { po in
                        guard let pa = px.baseAddress, let pb = py.baseAddress, let pc = po.baseAddress else { return }
                        for i in 0..<batches {
                            coreMultiply(
                                pa + (aBatch?[i] ?? i) * m * k, pb + (bBatch?[i] ?? i) * k * n, pc + i * m * n, m, k, n)
                        }
                    }
                }
            }
            let mask = W.mask(a.scalarType)
            if mask != W.max { for i in out.indices { out[i] &= mask } }
            return out
        }
        switch (a.storage, b.storage) {
        case let (.narrow(x), .narrow(y)):
            return Tensor(unchecked: a.scalarType, shape: shape, storage: .narrow(products(x, y)))
        case let (.wide(x), .wide(y)):
            return Tensor(unchecked: a.scalarType, shape: shape, storage: .wide(products(x, y)))
        default:
            preconditionFailure("operands of one scalar type have different storage")
        }
    }

    /// `c += a · b` for row-major (m × k) and (k × n) matrices of words, wrapping.
    private static func coreMultiply<W: FixedWidthInteger>(
        _ a: UnsafePointer<W>, _ b: UnsafePointer<W>, _ c: UnsafeMutablePointer<W>, _ m: Int, _ k: Int, _ n: Int
    ) {
        var i = 0
        while i < m {
            let row = c + i * n
            var p = 0
            while p < k {
                let x = a[i * k + p]
                if x != 0 {
                    let column = b + p * n
                    var j = 0
                    while j < n {
                        row[j] = row[j] &+ x &* column[j]
                        j += 1
                    }
                }
                p += 1
            }
            i += 1
        }
    }
}
