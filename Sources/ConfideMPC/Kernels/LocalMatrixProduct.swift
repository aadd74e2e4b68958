import ConfideCore
import ConfideGraph

/// Local matrix products of share components over Z_{2^w} (wrapping arithmetic in the word),
/// cache-blocked, with the right operand packed once into panels of 4 columns and a 2×4
/// register tile.
///
/// The products are plain ring arithmetic on one party's own data: no communication, no
/// randomness. Callers mask the result to the ring of the scalar type.
enum LocalMatrixProduct {
    /// Rows of the inner dimension per packed block (the block of B stays in L2).
    static let innerBlock = 256
    /// Columns per packed block (a multiple of the tile width 4).
    static let columnBlock = 256

    /// c[m×n] += a[m×k] · b[k×n], all row-major and contiguous, wrapping in `W`.
    static func multiplyAdd<W: RingWord>(
        _ a: UnsafePointer<W>, _ b: UnsafePointer<W>, into c: UnsafeMutablePointer<W>, m: Int, k: Int, n: Int
    ) {
        guard m > 0, n > 0, k > 0 else { return }
        let packed = pack(b, k: k, n: n)
        packed.withUnsafeBufferPointer { p in multiplyAddPacked(a, p.baseAddress!, into: c, m: m, k: k, n: n) }
    }

    /// B (k×n, row-major) as ⌈n/4⌉ panels of 4 columns, each k-major (k·4 words), zero-padded.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    static func pack<W: RingWord>(_ b: UnsafePointer<W>, k: Int, n: Int) -> [W] {
        let panels = (n + 3) / 4
        return [W](unsafeUninitializedCapacity: panels * k * 4) { out, initialized in
            for q in 0..<panels {
                let j0 = 4 * q
                let width = min(4, n - j0)
                let dst = out.baseAddress! + q * k * 4
                for p in 0..<k {
                    let src = b + p * n + j0
                    let d = dst + 4 * p
                    d[0] = src[0]
                    d[1] = width > 1 ? src[1] : 0
                    d[2] = width > 2 ? src[2] : 0
                    d[3] = width > 3 ? src[3] : 0
                }
            }
            initialized = panels * k * 4
        }
    }

    /// c[m×n] += a[m×k] · B for B packed by ``pack(_:k:n:)``: blocks of `innerBlock` × `columnBlock`
    /// of B (L2-resident) against pairs of rows of A, 2×4 register tiles.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    static func multiplyAddPacked<W: RingWord>(
        _ a: UnsafePointer<W>, _ packed: UnsafePointer<W>, into c: UnsafeMutablePointer<W>, m: Int, k: Int, n: Int
    ) {
        guard m > 0, n > 0, k > 0 else { return }
        let kc = innerBlock, nc = columnBlock
        var jc = 0
        while jc < n {
            let nb = min(nc, n - jc)
            let panels = (nb + 3) / 4
            var pc = 0
            while pc < k {
                let kb = min(kc, k - pc)
                var i = 0
                while i < m {
                    let twoRows = i + 1 < m
                    let a0 = a + i * k + pc
                    let a1 = twoRows ? a0 + k : a0
                    for q in 0..<panels {
                        var bp = packed + ((jc / 4 + q) * k + pc) * 4
                        var c00: W = 0, c01: W = 0, c02: W = 0, c03: W = 0
                        var c10: W = 0, c11: W = 0, c12: W = 0, c13: W = 0
                        for p in 0..<kb {
                            let x0 = a0[p], x1 = a1[p]
                            let b0 = bp[0], b1 = bp[1], b2 = bp[2], b3 = bp[3]
                            c00 &+= x0 &* b0
                            c01 &+= x0 &* b1
                            c02 &+= x0 &* b2
                            c03 &+= x0 &* b3
                            c10 &+= x1 &* b0
                            c11 &+= x1 &* b1
                            c12 &+= x1 &* b2
                            c13 &+= x1 &* b3
                            bp += 4
                        }
                        let j0 = jc + 4 * q
                        let width = min(4, n - j0)
                        let r0 = c + i * n + j0
                        r0[0] &+= c00
                        if width > 1 { r0[1] &+= c01 }
                        if width > 2 { r0[2] &+= c02 }
                        if width > 3 { r0[3] &+= c03 }
                        if twoRows {
                            let r1 = r0 + n
                            r1[0] &+= c10
                            if width > 1 { r1[1] &+= c11 }
                            if width > 2 { r1[2] &+= c12 }
                            if width > 3 { r1[3] &+= c13 }
                        }
                    }
                    i += 2
                }
                pc += kb
            }
            jc += nb
        }
    }

    /// The batch, row, inner and column counts of `matmul` of shapes (…, m × k) and (…, k × n)
    /// with equal leading dimensions, and the result's shape; nil for other shapes (vectors,
    /// broadcasting), which callers leave to the evaluator.
    static func plan(_ a: [Int], _ b: [Int]) -> (batch: Int, m: Int, k: Int, n: Int, shape: [Int])? {
        guard a.count >= 2, a.count == b.count, a.dropLast(2) == b.dropLast(2), a[a.count - 1] == b[b.count - 2] else { return nil }
        let lead = Array(a.dropLast(2))
        let m = a[a.count - 2], k = a[a.count - 1], n = b[b.count - 1]
        return (Tensor.elementCount(lead), m, k, n, lead + [m, n])
    }

    /// Rows of A per slice between suspension points (even, so that 2-row tiles stay whole).
    static let rowSlice = 64

    /// c += a · b for stacks of `batch` matrices, in slices of rows with a suspension point
    /// (`Task.yield`) between slices, so that parties sharing a thread pool interleave fairly.
    static func batchedMultiplyAdd<W: RingWord>(_ a: [W], _ b: [W], into c: inout [W], batch: Int, m: Int, k: Int, n: Int) async {
        guard m > 0, n > 0, k > 0 else { return }
        for t in 0..<batch {
            let packed = b.withUnsafeBufferPointer { pb in pack(pb.baseAddress! + t * k * n, k: k, n: n) }
            var r0 = 0
            while r0 < m {
                let rows = min(rowSlice, m - r0)
                a.withUnsafeBufferPointer { pa in
                    packed.withUnsafeBufferPointer { pp in
                        c.withUnsafeMutableBufferPointer { pc in
                            multiplyAddPacked(
                                pa.baseAddress! + (t * m + r0) * k, pp.baseAddress!, into: pc.baseAddress! + (t * m + r0) * n, m: rows, k: k, n: n)
                        }
                    }
                }
                r0 += rows
                await Task.yield()
            }
        }
    }
}

