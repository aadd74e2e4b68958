import ConfideCore

/// The custom operations `Not`, `Or` and `Mux`.
enum ExtendedBitwiseOps {
    /// `Not`: flips every bit of a bit scalar or array.
    static func not(_ args: ExtendedArguments) throws -> Value {
        try args.expectCount(1)
        let x = try bitTensor(args, 0)
        return .tensor(x.mapResidues { $0 ^ 1 })
    }

    /// `Or`: element-wise OR of two bit scalars or arrays, with NumPy broadcasting.
    static func or(_ args: ExtendedArguments) throws -> Value {
        try args.expectCount(2)
        let a = try bitTensor(args, 0)
        let b = try bitTensor(args, 1)
        let shape: [Int]
        do {
            shape = try Broadcast.shape(a.shape, b.shape)
        } catch let error as ConfideError {
            throw error.prefixed(args.op)
        }
        try ExtendedBinaryNumberOps.checkSize(.tensor(shape, .bit), args)
        return .tensor(try a.elementwise(.or, b))
    }

    /// `Mux(flag, x1, x0)`: chooses per element between two scalars or arrays of one scalar type by
    /// a bit flag, with NumPy broadcasting of all three.
    ///
    /// This follows the graph CipherCore instantiates for `Mux`, which differs by scalar type: for
    /// `bit` choices the result is `x1` where the flag is 1 and `x0` where it is 0 (as documented);
    /// for integer choices CipherCore computes `x0·flag + x1·(1−flag)`, i.e. `x0` where the flag is 1.
    static func mux(_ args: ExtendedArguments) throws -> Value {
        try args.expectCount(3)
        let flag = try bitTensor(args, 0)
        let x1 = try args.tensor(1)
        let x0 = try args.tensor(2)
        guard x1.scalarType == x0.scalarType else {
            throw ConfideError(.typeMismatch, "Mux: the choices must have the same scalar type, found \(x1.type) and \(x0.type)")
        }
        let shape: [Int]
        do {
            shape = try Broadcast.shape([flag.shape, x1.shape, x0.shape])
        } catch let error as ConfideError {
            throw error.prefixed(args.op)
        }
        try ExtendedBinaryNumberOps.checkSize(.tensor(shape, x1.scalarType), args)
        let count = Tensor.elementCount(shape)
        let f = flag.narrowWords!
        let fi = Broadcast.sourceIndices(from: flag.shape, to: shape)
        // CipherCore's instantiated graph: bits pick x1 on 1, integers pick x0 on 1.
        let (onOne, onZero) = x1.scalarType == .bit ? (x1, x0) : (x0, x1)
        let oi = Broadcast.sourceIndices(from: onOne.shape, to: shape)
        let zi = Broadcast.sourceIndices(from: onZero.shape, to: shape)
        func pick<W: RingWord>(_ one: [W], _ zero: [W]) -> [W] {
            (0..<count).map { k in
                f[fi?[k] ?? k] != 0 ? one[oi?[k] ?? k] : zero[zi?[k] ?? k]
            }
        }
        switch (onOne.storage, onZero.storage) {
        case let (.narrow(a), .narrow(b)):
            return .tensor(Tensor(unchecked: x1.scalarType, shape: shape, storage: .narrow(pick(a, b))))
        case let (.wide(a), .wide(b)):
            return .tensor(Tensor(unchecked: x1.scalarType, shape: shape, storage: .wide(pick(a, b))))
        default:
            throw ConfideError(.typeMismatch, "Mux: the choices have different storage")
        }
    }

    private static func bitTensor(_ args: ExtendedArguments, _ index: Int) throws -> Tensor {
        let t = try args.tensor(index)
        guard t.scalarType == .bit else {
            throw ConfideError(.typeMismatch, "\(args.op): argument \(index) must be a bit scalar or array, found \(t.type)")
        }
        return t
    }
}
