import ConfideCore
import ConfideGraph

/// Walks a ``SecureProgram`` the way ``SecureProgram/run(party:inputs:)`` will, without data:
/// each node's arguments are known to be public or secret, so the kernel every party will call,
/// and its declared ``ABY3Cost``, are known too. `Call` costs its graph's cost (memoised per
/// argument visibility), `Iterate` its body's once per element.
struct PlanCostEstimator {
    /// Rounds and bytes per party, saturating at `Int.max`.
    struct Tally: Equatable {
        var rounds = 0
        var bytes = [0, 0, 0]

        mutating func add(_ cost: KernelCost, times: Int = 1) {
            rounds = Self.sum(rounds, Self.product(cost.rounds, times))
            for p in 0..<3 { bytes[p] = Self.sum(bytes[p], Self.product(cost.bytesSent[p], times)) }
        }

        mutating func add(_ other: Tally, times: Int = 1) {
            add(KernelCost(rounds: other.rounds, bytesSent: other.bytes), times: times)
        }

        var cost: KernelCost { KernelCost(rounds: rounds, bytesSent: bytes) }

        static func sum(_ a: Int, _ b: Int) -> Int {
            let (r, overflow) = a.addingReportingOverflow(b)
            return overflow ? .max : r
        }

        static func product(_ a: Int, _ b: Int) -> Int {
            let (r, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? .max : r
        }
    }

    /// A call of a graph on arguments of a given visibility.
    private struct CallKey: Hashable {
        let graph: Int
        let arguments: [PlannedValue]
    }

    /// Vectors longer than this whose elements differ are held as one element that is secret
    /// wherever any of them is (the estimate stays an upper bound).
    static let listedElements = 4096

    let program: SecureProgram
    let injectionBits: Int
    private var memo: [CallKey: (cost: Tally, result: PlannedValue)] = [:]

    init(_ program: SecureProgram, injectionBits: Int) {
        self.program = program
        self.injectionBits = injectionBits
    }

    /// The whole program: input sharing, the main graph, and the output's delivery.
    mutating func estimate() throws -> Tally {
        var tally = Tally()
        let main = program.mainIndex
        var arguments: [PlannedValue] = []
        for (i, id) in program.context.graphs[main].inputNodeIDs.enumerated() {
            let type = program.types[main][id]
            switch program.spec.inputs[i] {
            case let .party(owner):
                let value = PlannedValue.of(type, secret: true)
                for leaf in value.secretLeaves {
                    let n = leaf.type.scalarCount, s = leaf.type.scalarType!
                    tally.add(
                        s == .bit ? ABY3Cost.shareB(count: n, owner: owner) : ABY3Cost.shareA(count: n, s, owner: owner), times: leaf.count)
                }
                arguments.append(value)
            case .public:
                arguments.append(.plain(type))
            case .secretShared:
                arguments.append(.of(type, secret: true))
            }
        }
        let (cost, result) = try run(graph: main, arguments, depth: 0)
        tally.add(cost)
        let receivers: Set<Int>
        switch program.spec.output {
        case .public: receivers = [0, 1, 2]
        case let .parties(set): receivers = set
        case .secretShared: return tally
        }
        for leaf in result.secretLeaves {
            let n = leaf.type.scalarCount, s = leaf.type.scalarType!
            tally.add(
                s == .bit ? ABY3Cost.revealB(count: n, to: receivers) : ABY3Cost.revealA(count: n, s, to: receivers), times: leaf.count)
        }
        return tally
    }

