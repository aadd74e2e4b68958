import ConfideCore

/// Custom operations on binary numbers: bit arrays whose last dimension holds one number, least
/// significant bit first (CipherCore's `A2B` layout). The other dimensions broadcast (NumPy rules).
///
/// `Equal`, `NotEqual`, `GreaterThan`, `GreaterThanEqualTo`, `LessThan`, `LessThanEqualTo` (bit
/// results), `Max`, `Min` (binary-number results), `BinaryAdd` and `Clip2K`. With
/// `signed_comparison`, numbers are two's complement: CipherCore flips the most significant bit and
/// compares unsigned.
enum ExtendedBinaryNumberOps {
    /// The comparison custom operations.
    enum Comparison: String, CaseIterable {
        case equal = "Equal", notEqual = "NotEqual", greaterThan = "GreaterThan"
        case greaterThanEqualTo = "GreaterThanEqualTo", lessThan = "LessThan", lessThanEqualTo = "LessThanEqualTo"

        /// Whether the operation reads `signed_comparison` (Equal and NotEqual do not).
        var hasSignedParameter: Bool { self != .equal && self != .notEqual }

        func holds(_ order: Int) -> Bool {
            switch self {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .greaterThan: return order > 0
            case .greaterThanEqualTo: return order >= 0
            case .lessThan: return order < 0
            case .lessThanEqualTo: return order <= 0
            }
        }
    }

    /// Two binary-number arguments aligned for broadcasting.
    private struct Pair {
        let a: [UInt64]
        let b: [UInt64]
        /// Bits per number.
        let width: Int
        /// The broadcast shape without the bit dimension.
        let outer: [Int]
        /// For each output number, the index of the number of `a` / `b` (nil: identity).
        let rowA: [Int]?
        let rowB: [Int]?
        var rows: Int { Tensor.elementCount(outer) }

        @inline(__always) func startA(_ r: Int) -> Int { (rowA?[r] ?? r) * width }
        @inline(__always) func startB(_ r: Int) -> Int { (rowB?[r] ?? r) * width }

        /// -1, 0 or 1 as number r of `a` is below, equal to or above number r of `b`.
        @inline(__always) func order(_ r: Int, signed: Bool) -> Int {
            let sa = startA(r), sb = startB(r)
            var j = width - 1
            if signed {
                if a[sa + j] != b[sb + j] { return a[sa + j] != 0 ? -1 : 1 }
                j -= 1
            }
            while j >= 0 {
                if a[sa + j] != b[sb + j] { return a[sa + j] != 0 ? 1 : -1 }
                j -= 1
            }
            return 0
        }
    }

    /// Checks two bit-array arguments with equal last dimensions and aligns them.
    private static func pair(_ args: ExtendedArguments, signed: Bool) throws -> Pair {
        try args.expectCount(2)
        let x = try args.bitArray(0)
        let y = try args.bitArray(1)
        let width = x.shape.last!
        guard y.shape.last! == width else {
            throw ConfideError(.shapeMismatch, "\(args.op): the last dimensions (bits per number) differ, found \(x.type) and \(y.type)")
        }
        if signed, width < 2 {
            throw ConfideError(.invalidArgument, "\(args.op): signed numbers need at least 2 bits, found \(width)")
        }
        let outerX = Array(x.shape.dropLast()), outerY = Array(y.shape.dropLast())
        let outer: [Int]
        do {
            outer = try Broadcast.shape(outerX, outerY)
        } catch {
            throw ConfideError(.shapeMismatch, "\(args.op): shapes \(x.shape) and \(y.shape) cannot be broadcast together")
        }
        try checkSize(.array(outer + [width], .bit), args)
        return Pair(
            a: x.narrowWords!, b: y.narrowWords!, width: width, outer: outer,
            rowA: Broadcast.sourceIndices(from: outerX, to: outer), rowB: Broadcast.sourceIndices(from: outerY, to: outer))
    }

    /// - Throws: `.tooLarge` when broadcasting produces a result larger than the evaluator builds.
    static func checkSize(_ type: ValueType, _ args: ExtendedArguments) throws {
        do {
            try Evaluator.coreCheckBuildable(type)
        } catch let error as ConfideError {
            throw error.prefixed(args.op)
        }
    }

