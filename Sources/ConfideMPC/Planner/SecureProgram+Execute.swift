import ConfideCore
import ConfideGraph

extension SecureProgram {
    /// The generator public nodes are evaluated with (never drawn from: Random is refused), keyed once.
    static let unusedGenerator = AESCTRGenerator.fromSystemEntropy()

    /// Why the planner cannot run an operation securely, or nil when it can.
    static func unsupportedReason(_ operation: Operation, argumentTypes: [ValueType]) -> String? {
        switch operation {
        case .print:
            return "Print would reveal a secret value"
        case .assert:
            return "Assert would reveal whether a secret condition holds"
        case .cuckooToPermutation, .decomposeSwitchingMap:
            return "\(operation.name) draws random indices, which the parties would have to generate jointly; the secure planner does not do that yet"
        case .prf, .permutationFromPRF:
            return "keyed randomness needs AES evaluated under a key, which the planner does not do on shares; use Random or RandomPermutation (generated jointly) or give the values as inputs"
        default:
            return nil
        }
    }

    /// Runs graph `graph` on its argument values.
    func execute(graph index: Int, _ arguments: [SecureValue], party: ABY3Party, depth: Int) async throws -> SecureValue {
        guard depth <= 64 else { throw ConfideError(.tooLarge, "graph calls are nested more than 64 deep") }
        let graph = context.graphs[index]
        guard let output = graph.outputNode else { throw ConfideError(.invalidGraph, "graph \(index) has no output node") }
        var remainingUses = [Int](repeating: 0, count: graph.nodes.count)
        for node in graph.nodes { for d in node.dependencies { remainingUses[d] += 1 } }
        var values = [SecureValue?](repeating: nil, count: graph.nodes.count)
        let fusable = fusableProducts(graph: index, uses: remainingUses)
        let bitTruncations = bitTruncations(graph: index, uses: remainingUses)
        var deferred: [Int: [SecureValue]] = [:]
        var nextInput = 0
        for (id, node) in graph.nodes.enumerated() {
            let result: SecureValue
            if case .input = node.operation {
                result = arguments[nextInput]
                nextInput += 1
            } else if fusable.contains(id), node.dependencies.allSatisfy({ values[$0]?.isPublic == false }) {
                // A product of two secrets whose only use is a truncation: computed there, in one round.
                deferred[id] = node.dependencies.map { values[$0]! }
                result = .tuple([])
            } else if bitTruncations.contains(id), values[node.dependencies[0]]?.isPublic == false {
                // A truncation whose only use is A2B: done exactly on the bits there, without a round.
                deferred[id] = [values[node.dependencies[0]]!]
                result = .tuple([])
            } else {
                let args = node.dependencies.map { values[$0]! }
                do {
                    if case let .truncate(scale) = node.operation, let operands = deferred.removeValue(forKey: node.dependencies.first ?? -1) {
                        let product = graph.nodes[node.dependencies[0]].operation
                        result = .shared(try await fusedProduct(product, operands, bits: scale.trailingZeroBitCount, party: party))
                    } else if case .a2b = node.operation, case let .truncate(scale) = graph.nodes[node.dependencies[0]].operation,
                        let operands = deferred.removeValue(forKey: node.dependencies[0])
                    {
                        result = .shared(.binary(try await truncatedBits(operands[0], bits: scale.trailingZeroBitCount, party: party)))
                    } else {
                        result = try await evaluate(node, graph: index, id: id, args, party: party, depth: depth)
                    }
                } catch let error as ConfideError {
                    throw error.prefixed("party \(party.index): \(context.describe(graph: index, node: id)) (\(node.operation.name))")
                }
            }
            if remainingUses[id] > 0 || id == output { values[id] = result }
            for d in node.dependencies {
                remainingUses[d] -= 1
                if remainingUses[d] == 0, d != output { values[d] = nil }
            }
        }
        return values[output]!
    }