    /// One graph on arguments of known visibility (as ``SecureProgram/execute(graph:_:party:depth:)``).
    private mutating func run(graph index: Int, _ arguments: [PlannedValue], depth: Int) throws -> (cost: Tally, result: PlannedValue) {
        guard depth <= 64 else { throw ConfideError(.tooLarge, "graph calls are nested more than 64 deep") }
        let key = CallKey(graph: index, arguments: arguments)
        if let known = memo[key] { return known }
        let graph = program.context.graphs[index]
        guard let output = graph.outputNode else { throw ConfideError(.invalidGraph, "graph \(index) has no output node") }
        var uses = [Int](repeating: 0, count: graph.nodes.count)
        for node in graph.nodes { for d in node.dependencies { uses[d] += 1 } }
        let fusable = program.fusableProducts(graph: index, uses: uses)
        let bitTruncations = program.bitTruncations(graph: index, uses: uses)
        var values = [PlannedValue?](repeating: nil, count: graph.nodes.count)
        var deferred = Set<Int>()
        var tally = Tally()
        var nextInput = 0
        for (id, node) in graph.nodes.enumerated() {
            let result: PlannedValue
            if case .input = node.operation {
                result = arguments[nextInput]
                nextInput += 1
            } else if fusable.contains(id), node.dependencies.allSatisfy({ values[$0]?.isPublic == false }) {
                deferred.insert(id)
                result = .tuple([])
            } else if bitTruncations.contains(id), values[node.dependencies[0]]?.isPublic == false {
                // Free here; its A2B converts the untruncated value.
                deferred.insert(id)
                result = .tuple([])
            } else {
                let args = node.dependencies.map { values[$0]! }
                do {
                    if case .a2b = node.operation, let d = node.dependencies.first, deferred.remove(d) != nil {
                        let input = program.types[index][d]
                        tally.add(ABY3Cost.a2b(count: input.scalarCount, input.scalarType!))
                        result = .shared(program.types[index][id])
                    } else if case .truncate = node.operation, let d = node.dependencies.first, deferred.remove(d) != nil {
                        let type = program.types[index][id]
                        let n = type.scalarCount, s = type.scalarType!
                        let matrix = graph.nodes[d].operation == .matmul
                        tally.add(matrix ? ABY3Cost.matmulTruncAA(outputCount: n, s) : ABY3Cost.mulTruncAA(count: n, s))
                        result = .shared(type)
                    } else {
                        let (cost, value) = try evaluate(node, graph: index, id: id, args, depth: depth)
                        tally.add(cost)
                        result = value
                    }
                } catch let error as ConfideError {
                    throw error.prefixed("\(program.context.describe(graph: index, node: id)) (\(node.operation.name))")
                }
            }
            values[id] = result
        }
        let known = (tally, values[output]!)
        memo[key] = known
        return known
    }

    private mutating func evaluate(
        _ node: Node, graph: Int, id: Int, _ args: [PlannedValue], depth: Int
    ) throws -> (cost: Tally, result: PlannedValue) {
        let outputType = program.types[graph][id]
        switch node.operation {
        case .call:
            return try run(graph: node.graphDependencies[0], args, depth: depth + 1)
        case .iterate:
            return try iterate(node, args, depth: depth)
        default: break
        }
        switch node.operation {
        case let .random(type):
            return (Tally(), .of(type, secret: true))
        case let .randomPermutation(n):
            var tally = Tally()
            tally.add(ABY3Cost.randomPermutation(count: Int(n)))
            return (tally, .shared(outputType))
        default: break
        }
        if args.allSatisfy(\.isPublic) { return (Tally(), .plain(outputType)) }
        if let value = try structural(node.operation, args, outputType: outputType) { return (Tally(), value) }
        var tally = Tally()
        let (cost, value) = try kernel(node.operation, args, outputType: outputType)
        tally.add(cost)
        return (tally, value)
    }

    /// `Iterate`: the body once per element. When the state stops changing visibility over
    /// elements that look alike, the remaining steps cost the same and are counted at once.
    private mutating func iterate(_ node: Node, _ args: [PlannedValue], depth: Int) throws -> (cost: Tally, result: PlannedValue) {
        let body = node.graphDependencies[0]
        guard let count = args[1].childCount else { throw ConfideError(.typeMismatch, "Iterate needs a vector") }
        let bodyOutput = program.context.graphs[body].outputNode!
        let outputElement = program.types[body][bodyOutput].childTypes?[1] ?? .tuple([])
        var tally = Tally()
        var state = args[0]
        var outputs: [PlannedValue] = []
        var i = 0
        while i < count {
            let element = args[1].child(i)!
            let (cost, result) = try run(graph: body, [state, element], depth: depth + 1)
            guard let parts = result.fields, parts.count == 2 else {
                throw ConfideError(.typeMismatch, "the Iterate body must return (state, output)")
            }
            tally.add(cost)
            outputs.append(parts[1])
            i += 1
            let uniform: Bool
            if case .vector = args[1] { uniform = false } else { uniform = true }
            if uniform, parts[0] == state, i < count {
                let remaining = count - i
                tally.add(cost, times: remaining)
                return (tally, .tuple([state, Self.vector(outputElement, outputs, then: parts[1], times: remaining)]))
            }
            state = parts[0]
        }
        return (tally, .tuple([state, Self.vector(outputElement, outputs, then: nil, times: 0)]))
    }

