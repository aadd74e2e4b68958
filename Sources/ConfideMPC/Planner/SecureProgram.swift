import ConfideCore
import ConfideGraph

/// An uncompiled (plain) CipherCore graph planned onto ABY3 kernels: Confide's own secure
/// planner, in place of CipherCore's closed compiler and runtime.
///
/// Every party runs the same program: each node becomes kernel calls chosen by the visibility of
/// its arguments. Public values stay public (computed in the clear by every party, no sharing);
/// an operation touching a secret runs on shares; secrets leave their shares only through the
/// declared output. `Call` and `Iterate` are inlined.
public struct SecureProgram: Sendable {
    public let context: Context
    public let spec: IOSpec
    public let mainIndex: Int
    /// Node types per graph (`TypeInference.inferTypes`).
    let types: [[ValueType]]
    /// The types of the main graph's inputs, in node order.
    public let inputTypes: [ValueType]

    /// Checks the graph and the I/O spec before any party starts.
    /// - Throws: the first ill-typed node's inference error; `.wrongInputCount` when the spec does not
    ///   have one entry per input; `.invalidArgument` for an output party that does not exist;
    ///   `.unsupportedOperation` naming the first node the planner cannot run securely (Random,
    ///   Print, …); `.outOfRange` naming an unsigned LongDivision whose dividend is wider than its
    ///   divisor; `.tooLarge` for a node too large to hold.
    ///
    /// CipherCore's fixed-point custom operations (FixedMultiply, NewtonInversion, InverseSqrt,
    /// GoldschmidtDivision, TaylorExponent and the piecewise-linear approximations), LongDivision
    /// and AucScore are first replaced by their graphs of basic operations (``CustomExpansion``),
    /// which run on the kernels;
    /// ``context`` is the expanded graph.
    public init(_ original: Context, spec: IOSpec) throws {
        let context = try SecureProgram.expanded(original)
        let mainIndex = try context.mainIndex()
        let types = try TypeInference.inferTypes(context)
        try Evaluator.checkMaterializable(types, context)
        let main = context.graphs[mainIndex]
        let inputIDs = main.inputNodeIDs
        guard spec.inputs.count == inputIDs.count else {
            throw ConfideError(
                .wrongInputCount, "the I/O spec names \(spec.inputs.count) input\(spec.inputs.count == 1 ? "" : "s"), the main graph has \(inputIDs.count)")
        }
        for input in spec.inputs {
            if case let .party(p) = input, !(0..<3).contains(p) {
                throw ConfideError(.invalidArgument, "input party \(p) does not exist (parties are 0, 1, 2)")
            }
        }
        if case let .parties(set) = spec.output {
            guard !set.isEmpty else { throw ConfideError(.invalidArgument, "the output needs at least one party") }
            for p in set.sorted() where !(0..<3).contains(p) {
                throw ConfideError(.invalidArgument, "output party \(p) does not exist (parties are 0, 1, 2)")
            }
        }
        for (g, graph) in context.graphs.enumerated() {
            // Which nodes may hold secrets: in the main graph, those depending on a party-owned or
            // secret-shared input; in other graphs (called with arguments of any visibility), all
            // nodes depending on an input.
            var secret = [Bool](repeating: false, count: graph.nodes.count)
            var nextInput = 0
            for (n, node) in graph.nodes.enumerated() {
                let argumentTypes = node.dependencies.map { types[g][$0] }
                let secretArguments = node.dependencies.map { secret[$0] }
                if case .input = node.operation {
                    secret[n] = g != mainIndex || spec.inputs[nextInput] != .public
                    nextInput += 1
                } else if SecureProgram.isJointRandomness(node.operation) {
                    secret[n] = true
                } else {
                    secret[n] = secretArguments.contains(true)
                }
                var reason = SecureProgram.unsupportedReason(node.operation, argumentTypes: argumentTypes)
                if reason == nil, secret[n] {
                    reason = SecureProgram.kernelGap(node.operation, argumentTypes: argumentTypes, secretArguments: secretArguments)
                }
                if let reason {
                    throw ConfideError(.unsupportedOperation, "\(context.describe(graph: g, node: n)) (\(node.operation.name)): \(reason)")
                }
            }
        }
        self.context = context
        self.spec = spec
        self.mainIndex = mainIndex
        self.types = types
        self.inputTypes = inputIDs.map { types[mainIndex][$0] }
    }

    /// Runs the main graph on arguments that are already shared (or public), without sharing
    /// inputs or delivering the output: the secure part alone, as benchmarks time it.
    ///
    /// Collective: the three parties call it with the same program and arguments of the same types.
    /// Reveals: nothing (the result stays shared where it is secret).
    /// - Throws: `.wrongInputCount` for a wrong number of arguments; kernel errors prefixed with the node.
    public func execute(_ arguments: [SecureValue], party: ABY3Party) async throws -> SecureValue {
        guard arguments.count == inputTypes.count else {
            throw ConfideError(.wrongInputCount, "the main graph expects \(inputTypes.count) arguments, found \(arguments.count)")
        }
        return try await execute(graph: mainIndex, arguments, party: party, depth: 0)
    }

