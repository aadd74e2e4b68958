import ConfideCore
import ConfideGraph

extension SecureProgram {
    /// Why an operation with a secret argument cannot run on shares, or nil when a kernel covers it.
    /// - Parameter secretArguments: which arguments may be secret.
    static func kernelGap(_ operation: Operation, argumentTypes: [ValueType], secretArguments: [Bool]) -> String? {
        switch operation {
        case .input, .zeros, .ones, .constant, .add, .subtract, .multiply, .mixedMultiply, .dot, .matmul, .gemm, .sum, .cumSum,
            .permuteAxes, .get, .getSlice, .reshape, .stack, .concatenate, .a2b, .b2a, .nop, .createTuple, .createNamedTuple,
            .createVector, .tupleGet, .namedTupleGet, .zip, .repeat, .arrayToVector, .vectorToArray, .call, .iterate, .sort,
            .random, .randomPermutation:
            return nil
        case .gather:
            return secretArguments.count > 1 && secretArguments[1] ? "Gather needs public indices" : nil
        case .applyPermutation:
            let bits = argumentTypes.first?.scalarType == .bit
            return bits && secretArguments.count > 1 && secretArguments[1] ? "ApplyPermutation of bits by a secret permutation is not supported; convert the bits with B2A first" : nil
        case .inversePermutation:
            return nil
        case .vectorGet:
            return secretArguments.count > 1 && secretArguments[1] ? "VectorGet needs a public index" : nil
        case let .truncate(scale):
            guard let bits = argumentTypes.first?.scalarType?.bits, bits == 128 || scale >> UInt128(bits) == 0 else {
                return "truncation of secrets needs a scale below the ring size, found \(scale)"
            }
            return nil
        case let .custom(custom):
            return supportedCustomOperations.contains(custom.name) ? nil : "custom operation \(custom.name) on secret values is not supported yet"
        case let .join(masks, arguments):
            guard argumentTypes.count == 2 else { return nil }
            do { _ = try SecureJoinLayout(argumentTypes[0], argumentTypes[1], arguments: arguments, withColumnMasks: masks) } catch let error as ConfideError {
                return error.message
            } catch { return "\(error)" }
            return nil
        default:
            return "\(operation.name) on secret values is not supported by the secure planner yet"
        }
    }

    /// The custom operations the planner runs on shares.
    static let supportedCustomOperations: Set<String> = [
        "Not", "Or", "Mux", "Clip2K", "Equal", "NotEqual", "GreaterThan", "GreaterThanEqualTo", "LessThan", "LessThanEqualTo",
        "Max", "Min", "BinaryAdd", "SortByIntegerKey",
    ]