    /// A vector of `prefix` followed by `times` copies of `tail`, held compactly.
    static func vector(_ elementType: ValueType, _ prefix: [PlannedValue], then tail: PlannedValue?, times: Int) -> PlannedValue {
        guard let tail, times > 0 else {
            return prefix.count > listedElements
                ? .repeated(count: prefix.count, elementType: elementType, prefix.dropFirst().reduce(prefix[0], PlannedValue.merged))
                : .vector(of: elementType, prefix)
        }
        if prefix.allSatisfy({ $0 == tail }) { return .repeated(count: prefix.count + times, elementType: elementType, tail) }
        let total = prefix.count + times
        if total > listedElements { return .repeated(count: total, elementType: elementType, prefix.reduce(tail, PlannedValue.merged)) }
        return .vector(of: elementType, prefix + Array(repeating: tail, count: times))
    }

    /// Tuple, named-tuple and vector operations (free).
    private func structural(_ op: Operation, _ args: [PlannedValue], outputType: ValueType) throws -> PlannedValue? {
        switch op {
        case .nop: return args[0]
        case .createTuple: return .tuple(args)
        case let .createNamedTuple(names): return .namedTuple(names, args)
        case let .createVector(elementType): return Self.vector(elementType, args, then: nil, times: 0)
        case let .tupleGet(i):
            guard let child = args[0].child(Int(i)) else { throw ConfideError(.outOfRange, "tuple index \(i) is out of range") }
            return child
        case let .namedTupleGet(name):
            guard case let .namedTuple(fields) = args[0].type, let i = fields.firstIndex(where: { $0.name == name }) else {
                throw ConfideError(.invalidArgument, "no field named \(name)")
            }
            return args[0].child(i)!
        case .vectorGet:
            // The public index is known only when the graph runs: any element may be chosen.
            switch args[0] {
            case let .vector(_, items): return items.dropFirst().reduce(items.first ?? .tuple([]), PlannedValue.merged)
            default: return args[0].child(0) ?? .plain(outputType)
            }
        case .zip:
            let count = args.first?.childCount ?? 0
            let elementType = outputType.childTypes?.first ?? .tuple([])
            if args.allSatisfy({ if case .vector = $0 { return false } else { return true } }) {
                return .repeated(count: count, elementType: elementType, .tuple(args.map { $0.child(0) ?? .plain(.tuple([])) }))
            }
            return Self.vector(elementType, (0..<count).map { i in .tuple(args.map { $0.child(i)! }) }, then: nil, times: 0)
        case let .repeat(n):
            return .repeated(count: Int(n), elementType: args[0].type, args[0])
        default:
            return nil
        }
    }