    /// `context` with its fixed-point custom operations expanded (itself when it has none).
    /// - Throws: `.unsupportedOperation` naming a FixedMultiply with `debug: true` (its overflow
    ///   `Assert` would reveal a property of secret operands); `.outOfRange` naming an unsigned
    ///   LongDivision whose dividend has more bits than its divisor (CipherCore's quotient is wrong
    ///   for divisors above half the divisor's range, which cannot be checked on secrets); the
    ///   expansion's errors.
    static func expanded(_ context: Context) throws -> Context {
        var found = false
        var types: [[ValueType]]?
        for (g, graph) in context.graphs.enumerated() {
            for (n, node) in graph.nodes.enumerated() {
                guard case let .custom(custom) = node.operation, CustomExpansion.expands(custom.name) else { continue }
                found = true
                if custom.name == "FixedMultiply", custom["config"]?["debug"]?.boolValue == true {
                    throw ConfideError(
                        .unsupportedOperation,
                        "\(context.describe(graph: g, node: n)) (FixedMultiply): debug: true asserts that a product does not overflow, which would reveal a property of the operands; use debug: false")
                }
                if custom.name == "LongDivision", custom["signed"]?.boolValue == false {
                    let known = try types ?? TypeInference.inferTypes(context)
                    types = known
                    let dividendBits = known[g][node.dependencies[0]].shape?.last ?? 0
                    let divisorBits = known[g][node.dependencies[1]].shape?.last ?? 0
                    if dividendBits > divisorBits {
                        throw ConfideError(
                            .outOfRange,
                            "\(context.describe(graph: g, node: n)) (LongDivision): unsigned with a \(dividendBits)-bit dividend and a \(divisorBits)-bit divisor, CipherCore's quotient is wrong for divisors above 2^\(divisorBits - 1), which the planner cannot check on secrets; widen the divisor to \(dividendBits) bits")
                    }
                }
            }
        }
        return found ? try CustomExpansion.expand(context) : context
    }

    /// Runs party `party.index`'s part of the program.
    ///
    /// Collective: the three parties run the same program at the same time.
    /// Reveals: the output, to the parties of the spec.
    /// - Parameters:
    ///   - party: this party (set up).
    ///   - inputs: one value per input in node order (the CLI's `input.txt`): the real value where the
    ///     spec makes this party the owner, any value of the right type for other parties' inputs,
    ///     the shared value for public inputs, a CipherCore 3-tuple for secret-shared ones.
    /// - Returns: the output on the parties that receive it (a 3-tuple of shares for a secret-shared
    ///   output), nil elsewhere.
    /// - Throws: `.wrongInputCount` / `.typeMismatch` naming the input; kernel errors prefixed with the node.
    public func run(party: ABY3Party, inputs: [Value]) async throws -> Value? {
        var phases = SessionPhases()
        return try await run(party: party, inputs: inputs, phases: &phases)
    }

    /// ``run(party:inputs:)``, recording where the time went in `phases`.
    public func run(party: ABY3Party, inputs: [Value], phases: inout SessionPhases) async throws -> Value? {
        let clock = ContinuousClock()
        var mark = clock.now
        func lap() -> Duration {
            let now = clock.now
            defer { mark = now }
            return now - mark
        }
        let main = context.graphs[mainIndex]
        let inputIDs = main.inputNodeIDs
        guard inputs.count == inputIDs.count else {
            throw ConfideError(
                .wrongInputCount, "party \(party.index): the main graph expects \(inputIDs.count) input\(inputIDs.count == 1 ? "" : "s"), found \(inputs.count)")
        }
        var arguments: [SecureValue] = []
        for (i, (value, id)) in zip(inputs, inputIDs).enumerated() {
            let type = types[mainIndex][id]
            let what = "party \(party.index): input \(i) (\(context.describe(graph: mainIndex, node: id)))"
            switch spec.inputs[i] {
            case let .party(owner):
                if party.index == owner { try value.check(type, what: what) }
                arguments.append(try await shareInput(party.index == owner ? value : nil, type: type, owner: owner, party: party))
            case .public:
                try value.check(type, what: what)
                arguments.append(.plain(value))
            case .secretShared:
                try value.check(.tuple([type, type, type]), what: what + " (secret-shared: a 3-tuple)")
                arguments.append(try shareFromTuple(value, type: type, party: party))
            }
        }
        phases.share = lap()
        let result = try await execute(graph: mainIndex, arguments, party: party, depth: 0)
        phases.compute = lap()
        let output = try await deliver(result, party: party)
        phases.reveal = lap()
        return output
    }