extension ABY3Party {
    /// This party's 3-out-of-3 share of X·Y without the zero sharing: X_i·(Y_i + Y_{i+1}) + X_{i+1}·Y_i
    /// (ABY3 §3.1), masked to the ring, and the product's shape. Local.
    /// - Throws: `.typeMismatch` for different scalar types; `.shapeMismatch` (from the evaluator)
    ///   for shapes that do not multiply.
    func localMatmulCrossTerms<W: RingWord>(
        _ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>, kernel: String
    ) async throws -> (words: [W], shape: [Int]) {
        guard x.scalarType == y.scalarType else {
            throw ConfideError(.typeMismatch, "\(kernel): operands of types \(x.type) and \(y.type) have different scalar types")
        }
        let mask = W.mask(x.scalarType)
        let ySum = Self.zipWords(y.first, y.second) { $0 &+ $1 }
        if let plan = LocalMatrixProduct.plan(x.shape, y.shape) {
            var z = [W](repeating: 0, count: plan.batch * plan.m * plan.n)
            await LocalMatrixProduct.batchedMultiplyAdd(x.first, ySum, into: &z, batch: plan.batch, m: plan.m, k: plan.k, n: plan.n)
            await LocalMatrixProduct.batchedMultiplyAdd(x.second, y.first, into: &z, batch: plan.batch, m: plan.m, k: plan.k, n: plan.n)
            if mask != W.max {
                z.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] &= mask } }
            }
            return (z, plan.shape)
        }
        // Other shapes (vectors, broadcasting): the evaluator's matmul on the components.
        let (x0, x1) = x.components
        let sum = Tensor(unchecked: y.scalarType, shape: y.shape, storage: W.storage(ySum))
        let p0 = try Evaluator.apply(.matmul, to: [.tensor(x0), .tensor(sum)])
        let p1 = try Evaluator.apply(.matmul, to: [.tensor(x1), .tensor(y.components.first)])
        guard case let .tensor(t0) = p0, case let .tensor(t1) = p1, let w0 = W.words(t0.storage), let w1 = W.words(t1.storage) else {
            throw ConfideError(.typeMismatch, "\(kernel): operands of types \(x.type) and \(y.type) do not give a matrix product")
        }
        return (Self.zipWords(w0, w1) { ($0 &+ $1) & mask }, t0.shape)
    }
}