    /// A node with at least one secret argument, on shares.
    func secureKernel(_ op: Operation, _ args: [SecureValue], outputType: ValueType, party: ABY3Party) async throws -> SecureValue {
        switch op {
        case .add, .subtract, .multiply:
            if outputType.scalarType == .bit {
                return .shared(try await bitwise(op == .multiply ? .and : .xor, args[0], args[1], outputShape: outputType.shape!, party: party))
            }
            return .shared(try await elementwise(op, args[0], args[1], outputShape: outputType.shape!, party: party))
        case let .truncate(scale):
            switch try tensor(args[0], party: party) {
            case let .arithmetic64(x): return .shared(.arithmetic64(try await party.truncA(x, divisor: scale)))
            case let .arithmetic128(x): return .shared(.arithmetic128(try await party.truncA(x, divisor: scale)))
            case .binary: throw ConfideError(.typeMismatch, "Truncate of bits")
            }
        case .a2b:
            switch try tensor(args[0], party: party) {
            case let .arithmetic64(x): return .shared(.binary(try await party.a2b(x)))
            case let .arithmetic128(x): return .shared(.binary(try await party.a2b(x)))
            case .binary(let b): return .shared(.binary(b))
            }
        case let .b2a(scalarType):
            let bits = try tensor(args[0], party: party).binary("B2A")
            if scalarType.isWide { return .shared(.arithmetic128(try await party.b2a(bits, scalarType))) }
            return .shared(.arithmetic64(try await party.b2a(bits, scalarType)))
        case .mixedMultiply:
            let shape = outputType.shape!
            let bits = try broadcast(try tensor(args[1], party: party), to: shape).binary("MixedMultiply")
            switch try broadcast(try tensor(args[0], party: party), to: shape) {
            case let .arithmetic64(x): return .shared(.arithmetic64(try await party.mulAB(x, bits)))
            case let .arithmetic128(x): return .shared(.arithmetic128(try await party.mulAB(x, bits)))
            case let .binary(x): return .shared(.binary(try await party.andBB(x, bits)))
            }
        case let .sort(key):
            return try await sorted(args[0], key: key, binaryKey: true, party: party)
        case let .custom(custom) where custom.name == "SortByIntegerKey":
            guard let key = custom["key"]?.stringValue else { throw ConfideError(.invalidArgument, "SortByIntegerKey needs a string parameter key") }
            return try await sorted(args[0], key: key, binaryKey: false, party: party)
        case let .custom(custom) where custom.name == "BinaryAdd":
            let sumShape = outputType.childTypes?.first?.shape ?? outputType.shape!
            let a = try broadcast(try tensor(args[0], party: party), to: sumShape).binary("BinaryAdd")
            let b = try broadcast(try tensor(args[1], party: party), to: sumShape).binary("BinaryAdd")
            let (sum, carry) = try await party.binaryAddB(a, b)
            guard let carryType = outputType.childTypes?.last, outputType.childTypes?.count == 2 else { return .shared(.binary(sum)) }
            return .tuple([.shared(.binary(sum)), .shared(.binary(try carry.reshaped(carryType.shape!)))])
        case let .custom(custom):
            return .shared(try await customKernel(custom, args, outputType: outputType, party: party))
        case .matmul, .dot, .gemm:
            return .shared(try await product(op, args[0], args[1], party: party))
        case let .applyPermutation(inverse):
            return .shared(try await permuted(args[0], by: args[1], inverse: inverse, party: party))
        case .inversePermutation:
            return .shared(try await inverted(args[0], party: party))
        case let .join(masks, arguments):
            return try await joined(args[0], args[1], arguments: arguments, withColumnMasks: masks, outputType: outputType, party: party)
        case .sum, .cumSum, .permuteAxes, .get, .getSlice, .reshape:
            return .shared(try linear(op, [try tensor(args[0], party: party)], publicArguments: []))
        case .stack, .concatenate:
            return .shared(try linear(op, try args.map { try tensor($0, party: party) }, publicArguments: []))
        case .gather:
            guard let indices = args[1].publicValue else {
                throw ConfideError(.unsupportedOperation, "Gather with secret indices is not supported; the indices must be public")
            }
            return .shared(try linear(op, [try tensor(args[0], party: party)], publicArguments: [indices]))
        case .arrayToVector:
            let array = try tensor(args[0], party: party)
            let count = array.shape.first ?? 0
            return .vector(
                elementType: outputType.childTypes?.first ?? .tuple([]),
                try (0..<count).map { i in .shared(try linear(.get([i]), [array], publicArguments: [])) })
        case .vectorToArray:
            let items = try args[0].children!.map { try tensor($0, party: party) }
            return .shared(try linear(.stack([items.count]), items, publicArguments: []))
        default:
            throw ConfideError(.unsupportedOperation, "\(op.name) on secret values is not supported by the secure planner")
        }
    }

    enum BitOperation { case xor, and }