    /// Multiply and Matmul nodes (of equal-shaped or matrix operands) used only by a power-of-two
    /// Truncate: the pair runs as one fused fixed-point kernel.
    func fusableProducts(graph index: Int, uses: [Int]) -> Set<Int> {
        let nodes = context.graphs[index].nodes
        var result = Set<Int>()
        for node in nodes {
            guard case let .truncate(scale) = node.operation, scale.nonzeroBitCount == 1, let d = node.dependencies.first, uses[d] == 1,
                d != context.graphs[index].outputNode
            else { continue }
            let operandTypes = nodes[d].dependencies.map { types[index][$0] }
            guard operandTypes.count == 2, operandTypes.allSatisfy({ $0.scalarType != .bit && $0.scalarType != nil }) else { continue }
            switch nodes[d].operation {
            case .multiply where operandTypes[0] == operandTypes[1]: result.insert(d)
            case .matmul where operandTypes[0].shape?.count == 2 && operandTypes[1].shape?.count == 2: result.insert(d)
            default: break
            }
        }
        return result
    }

    /// Power-of-two Truncate nodes (by at least 2) used only by one A2B: the planner converts the
    /// untruncated value to bits and drops the low bits exactly (``truncatedBits(_:bits:party:)``).
    /// A piecewise-linear approximation picks its segment this way, so a segment index is never
    /// off by one.
    func bitTruncations(graph index: Int, uses: [Int]) -> Set<Int> {
        let graph = context.graphs[index]
        var result = Set<Int>()
        for node in graph.nodes {
            guard case .a2b = node.operation, let d = node.dependencies.first, uses[d] == 1, d != graph.outputNode,
                case let .truncate(scale) = graph.nodes[d].operation, scale.nonzeroBitCount == 1, scale > 1,
                let scalar = types[index][d].scalarType, scalar != .bit
            else { continue }
            result.insert(d)
        }
        return result
    }

    /// The bits of x / 2^d rounded down (the arithmetic shift of x's two's complement bits, or the
    /// logical shift for unsigned types), from A2B of x: bit j is bit j + d of x, and the top d bits
    /// are x's sign bit (signed) or zero. Exact, where Truncate on shares is within ±1; it differs
    /// from the evaluator's Truncate followed by A2B (rounding toward zero) by one unit for
    /// negative x that 2^d does not divide.
    ///
    /// Collective: the A2B conversion (``ABY3Party/a2b(_:)``); the shift itself is local (each XOR
    /// component moves its own bits). Reveals nothing.
    private func truncatedBits(_ x: SecureValue, bits d: Int, party: ABY3Party) async throws -> BinaryShare {
        let bits: BinaryShare
        let scalar: ScalarType
        switch try tensor(x, party: party) {
        case let .arithmetic64(a): (bits, scalar) = (try await party.a2b(a), a.scalarType)
        case let .arithmetic128(a): (bits, scalar) = (try await party.a2b(a), a.scalarType)
        case .binary: throw ConfideError(.typeMismatch, "Truncate of bits")
        }
        let rows = bits.count / scalar.bits
        func shifted(_ words: [UInt64]) -> [UInt64] {
            PackedBitLayout.shiftedRows(words, rows: rows, width: scalar.bits, by: d, signed: scalar.isSigned)
        }
        return try BinaryShare(shape: bits.shape, first: shifted(bits.first), second: shifted(bits.second))
    }

    /// A fused product and truncation of two secrets: ``ABY3Party/mulTruncAA(_:_:fractionBits:)`` or
    /// ``ABY3Party/matmulTruncAA(_:_:fractionBits:)``, one round.
    private func fusedProduct(_ product: Operation, _ operands: [SecureValue], bits: Int, party: ABY3Party) async throws -> SharedTensor {
        let matrix = product == .matmul
        switch (try tensor(operands[0], party: party), try tensor(operands[1], party: party)) {
        case let (.arithmetic64(x), .arithmetic64(y)):
            return .arithmetic64(matrix ? try await party.matmulTruncAA(x, y, fractionBits: bits) : try await party.mulTruncAA(x, y, fractionBits: bits))
        case let (.arithmetic128(x), .arithmetic128(y)):
            return .arithmetic128(matrix ? try await party.matmulTruncAA(x, y, fractionBits: bits) : try await party.mulTruncAA(x, y, fractionBits: bits))
        default:
            throw ConfideError(.typeMismatch, "a fixed-point product needs two integer operands")
        }
    }