    /// The kernel a node with a secret argument runs (as ``SecureProgram/secureKernel(_:_:outputType:party:)``).
    private func kernel(_ op: Operation, _ args: [PlannedValue], outputType: ValueType) throws -> (KernelCost, PlannedValue) {
        let shared = PlannedValue.shared(outputType)
        let n = outputType.scalarCount
        let s = outputType.scalarType
        switch op {
        case .add, .subtract:
            return (.free, shared)
        case .multiply:
            guard !args[0].isPublic, !args[1].isPublic else { return (.free, shared) }
            return (s == .bit ? ABY3Cost.andBB(count: n) : ABY3Cost.mulAA(count: n, s!), shared)
        case let .truncate(scale):
            return (ABY3Cost.truncA(count: n, s!, divisor: scale), shared)
        case .a2b:
            let input = args[0].type
            guard let inputScalar = input.scalarType, inputScalar != .bit else { return (.free, shared) }
            return (ABY3Cost.a2b(count: input.scalarCount, inputScalar), shared)
        case let .b2a(scalarType):
            return (ABY3Cost.b2a(count: n, scalarType), shared)
        case .mixedMultiply:
            let first = args[0].type.scalarType!
            return (first == .bit ? ABY3Cost.andBB(count: n) : ABY3Cost.mulAB(count: n, first), shared)
        case let .sort(key):
            return try sortCost(args[0], key: key, binaryKey: true)
        case let .custom(custom) where custom.name == "SortByIntegerKey":
            guard let key = custom["key"]?.stringValue else {
                throw ConfideError(.invalidArgument, "SortByIntegerKey needs a string parameter key")
            }
            return try sortCost(args[0], key: key, binaryKey: false)
        case let .custom(custom):
            return (try customCost(custom, args, outputType: outputType), customResult(custom, outputType: outputType))
        case .matmul, .dot, .gemm:
            guard !args[0].isPublic, !args[1].isPublic else { return (.free, shared) }
            if case .dot = op {
                let ranks = (args[0].type.shape!.count, args[1].type.shape!.count)
                if ranks.0 == 1, ranks.1 == 1 { return (ABY3Cost.mulAA(count: args[0].type.scalarCount, s!), shared) }
                if ranks.0 == 0 || ranks.1 == 0 { return (ABY3Cost.mulAA(count: n, s!), shared) }
            }
            return (ABY3Cost.matmulAA(outputCount: n, s!), shared)
        case .sum, .cumSum, .permuteAxes, .get, .getSlice, .reshape, .stack, .concatenate, .gather, .vectorToArray:
            return (.free, shared)
        case let .applyPermutation(inverse):
            guard !args[1].isPublic, let ring = args[1].type.scalarType, let rows = args[1].type.shape?.first else { return (.free, shared) }
            let b = ABY3Cost.bytes(n, s!)
            return (
                inverse
                    ? ABY3Cost.unapplyPermutationA(count: rows, permutationType: ring, columnBytes: b)
                    : ABY3Cost.applyPermutationA(count: rows, permutationType: ring, columnBytes: b), shared
            )
        case .inversePermutation:
            return (ABY3Cost.unapplyPermutationA(count: n, permutationType: s!, columnBytes: ABY3Cost.bytes(n, s!)), shared)
        case let .join(masks, arguments):
            let layout = try SecureJoinLayout(args[0].type, args[1].type, arguments: arguments, withColumnMasks: masks)
            return (layout.cost(injectionBits: injectionBits), Self.sharedTable(outputType))
        case .arrayToVector:
            let element = outputType.childTypes?.first ?? .tuple([])
            return (.free, .repeated(count: args[0].type.shape?.first ?? 0, elementType: element, .shared(element)))
        default:
            throw ConfideError(.unsupportedOperation, "\(op.name) on secret values is not supported by the secure planner")
        }
    }

    /// A table whose every column (and mask) is secret.
    static func sharedTable(_ type: ValueType) -> PlannedValue {
        guard case let .namedTuple(fields) = type else { return .shared(type) }
        return .namedTuple(
            fields.map(\.name),
            fields.map { field in
                if case let .tuple(parts) = field.type { return .tuple(parts.map { .shared($0) }) }
                return .shared(field.type)
            })
    }

    private func customResult(_ custom: CustomOperation, outputType: ValueType) -> PlannedValue {
        if custom.name == "BinaryAdd", let parts = outputType.childTypes, parts.count == 2 { return .tuple(parts.map { .shared($0) }) }
        return .shared(outputType)
    }