    /// XOR (bit Add/Subtract) and AND (bit Multiply) with broadcasting; a public operand stays public.
    private func bitwise(_ op: BitOperation, _ x: SecureValue, _ y: SecureValue, outputShape: [Int], party: ABY3Party) async throws -> SharedTensor {
        if let p = y.publicValue?.tensor ?? x.publicValue?.tensor {
            let secret = try broadcast(try tensor(y.isPublic ? x : y, party: party), to: outputShape).binary(op == .xor ? "Add" : "Multiply")
            let plain = try Self.broadcastTensor(p, to: outputShape)
            return .binary(op == .xor ? try party.xorBP(secret, plain) : try party.andBP(secret, plain))
        }
        let a = try broadcast(try tensor(x, party: party), to: outputShape).binary("bit operand")
        let b = try broadcast(try tensor(y, party: party), to: outputShape).binary("bit operand")
        return .binary(op == .xor ? try party.xorBB(a, b) : try await party.andBB(a, b))
    }

    /// The custom operations on shares.
    private func customKernel(_ custom: CustomOperation, _ args: [SecureValue], outputType: ValueType, party: ABY3Party) async throws -> SharedTensor {
        let shape = outputType.shape!
        switch custom.name {
        case "Not":
            return .binary(party.notB(try tensor(args[0], party: party).binary("Not")))
        case "Or":
            let a = try broadcast(try tensor(args[0], party: party), to: shape).binary("Or")
            let b = try broadcast(try tensor(args[1], party: party), to: shape).binary("Or")
            return .binary(try await party.orBB(a, b))
        case "Mux":
            let flag = try broadcast(try tensor(args[0], party: party), to: shape).binary("Mux")
            let choice1 = try broadcast(try tensor(args[1], party: party), to: shape)
            let choice0 = try broadcast(try tensor(args[2], party: party), to: shape)
            switch (choice1, choice0) {
            case let (.arithmetic64(a), .arithmetic64(b)): return .arithmetic64(try await party.muxA(flag, a, b))
            case let (.arithmetic128(a), .arithmetic128(b)): return .arithmetic128(try await party.muxA(flag, a, b))
            case let (.binary(a), .binary(b)): return .binary(try await party.muxB(flag, a, b))
            default: throw ConfideError(.typeMismatch, "Mux choices of types \(choice1.type) and \(choice0.type) differ")
            }
        case "Equal", "NotEqual", "GreaterThan", "GreaterThanEqualTo", "LessThan", "LessThanEqualTo", "Max", "Min":
            let width = args[0].type.shape!.last!
            let operandShape = custom.name == "Max" || custom.name == "Min" ? shape : shape + [width]
            let a = try broadcast(try tensor(args[0], party: party), to: operandShape).binary(custom.name)
            let b = try broadcast(try tensor(args[1], party: party), to: operandShape).binary(custom.name)
            let signed = custom["signed_comparison"]?.boolValue ?? false
            switch custom.name {
            case "Max": return .binary(try await party.maxB(a, b, signed: signed))
            case "Min": return .binary(try await party.minB(a, b, signed: signed))
            default:
                let comparison = ABY3Comparison(rawValue: custom.name)!
                return .binary(try await party.compareB(comparison, a, b, signed: signed))
            }
        case "Clip2K":
            guard let k = custom["k"]?.integer(as: Int.self) else { throw ConfideError(.invalidArgument, "Clip2K needs an integer parameter k") }
            return .binary(try await party.clip2KB(try tensor(args[0], party: party).binary("Clip2K"), k: k))
        default:
            throw ConfideError(.unsupportedOperation, "custom operation \(custom.name) is not supported by the secure planner")
        }
    }

    /// Sort / SortByIntegerKey of a named tuple of columns; public columns are shared first (the
    /// order is secret).
    private func sorted(_ table: SecureValue, key: String, binaryKey: Bool, party: ABY3Party) async throws -> SecureValue {
        guard case let .namedTuple(type) = table.type, let children = table.children else {
            throw ConfideError(.typeMismatch, "sorting needs a named tuple of columns, found \(table.type)")
        }
        let columns = try zip(type, children).map { (name: $0.name, value: try tensor($1, party: party)) }
        let result = try await party.sortColumns(columns, key: key, binaryKey: binaryKey)
        return .namedTuple(result.map { ($0.name, .shared($0.value)) })
    }