    /// One node: in the clear when every argument is public, otherwise on shares.
    private func evaluate(_ node: Node, graph: Int, id: Int, _ args: [SecureValue], party: ABY3Party, depth: Int) async throws -> SecureValue {
        let outputType = types[graph][id]
        switch node.operation {
        case .call:
            return try await execute(graph: node.graphDependencies[0], args, party: party, depth: depth + 1)
        case .iterate:
            return try await iterate(node, args, party: party, depth: depth)
        default: break
        }
        switch node.operation {
        case let .random(type): return try randomValue(type, party: party)
        case let .randomPermutation(n): return .shared(try await randomPermutation(n, party: party))
        default: break
        }
        if args.allSatisfy(\.isPublic) {
            // Random and RandomPermutation run on shares above, so public nodes never draw from this generator.
            var unused = SecureProgram.unusedGenerator
            return .plain(try Evaluator.evaluate(node: node, graph: graph, in: context, arguments: args.map { $0.publicValue! }, random: &unused))
        }
        if let structural = try structural(node.operation, args, outputType: outputType) { return structural }
        return try await secureKernel(node.operation, args, outputType: outputType, party: party)
    }

    /// `Iterate`, unrolled: the body runs once per element with the state threaded through.
    private func iterate(_ node: Node, _ args: [SecureValue], party: ABY3Party, depth: Int) async throws -> SecureValue {
        guard case let .vector(_, elements) = args[1] else {
            guard let children = args[1].children else { throw ConfideError(.typeMismatch, "Iterate needs a vector") }
            return try await iterate(node, [args[0], .vector(elementType: args[1].type.childTypes?.first ?? .tuple([]), children)], party: party, depth: depth)
        }
        let body = node.graphDependencies[0]
        var state = args[0]
        var outputs: [SecureValue] = []
        for element in elements {
            let result = try await execute(graph: body, [state, element], party: party, depth: depth + 1)
            guard let parts = result.children, parts.count == 2 else { throw ConfideError(.typeMismatch, "the Iterate body must return (state, output)") }
            state = parts[0]
            outputs.append(parts[1])
        }
        let bodyOutput = context.graphs[body].outputNode!
        let outputElement = types[body][bodyOutput].childTypes?[1] ?? .tuple([])
        return .tuple([state, .vector(elementType: outputElement, outputs)])
    }

    /// Tuple, named-tuple and vector operations, which only rearrange values.
    private func structural(_ op: Operation, _ args: [SecureValue], outputType: ValueType) throws -> SecureValue? {
        switch op {
        case .nop: return args[0]
        case .createTuple: return .tuple(args)
        case let .createNamedTuple(names): return .namedTuple(zip(names, args).map { ($0, $1) })
        case let .createVector(elementType): return .vector(elementType: elementType, args)
        case let .tupleGet(i):
            return args[0].children![Int(i)]
        case let .namedTupleGet(name):
            guard case let .namedTuple(fields) = args[0], let field = fields.first(where: { $0.name == name }) else {
                if case let .plain(v) = args[0], case let .namedTuple(fields) = v, let f = fields.first(where: { $0.name == name }) {
                    return .plain(f.value)
                }
                throw ConfideError(.invalidArgument, "no field named \(name)")
            }
            return field.value
        case .vectorGet:
            guard let index = args[1].publicValue?.tensor else {
                throw ConfideError(.unsupportedOperation, "VectorGet with a secret index is not supported; the index must be public")
            }
            let i = Int(index.residue(at: 0))
            let items = args[0].children!
            guard items.indices.contains(i) else { throw ConfideError(.outOfRange, "vector index \(i) is outside 0..<\(items.count)") }
            return items[i]
        case .zip:
            let vectors = args.map { $0.children! }
            let count = vectors.first?.count ?? 0
            let elementType = outputType.childTypes?.first ?? .tuple([])
            return .vector(elementType: elementType, (0..<count).map { i in .tuple(vectors.map { $0[i] }) })
        case let .repeat(n):
            return .vector(elementType: args[0].type, Array(repeating: args[0], count: Int(n)))
        default:
            return nil
        }
    }
}