    /// A comparison: a bit per pair of numbers, with the broadcast shape without the bit dimension.
    static func compare(_ comparison: Comparison, _ op: CustomOperation, _ args: ExtendedArguments) throws -> Value {
        let signed = comparison.hasSignedParameter ? try op.extendedBool("signed_comparison") : false
        let p = try pair(args, signed: signed)
        let out = (0..<p.rows).map { UInt64(comparison.holds(p.order($0, signed: signed)) ? 1 : 0) }
        return .tensor(Tensor(unchecked: .bit, shape: p.outer, storage: .narrow(out)))
    }

    /// `Max` / `Min`: the larger / smaller binary number of each pair, shape `outer + [bits]`.
    static func extremum(max: Bool, _ op: CustomOperation, _ args: ExtendedArguments) throws -> Value {
        let signed = try op.extendedBool("signed_comparison")
        let p = try pair(args, signed: signed)
        var out = [UInt64]()
        out.reserveCapacity(p.rows * p.width)
        for r in 0..<p.rows {
            let takeA = (p.order(r, signed: signed) > 0) == max
            if takeA {
                out.append(contentsOf: p.a[p.startA(r)..<p.startA(r) + p.width])
            } else {
                out.append(contentsOf: p.b[p.startB(r)..<p.startB(r) + p.width])
            }
        }
        return .tensor(Tensor(unchecked: .bit, shape: p.outer + [p.width], storage: .narrow(out)))
    }

    /// `BinaryAdd`: the sum modulo 2^bits of each pair, shape `outer + [bits]`; the number of bits
    /// must be a power of two. With `overflow_bit`, a tuple of the sum and the carry out (shape `outer + [1]`).
    static func binaryAdd(_ op: CustomOperation, _ args: ExtendedArguments) throws -> Value {
        let overflow = try op.extendedBool("overflow_bit")
        let p = try pair(args, signed: false)
        guard p.width.nonzeroBitCount == 1 else {
            throw ConfideError(.invalidArgument, "BinaryAdd: the number of bits must be a power of two, found \(p.width)")
        }
        var sum = [UInt64](repeating: 0, count: p.rows * p.width)
        var carries = [UInt64](repeating: 0, count: p.rows)
        for r in 0..<p.rows {
            let sa = p.startA(r), sb = p.startB(r)
            var carry: UInt64 = 0
            for j in 0..<p.width {
                let x = p.a[sa + j], y = p.b[sb + j]
                sum[r * p.width + j] = x ^ y ^ carry
                carry = (x & y) | (carry & (x ^ y))
            }
            carries[r] = carry
        }
        let total = Value.tensor(Tensor(unchecked: .bit, shape: p.outer + [p.width], storage: .narrow(sum)))
        guard overflow else { return total }
        return .tuple([total, .tensor(Tensor(unchecked: .bit, shape: p.outer + [1], storage: .narrow(carries)))])
    }

    /// `Clip2K(k)`: clips two's complement binary numbers to [0, 2^k]; requires k ≤ bits − 2.
    static func clip2K(_ op: CustomOperation, _ args: ExtendedArguments) throws -> Value {
        let k = try op.extendedUnsigned("k")
        try args.expectCount(1)
        let x = try args.bitArray(0)
        let width = x.shape.last!
        guard k < UInt64(width - 1) else {
            throw ConfideError(.invalidArgument, "Clip2K: k must be at most bits − 2 = \(width - 2), found \(k)")
        }
        let kk = Int(k)
        var bits = x.narrowWords!
        for start in stride(from: 0, to: bits.count, by: width) {
            let negative = bits[start + width - 1] != 0
            let large = bits[(start + kk)..<(start + width)].contains { $0 != 0 }
            guard large else { continue }
            for j in 0..<width { bits[start + j] = 0 }
            if !negative { bits[start + kk] = 1 }
        }
        return .tensor(Tensor(unchecked: .bit, shape: x.shape, storage: .narrow(bits)))
    }
}