    /// A tensor argument as a share (a public tensor becomes a share without communication).
    func tensor(_ value: SecureValue, party: ABY3Party) throws -> SharedTensor {
        switch value {
        case let .shared(s): return s
        case let .plain(v):
            guard let t = v.tensor else { throw ConfideError(.typeMismatch, "expected a scalar or array, found \(v.type)") }
            return try party.sharePublic(t)
        default: throw ConfideError(.typeMismatch, "expected a scalar or array, found \(value.type)")
        }
    }

    /// A linear operation applied to each share component (no communication).
    func linear(_ op: Operation, _ shares: [SharedTensor], publicArguments: [Value]) throws -> SharedTensor {
        switch shares[0] {
        case .arithmetic64:
            let parts = try shares.map { try $0.arithmetic64(op.name) }
            return .arithmetic64(try SecureProgram.applyComponents(op, parts, publicArguments))
        case .arithmetic128:
            let parts = try shares.map { try $0.arithmetic128(op.name) }
            return .arithmetic128(try SecureProgram.applyComponents(op, parts, publicArguments))
        case .binary:
            let parts = try shares.map { try $0.binary(op.name) }
            return .binary(try SecureProgram.applyBitComponents(op, parts, publicArguments))
        }
    }

    /// Applies a linear operation to each component of arithmetic shares.
    static func applyComponents<W: RingWord>(_ op: Operation, _ shares: [ArithmeticShare<W>], _ publics: [Value]) throws -> ArithmeticShare<W> {
        let firsts = shares.map { Value.tensor($0.components.first) } + publics
        let seconds = shares.map { Value.tensor($0.components.second) } + publics
        guard let a = try Evaluator.apply(op, to: firsts).tensor, let b = try Evaluator.apply(op, to: seconds).tensor else {
            throw ConfideError(.typeMismatch, "\(op.name) does not give a tensor")
        }
        return try ArithmeticShare(components: a, b)
    }

    /// Applies a rearranging (or, for bits, GF(2)-linear) operation to each component of XOR shares.
    static func applyBitComponents(_ op: Operation, _ shares: [BinaryShare], _ publics: [Value]) throws -> BinaryShare {
        if publics.isEmpty, let first = PackedBitLayout.apply(op, shapes: shares.map(\.shape), shares.map(\.first)),
            let second = PackedBitLayout.apply(op, shapes: shares.map(\.shape), shares.map(\.second))
        {
            // The common layouts move packed words directly.
            return BinaryShare(unchecked: first.shape, first: first.words, second: second.words)
        }
        func bits(_ words: [UInt64], _ share: BinaryShare) -> Value {
            .tensor(Tensor(unchecked: .bit, shape: share.shape, storage: .narrow(BinaryShare.unpack(words, count: share.count))))
        }
        guard let a = try Evaluator.apply(op, to: shares.map { bits($0.first, $0) } + publics).tensor,
            let b = try Evaluator.apply(op, to: shares.map { bits($0.second, $0) } + publics).tensor
        else {
            throw ConfideError(.typeMismatch, "\(op.name) does not give a tensor")
        }
        return try BinaryShare(shape: a.shape, first: BinaryShare.pack(a.narrowWords!), second: BinaryShare.pack(b.narrowWords!))
    }