    private func customCost(_ custom: CustomOperation, _ args: [PlannedValue], outputType: ValueType) throws -> KernelCost {
        switch custom.name {
        case "Not":
            return .free
        case "Or":
            return ABY3Cost.andBB(count: outputType.scalarCount)
        case "Mux":
            let n = outputType.scalarCount
            let choice = args[1].type.scalarType!
            return choice == .bit ? ABY3Cost.andBB(count: n) : ABY3Cost.mulAB(count: n, choice)
        case "Equal", "NotEqual", "GreaterThan", "GreaterThanEqualTo", "LessThan", "LessThanEqualTo":
            let width = args[0].type.shape!.last!
            return ABY3Cost.compareB(ABY3Comparison(rawValue: custom.name)!, count: outputType.scalarCount, width: width)
        case "Max", "Min":
            let width = args[0].type.shape!.last!
            return ABY3Cost.minMaxB(count: outputType.scalarCount / width, width: width)
        case "Clip2K":
            guard let k = custom["k"]?.integer(as: Int.self) else {
                throw ConfideError(.invalidArgument, "Clip2K needs an integer parameter k")
            }
            let width = args[0].type.shape!.last!
            return ABY3Cost.clip2K(count: args[0].type.scalarCount / width, width: width, k: k)
        case "BinaryAdd":
            let sum = outputType.childTypes?.first ?? outputType
            let width = sum.shape!.last!
            return ABY3Cost.binaryAddB(count: sum.scalarCount / width, width: width)
        default:
            throw ConfideError(.unsupportedOperation, "custom operation \(custom.name) is not supported by the secure planner")
        }
    }

    /// `Sort` / `SortByIntegerKey` (as ``ABY3Party/sortColumns(_:key:binaryKey:injectionBits:)``):
    /// the key's bits, the radix sort's permutation, and one scatter per word width.
    private func sortCost(_ table: PlannedValue, key: String, binaryKey: Bool) throws -> (KernelCost, PlannedValue) {
        guard case let .namedTuple(fields) = table.type else {
            throw ConfideError(.typeMismatch, "sorting needs a named tuple of columns, found \(table.type)")
        }
        guard let keyType = fields.first(where: { $0.name == key })?.type, let keyScalar = keyType.scalarType, let n = keyType.shape?.first
        else {
            throw ConfideError(.invalidArgument, "the named tuple has no column named \"\(key)\"")
        }
        let ring = ABY3Cost.permutationRing(count: n)
        var cost = KernelCost.free
        let bitCount: Int
        switch (keyScalar, binaryKey) {
        case (.bit, true):
            guard let shape = keyType.shape, shape.count == 2 else {
                throw ConfideError(.typeMismatch, "the Sort key must be a 2-dimensional bit array, found \(keyType)")
            }
            bitCount = shape[1]
        case (.bit, false):
            bitCount = 1
        case (_, false):
            cost = cost + ABY3Cost.a2b(count: n, keyScalar)
            bitCount = keyScalar.bits
        default:
            throw ConfideError(.typeMismatch, "the Sort key must be a 2-dimensional bit array, found \(keyType)")
        }
        cost = cost + ABY3Cost.sortingPermutationA(packedCount: n, bitCount: bitCount, ring: ring, injectionBits: injectionBits)
        var narrowBytes = 0, wideBytes = 0
        var extractions = KernelCost.free
        for field in fields {
            let count = field.type.scalarCount, s = field.type.scalarType!
            if s == .bit {
                cost = cost + ABY3Cost.bitInjection(count: count, .u8)
                narrowBytes += ABY3Cost.bytes(count, .u8)
                extractions = extractions + ABY3Cost.bitExtraction(count: count, .u8)
            } else if s.isWide {
                wideBytes += ABY3Cost.bytes(count, s)
            } else {
                narrowBytes += ABY3Cost.bytes(count, s)
            }
        }
        if narrowBytes > 0 { cost = cost + ABY3Cost.unapplyPermutationA(count: n, permutationType: ring, columnBytes: narrowBytes) }
        if wideBytes > 0 { cost = cost + ABY3Cost.unapplyPermutationA(count: n, permutationType: ring, columnBytes: wideBytes) }
        return (cost + extractions, .namedTuple(fields.map(\.name), fields.map { .shared($0.type) }))
    }
}
