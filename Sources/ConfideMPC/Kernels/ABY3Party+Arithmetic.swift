import ConfideCore
import ConfideGraph

/// Arithmetic kernels on replicated shares (ABY3 §2.2 and §3). Names carry operand visibility:
/// `A` an arithmetic share, `P` a public tensor.
extension ABY3Party {
    /// x + y: (x_i + y_i, x_{i+1} + y_{i+1}). Local; shapes and rings must match.
    /// - Throws: `.typeMismatch` for different scalar types, `.shapeMismatch` for different shapes.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func addAA<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>) throws -> ArithmeticShare<W> {
        try checkSameType(x.type, y.type, "addAA")
        return combine(x, y) { $0 &+ $1 }
    }

    /// x − y. Local.
    /// - Throws: as ``addAA(_:_:)``.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func subAA<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>) throws -> ArithmeticShare<W> {
        try checkSameType(x.type, y.type, "subAA")
        return combine(x, y) { $0 &- $1 }
    }

    /// −x. Local.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func negA<W: RingWord>(_ x: ArithmeticShare<W>) -> ArithmeticShare<W> {
        let mask = W.mask(x.scalarType)
        return ArithmeticShare(
            unchecked: x.scalarType, shape: x.shape, first: x.first.map { (0 &- $0) & mask }, second: x.second.map { (0 &- $0) & mask })
    }

    /// x + p for a public p: added to the component x_0 only (held by parties 0 and 2). Local.
    /// - Throws: `.typeMismatch` / `.shapeMismatch` when p is not of x's type.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func addAP<W: RingWord>(_ x: ArithmeticShare<W>, _ p: Tensor) throws -> ArithmeticShare<W> {
        try checkSameType(x.type, p.type, "addAP")
        guard let pw = W.words(p.storage) else { throw ConfideError(.typeMismatch, "addAP: \(p.scalarType) is not stored in \(W.bitWidth)-bit words") }
        let mask = W.mask(x.scalarType)
        var result = x
        if index == 0 { result.first = Self.zipWords(x.first, pw) { ($0 &+ $1) & mask } }
        if index == 2 { result.second = Self.zipWords(x.second, pw) { ($0 &+ $1) & mask } }
        return result
    }

    /// x · p for a public p, element by element. Local.
    /// - Throws: as ``addAP(_:_:)``.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func mulAP<W: RingWord>(_ x: ArithmeticShare<W>, _ p: Tensor) throws -> ArithmeticShare<W> {
        try checkSameType(x.type, p.type, "mulAP")
        guard let pw = W.words(p.storage) else { throw ConfideError(.typeMismatch, "mulAP: \(p.scalarType) is not stored in \(W.bitWidth)-bit words") }
        let mask = W.mask(x.scalarType)
        return ArithmeticShare(
            unchecked: x.scalarType, shape: x.shape, first: Self.zipWords(x.first, pw) { ($0 &* $1) & mask },
            second: Self.zipWords(x.second, pw) { ($0 &* $1) & mask })
    }

    /// x · y element by element (ABY3 §3.1, replicated multiplication).
    ///
    /// Share algebra: z_i = x_i·y_i + x_i·y_{i+1} + x_{i+1}·y_i + α_i with α a zero sharing, so
    /// z_0 + z_1 + z_2 = x·y; party i sends z_i to its predecessor, which then holds (z_{i−1}, z_i).
    /// Collective. Communication: ``ABY3Cost/mulAA(count:_:)``.
    /// - Throws: `.typeMismatch` / `.shapeMismatch` for different types; the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func mulAA<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>) async throws -> ArithmeticShare<W> {
        try checkSameType(x.type, y.type, "mulAA")
        let tag = nextTag("mulAA")
        let z: [W] = await localProductsPlusZeroShare(x, y)
        return try await reshare(z, scalarType: x.scalarType, shape: x.shape, tag: tag)
    }

    /// Matrix product of shares with NumPy `matmul` semantics for 2-D operands and stacks of
    /// matrices with equal leading dimensions (ABY3 §3.1: the products are local, so one resharing
    /// of the m·n outputs, independent of the inner dimension).
    ///
    /// Share algebra: Z_i = X_i·(Y_i + Y_{i+1}) + X_{i+1}·Y_i + α_i. Collective.
    /// Communication: ``ABY3Cost/matmulAA(outputCount:_:)``.
    /// - Throws: `.typeMismatch` for different scalar types; `.shapeMismatch` for shapes that do
    ///   not multiply; the communicator's errors.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func matmulAA<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>) async throws -> ArithmeticShare<W> {
        var (z, shape) = try await localMatmulCrossTerms(x, y, kernel: "matmulAA")
        let tag = nextTag("matmulAA")
        let alpha: [W] = zeroShare(z.count, x.scalarType)
        let mask = W.mask(x.scalarType)
        z.withUnsafeMutableBufferPointer { zp in
            alpha.withUnsafeBufferPointer { a in
                for i in 0..<zp.count { zp[i] = (zp[i] &+ a[i]) & mask }
            }
        }
        return try await reshare(z, scalarType: x.scalarType, shape: shape, tag: tag)
    }

    /// Applies a local operation that is linear in its share arguments (Sum, CumSum, PermuteAxes,
    /// Get, GetSlice, Reshape, Stack, Concatenate, Gather by public indices) to each component.
    /// Local; every party gets a share of the operation's result on the secrets.
    /// - Parameters:
    ///   - operation: the operation, with CipherCore's semantics.
    ///   - shares: its share arguments, first.
    ///   - publicArguments: public arguments after the shares (Gather's indices).
    /// - Throws: `.unsupportedOperation` for a non-linear operation; the operation's own errors
    ///   (shape, type) prefixed with its name.
    @_specialize(where W == UInt64)
    @_specialize(where W == UInt128)
    public func applyLocal<W: RingWord>(
        _ operation: Operation, _ shares: [ArithmeticShare<W>], publicArguments: [Value] = []
    ) throws -> ArithmeticShare<W> {
        switch operation {
        case .sum, .cumSum, .permuteAxes, .get, .getSlice, .reshape, .stack, .concatenate:
            guard publicArguments.isEmpty else {
                throw ConfideError(.invalidArgument, "\(operation.name) takes no public arguments, found \(publicArguments.count)")
            }
        case .gather:
            guard shares.count == 1, publicArguments.count == 1 else {
                throw ConfideError(.invalidArgument, "Gather takes one share and public indices, found \(shares.count) and \(publicArguments.count)")
            }
        default:
            throw ConfideError(.unsupportedOperation, "\(operation.name) is not a local linear operation on shares")
        }
        let firsts = shares.map { Value.tensor($0.components.first) } + publicArguments
        let seconds = shares.map { Value.tensor($0.components.second) } + publicArguments
        guard case let .tensor(a) = try Evaluator.apply(operation, to: firsts), case let .tensor(b) = try Evaluator.apply(operation, to: seconds)
        else {
            throw ConfideError(.typeMismatch, "\(operation.name) does not give a tensor")
        }
        return try ArithmeticShare(components: a, b)
    }

    /// Completes a multiplication: party i holds z_i of a 3-out-of-3 sharing, sends it to its
    /// predecessor and receives z_{i+1} from its successor.
    /// Communication: 1 round, n·w bytes to the predecessor.
    func reshare<W: RingWord>(_ z: [W], scalarType: ScalarType, shape: [Int], tag: MessageTag) async throws -> ArithmeticShare<W> {
        // comm: 1 round, n·w bytes to the predecessor
        let bytes = try await sendPreviousReceiveNext(WireCodec.encode(z, scalarType), tag: tag)
        let received: [W] = try WireCodec.decode(bytes, count: z.count, scalarType, from: next, tag: tag)
        return ArithmeticShare(unchecked: scalarType, shape: shape, first: z, second: received)
    }

    /// - Throws: `.typeMismatch` for different scalar types, `.shapeMismatch` for different shapes.
    func checkSameType(_ a: ValueType, _ b: ValueType, _ kernel: String) throws {
        guard let shapeA = a.shape, let sa = a.scalarType, let shapeB = b.shape, let sb = b.scalarType else {
            throw ConfideError(.typeMismatch, "\(kernel): expected tensors, found \(a) and \(b)")
        }
        guard sa == sb else { throw ConfideError(.typeMismatch, "\(kernel): operands of types \(a) and \(b) have different scalar types") }
        guard shapeA == shapeB else { throw ConfideError(.shapeMismatch, "\(kernel): operands of types \(a) and \(b) have different shapes") }
    }

    private func combine<W: RingWord>(_ x: ArithmeticShare<W>, _ y: ArithmeticShare<W>, _ op: (W, W) -> W) -> ArithmeticShare<W> {
        let mask = W.mask(x.scalarType)
        return ArithmeticShare(
            unchecked: x.scalarType, shape: x.shape, first: Self.zipWords(x.first, y.first) { op($0, $1) & mask },
            second: Self.zipWords(x.second, y.second) { op($0, $1) & mask })
    }

    /// Element-wise combination of two equally long word arrays.
    @inline(__always)
    static func zipWords<W: RingWord>(_ a: [W], _ b: [W], _ op: (W, W) -> W) -> [W] {
        [W](unsafeUninitializedCapacity: a.count) { out, initialized in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    for i in 0..<pa.count { out[i] = op(pa[i], pb[i]) }
                }
            }
            initialized = a.count
        }
    }
}