    /// `share` broadcast to `shape` (NumPy rules; local).
    func broadcast(_ share: SharedTensor, to shape: [Int]) throws -> SharedTensor {
        guard let indices = Broadcast.sourceIndices(from: share.shape, to: shape) else { return share }
        func gather<W: RingWord>(_ s: ArithmeticShare<W>) -> ArithmeticShare<W> {
            let (a, b) = s.components
            return ArithmeticShare(
                unchecked: s.scalarType, shape: shape, first: W.words(a.gathered(indices, shape: shape).storage)!,
                second: W.words(b.gathered(indices, shape: shape).storage)!)
        }
        switch share {
        case let .arithmetic64(s): return .arithmetic64(gather(s))
        case let .arithmetic128(s): return .arithmetic128(gather(s))
        case let .binary(s):
            let a = BinaryShare.unpack(s.first, count: s.count), b = BinaryShare.unpack(s.second, count: s.count)
            return .binary(BinaryShare(unchecked: shape, first: BinaryShare.pack(indices.map { a[$0] }), second: BinaryShare.pack(indices.map { b[$0] })))
        }
    }

    /// Add, Subtract, Multiply with broadcasting; public operands stay public where the kernel allows.
    private func elementwise(_ op: Operation, _ x: SecureValue, _ y: SecureValue, outputShape: [Int], party: ABY3Party) async throws -> SharedTensor {
        let px = x.publicValue?.tensor.map { try? Self.broadcastTensor($0, to: outputShape) } ?? nil
        let py = y.publicValue?.tensor.map { try? Self.broadcastTensor($0, to: outputShape) } ?? nil
        func run<W: RingWord>(_: W.Type, _ wrap: (ArithmeticShare<W>) -> SharedTensor, _ unwrap: (SharedTensor) throws -> ArithmeticShare<W>) async throws
            -> SharedTensor
        {
            switch (op, px, py) {
            case (.add, _, let p?): return wrap(try party.addAP(try unwrap(try broadcast(try tensor(x, party: party), to: outputShape)), p))
            case (.add, let p?, _): return wrap(try party.addAP(try unwrap(try broadcast(try tensor(y, party: party), to: outputShape)), p))
            case (.subtract, _, let p?):
                let negated = try Evaluator.apply(.subtract, to: [.tensor(Tensor.zeros(p.scalarType, shape: p.shape)), .tensor(p)]).tensor!
                return wrap(try party.addAP(try unwrap(try broadcast(try tensor(x, party: party), to: outputShape)), negated))
            case (.subtract, let p?, _):
                return wrap(try party.addAP(party.negA(try unwrap(try broadcast(try tensor(y, party: party), to: outputShape))), p))
            case (.multiply, _, let p?): return wrap(try party.mulAP(try unwrap(try broadcast(try tensor(x, party: party), to: outputShape)), p))
            case (.multiply, let p?, _): return wrap(try party.mulAP(try unwrap(try broadcast(try tensor(y, party: party), to: outputShape)), p))
            default:
                let a = try unwrap(try broadcast(try tensor(x, party: party), to: outputShape))
                let b = try unwrap(try broadcast(try tensor(y, party: party), to: outputShape))
                switch op {
                case .add: return wrap(try party.addAA(a, b))
                case .subtract: return wrap(try party.subAA(a, b))
                default: return wrap(try await party.mulAA(a, b))
                }
            }
        }
        if x.type.scalarType?.isWide == true {
            return try await run(UInt128.self, { .arithmetic128($0) }, { try $0.arithmetic128(op.name) })
        }
        return try await run(UInt64.self, { .arithmetic64($0) }, { try $0.arithmetic64(op.name) })
    }

    /// A public tensor broadcast to `shape`.
    static func broadcastTensor(_ t: Tensor, to shape: [Int]) throws -> Tensor {
        guard let indices = Broadcast.sourceIndices(from: t.shape, to: shape) else { return t }
        return t.gathered(indices, shape: shape)
    }