    /// Shares an owned input of any type, tensor by tensor in type order.
    private func shareInput(_ value: Value?, type: ValueType, owner: Int, party: ABY3Party) async throws -> SecureValue {
        switch type {
        case let .scalar(s), let .array(_, s):
            return .shared(try await party.share(value?.tensor, scalarType: s, shape: type.shape!, owner: owner))
        case let .tuple(items):
            var out: [SecureValue] = []
            for (i, t) in items.enumerated() { out.append(try await shareInput(value?.children?[i], type: t, owner: owner, party: party)) }
            return .tuple(out)
        case let .namedTuple(fields):
            var out: [(name: String, value: SecureValue)] = []
            for (i, f) in fields.enumerated() {
                out.append((f.name, try await shareInput(value?.children?[i], type: f.type, owner: owner, party: party)))
            }
            return .namedTuple(out)
        case let .vector(count, element):
            var out: [SecureValue] = []
            for i in 0..<count { out.append(try await shareInput(value?.children?[i], type: element, owner: owner, party: party)) }
            return .vector(elementType: element, out)
        }
    }

    /// Takes this party's shares of a secret-shared input (a 3-tuple of values of `type`).
    private func shareFromTuple(_ value: Value, type: ValueType, party: ABY3Party) throws -> SecureValue {
        let parts = value.children!
        switch type {
        case .scalar, .array:
            return .shared(try party.shareFromCipherCoreTuple(value))
        default:
            let leaves = type.childTypes!
            let children = try leaves.indices.map { i in
                try shareFromTuple(.tuple(parts.map { $0.children![i] }), type: leaves[i], party: party)
            }
            switch type {
            case .tuple: return .tuple(children)
            case let .namedTuple(fields): return .namedTuple(zip(fields, children).map { ($0.name, $1) })
            case let .vector(_, element): return .vector(elementType: element, children)
            default: return .tuple(children)
            }
        }
    }

    /// Reveals (or keeps shared) the output according to the spec.
    private func deliver(_ result: SecureValue, party: ABY3Party) async throws -> Value? {
        switch spec.output {
        case .public: return try await reveal(result, to: [0, 1, 2], party: party)
        case let .parties(set): return try await reveal(result, to: set, party: party)
        case .secretShared: return try sharesAsTuple(result, party: party)
        }
    }

    private func reveal(_ value: SecureValue, to receivers: Set<Int>, party: ABY3Party) async throws -> Value? {
        switch value {
        case let .plain(v): return receivers.contains(party.index) ? v : nil
        case let .shared(s): return try await party.reveal(s, to: receivers).map { .tensor($0) }
        case let .tuple(items):
            var out: [Value] = []
            for item in items { if let v = try await reveal(item, to: receivers, party: party) { out.append(v) } }
            return receivers.contains(party.index) ? .tuple(out) : nil
        case let .namedTuple(fields):
            var out: [Value.NamedValue] = []
            for f in fields { if let v = try await reveal(f.value, to: receivers, party: party) { out.append(.init(f.name, v)) } }
            return receivers.contains(party.index) ? .namedTuple(out) : nil
        case let .vector(elementType, items):
            var out: [Value] = []
            for item in items { if let v = try await reveal(item, to: receivers, party: party) { out.append(v) } }
            return receivers.contains(party.index) ? .vector(elementType: elementType, out) : nil
        }
    }

    /// A secret-shared output: (x_0, x_1, x_2) with this party's two components and zero at the third.
    private func sharesAsTuple(_ value: SecureValue, party: ABY3Party) throws -> Value {
        func components(_ s: SharedTensor) -> (Tensor, Tensor) {
            switch s {
            case let .arithmetic64(a): return a.components
            case let .arithmetic128(a): return a.components
            case let .binary(b):
                return (
                    Tensor(unchecked: .bit, shape: b.shape, storage: .narrow(BinaryShare.unpack(b.first, count: b.count))),
                    Tensor(unchecked: .bit, shape: b.shape, storage: .narrow(BinaryShare.unpack(b.second, count: b.count)))
                )
            }
        }
        func tuple(_ v: SecureValue) throws -> [Value] {
            switch v {
            case let .plain(p):
                // A public output is shared as (p, 0, 0).
                let zero = Value.zeros(p.type)
                return [p, zero, zero]
            case let .shared(s):
                let (a, b) = components(s)
                var out = [Value](repeating: .zeros(s.type), count: 3)
                out[party.index] = .tensor(a)
                out[party.next] = .tensor(b)
                return out
            default:
                let children = try v.children!.map(tuple)
                return (0..<3).map { i in
                    let parts = children.map { $0[i] }
                    switch v {
                    case let .namedTuple(fields): return .namedTuple(zip(fields, parts).map { .init($0.name, $1) })
                    case let .vector(elementType, _): return .vector(elementType: elementType, parts)
                    default: return .tuple(parts)
                    }
                }
            }
        }
        return .tuple(try tuple(value))
    }
}