    /// Matmul, Dot and Gemm. A public operand multiplies each share component locally; two secret
    /// operands take one `matmulAA` (or `mulAA` for scalars and vectors).
    private func product(_ op: Operation, _ x: SecureValue, _ y: SecureValue, party: ABY3Party) async throws -> SharedTensor {
        if let p = x.publicValue {
            return try linearWithPublic(op, publicFirst: true, p, try tensor(y, party: party))
        }
        if let p = y.publicValue {
            return try linearWithPublic(op, publicFirst: false, p, try tensor(x, party: party))
        }
        var a = try tensor(x, party: party), b = try tensor(y, party: party)
        var operation = op
        if case let .gemm(transposeA, transposeB) = op {
            if transposeA { a = try linear(.permuteAxes(Self.swapLastTwo(a.shape.count)), [a], publicArguments: []) }
            if transposeB { b = try linear(.permuteAxes(Self.swapLastTwo(b.shape.count)), [b], publicArguments: []) }
            operation = .matmul
        }
        if case .dot = operation {
            switch (a.shape.count, b.shape.count) {
            case (0, _), (_, 0):
                let shape = try Broadcast.shape(a.shape, b.shape)
                return try await productAA(.multiply, try broadcast(a, to: shape), try broadcast(b, to: shape), party: party)
            case (1, 1):
                let products = try await productAA(.multiply, a, b, party: party)
                return try linear(.sum([0]), [products], publicArguments: [])
            case (2, 2), (1, 2), (2, 1):
                operation = .matmul
            default:
                throw ConfideError(.unsupportedOperation, "Dot of secret operands of ranks \(a.shape.count) and \(b.shape.count) is not supported")
            }
        }
        // NumPy matmul promotes vectors to matrices and drops the added axis.
        let promoteA = a.shape.count == 1, promoteB = b.shape.count == 1
        if promoteA { a = try linear(.reshape(.array([1] + a.shape, a.scalarType)), [a], publicArguments: []) }
        if promoteB { b = try linear(.reshape(.array(b.shape + [1], b.scalarType)), [b], publicArguments: []) }
        var result = try await productAA(.matmul, a, b, party: party)
        if promoteA || promoteB {
            var shape = result.shape
            if promoteB { shape.removeLast() }
            if promoteA { shape.remove(at: shape.count - (promoteB ? 1 : 2)) }
            result = try linear(.reshape(.tensor(shape, result.scalarType)), [result], publicArguments: [])
        }
        return result
    }

    private func productAA(_ op: Operation, _ a: SharedTensor, _ b: SharedTensor, party: ABY3Party) async throws -> SharedTensor {
        switch (a, b) {
        case let (.arithmetic64(x), .arithmetic64(y)):
            return .arithmetic64(op == .matmul ? try await party.matmulAA(x, y) : try await party.mulAA(x, y))
        case let (.arithmetic128(x), .arithmetic128(y)):
            return .arithmetic128(op == .matmul ? try await party.matmulAA(x, y) : try await party.mulAA(x, y))
        default:
            throw ConfideError(.unsupportedOperation, "\(op.name) of secret \(a.type) and \(b.type) is not supported")
        }
    }

    /// A product with one public operand: linear in the secret one, applied to each component.
    private func linearWithPublic(_ op: Operation, publicFirst: Bool, _ p: Value, _ s: SharedTensor) throws -> SharedTensor {
        func apply<W: RingWord>(_ share: ArithmeticShare<W>) throws -> ArithmeticShare<W> {
            let (a, b) = share.components
            let args: (Value) -> [Value] = { publicFirst ? [p, $0] : [$0, p] }
            guard let x = try Evaluator.apply(op, to: args(.tensor(a))).tensor, let y = try Evaluator.apply(op, to: args(.tensor(b))).tensor else {
                throw ConfideError(.typeMismatch, "\(op.name) does not give a tensor")
            }
            return try ArithmeticShare(components: x, y)
        }
        switch s {
        case let .arithmetic64(share): return .arithmetic64(try apply(share))
        case let .arithmetic128(share): return .arithmetic128(try apply(share))
        case .binary: throw ConfideError(.unsupportedOperation, "\(op.name) of bit values is not supported")
        }
    }

    static func swapLastTwo(_ rank: Int) -> [Int] {
        guard rank >= 2 else { return Array(0..<rank) }
        return Array(0..<(rank - 2)) + [rank - 1, rank - 2]
    }
}
