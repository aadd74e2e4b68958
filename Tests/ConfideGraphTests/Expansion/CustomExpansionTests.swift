import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Custom expansion pass")
struct CustomExpansionTests {
    static let sigmoid = CustomOperation("ApproxSigmoid", parameters: [("precision", .int(15)), ("approximation_log_buckets", .int(5))])
    static let multiply = CustomOperation("FixedMultiply", parameters: [("config", fixedConfig(15))])

    /// graph 0: (a) → ApproxSigmoid(a) named "s"; graph 1 (main): inputs x, y (named), a Call of
    /// graph 0 on x, FixedMultiply(call, y) named "product" with a Send annotation, then + x.
    static func context() throws -> Context {
        let b = ContextBuilder()
        let callee = b.makeGraph()
        let a = try callee.input(.array([4], .i64))
        try callee.setOutput(try callee.custom(sigmoid, [a]).named("s"))
        let main = b.makeGraph()
        let x = try main.input(.array([4], .i64)).named("x")
        let y = try main.input(.scalar(.i64)).named("y").annotated(.private)
        let called = try main.call(callee, [x])
        let product = try main.custom(multiply, [called, y]).named("product").annotated(.send(from: 0, to: 1))
        try main.setOutput(try main.add(product, x).named("out"))
        try b.setMain(main)
        return try b.finish()
    }

    static let inputs: [Value] = [expansionTensor(.i64, [0, 32768, -65536, 300_000]), .scalar(.i64, 3 << 15)]

    @Test func expandsEveryGraphAndKeepsTheInterface() throws {
        let original = try Self.context()
        let expanded = try CustomExpansion.expand(original)
        for graph in expanded.graphs {
            for node in graph.nodes {
                if case let .custom(custom) = node.operation { Issue.record("\(custom.name) left after expansion") }
            }
        }
        #expect(expanded.graphs.count == original.graphs.count)
        #expect(expanded.mainGraph == original.mainGraph)
        #expect(expanded.graphs[1].nodes.count > original.graphs[1].nodes.count)
        // Inputs: same types, order, names and annotations; the output keeps its name.
        let main = try expanded.mainIndex()
        #expect(expanded.graphs[main].inputTypes == original.graphs[main].inputTypes)
        let inputIDs = expanded.graphs[main].inputNodeIDs
        #expect(inputIDs.map { expanded.nodeNames[Context.NodeID(graph: main, node: $0)] } == ["x", "y"])
        #expect(expanded.annotations(graph: main, node: inputIDs[1]) == [.private])
        let output = try #require(expanded.graphs[main].outputNode)
        #expect(expanded.nodeNames[Context.NodeID(graph: main, node: output)] == "out")
        // The replaced node's name and annotations move to its result node.
        let product = try #require(expanded.nodeNames.first { $0.value == "product" }?.key)
        #expect(expanded.nodeAnnotations[product] == [.send(from: 0, to: 1)])
        #expect(expanded.graphs[main].nodes[product.node].operation == .truncate(1 << 15))
        #expect(expanded.nodeNames.values.contains("s"))
        // Same types and values.
        let types = try TypeInference.inferTypes(expanded)
        let originalTypes = try TypeInference.inferTypes(original)
        #expect(types[main][output] == originalTypes[main][try #require(original.graphs[main].outputNode)])
        let value = try Evaluator().evaluate(expanded, inputs: Self.inputs)
        #expect(value == (try Evaluator().evaluate(original, inputs: Self.inputs)))
        // The expanded context serializes and reads back unchanged.
        #expect(try Context(serialized: try expanded.serialized()) == expanded)
        // Expanding again changes nothing.
        #expect(try CustomExpansion.expand(expanded) == expanded)
    }

    /// Operations read from CipherCore's JSON (parameters as CipherCore serializes them) expand.
    @Test func operationsFromCipherCoreJSON() throws {
        let texts: [(String, [Value], [Int128])] = [
            (#"{"Custom":{"body":{"type":"FixedMultiply","config":{"fractional_bits":15,"debug":false}}}}"#,
             [.scalar(.i64, 3 << 15), .scalar(.i64, 5 << 14)], [15 << 14]),
            (#"{"Custom":{"body":{"type":"NewtonInversion","iterations":5,"denominator_cap_2k":10}}}"#,
             [expansionTensor(.u64, [1, 2, 1000])], [1023, 511, 1]),
            (#"{"Custom":{"body":{"type":"TaylorExponent","taylor_terms":5,"fixed_precision_points":0}}}"#,
             [expansionTensor(.i64, [3])], [8]),
            (#"{"Custom":{"body":{"type":"ApproxSigmoid","precision":10,"approximation_log_buckets":5}}}"#,
             [expansionTensor(.i64, [0])], [512]),
        ]
        for (text, args, expected) in texts {
            guard case let .custom(op) = try Operation(json: try JSONParser().parse(text)) else {
                Issue.record("not a custom operation: \(text)")
                continue
            }
            let out = expansionValues(try expansionEval(op, args))
            #expect(out == expected, "\(op.name): \(out)")
        }
    }

    @Test func leavesOtherNodesAlone() throws {
        let b = ContextBuilder()
        let g = b.makeGraph()
        let x = try g.input(.array([3, 8], .bit))
        let y = try g.input(.array([3, 8], .bit))
        try g.setOutput(try g.custom(.comparison("GreaterThan", signed: true), [x, y]))
        try b.setMain(g)
        let context = try b.finish()
        #expect(try CustomExpansion.expand(context) == context)
    }

    @Test func singleOperationExpansion() throws {
        let expansion = try CustomExpansion.expansion(of: Self.multiply, argumentTypes: [.array([2], .i64), .scalar(.i64)])
        let graph = try expansion.main()
        #expect(graph.inputTypes == [.array([2], .i64), .scalar(.i64)])
        #expect(graph.nodes.map(\.operation.name) == ["Input", "Input", "Multiply", "Truncate"])
        let out = try Evaluator().evaluate(expansion, inputs: [expansionTensor(.i64, [1 << 15, -(3 << 14)]), .scalar(.i64, 2 << 15)])
        #expect(out == expansionTensor(.i64, [2 << 15, -(3 << 15)]))
        // Zero iterations: the result is the initial approximation, behind a fresh NOP.
        let newton = CustomOperation("NewtonInversion", parameters: [("iterations", .int(0)), ("denominator_cap_2k", .int(8))])
        let passThrough = try CustomExpansion.expansion(of: newton, argumentTypes: [.scalar(.u64), .scalar(.u64)]).main()
        #expect(passThrough.nodes.map(\.operation.name) == ["Input", "Input", "Constant", "NOP"])
        #expect(passThrough.nodes[3].dependencies == [1])
    }

    @Test func unknownCustomOperationsAreRefusedByName() throws {
        #expect(throws: ConfideError.self) {
            _ = try CustomExpansion.expansion(of: CustomOperation("Frobnicate"), argumentTypes: [.scalar(.i64)])
        }
        do {
            _ = try CustomExpansion.expansion(of: CustomOperation("Frobnicate"), argumentTypes: [.scalar(.i64)])
        } catch let error as ConfideError {
            #expect(error.code == .unsupportedOperation)
            #expect(error.message.contains("Frobnicate"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        // The evaluator refuses an unknown body before running anything, naming it.
        let error = expansionError(CustomOperation("Frobnicate"), [.scalar(.i64, 1)])
        #expect(error?.code == .unsupportedOperation)
        #expect(error?.message.contains("Frobnicate") == true)
        // A known operation without an expansion (BinaryAddTransposed) is refused by the evaluator too.
        var generator = try AESCTRGenerator(key: [UInt8](repeating: 1, count: 16))
        #expect(throws: ConfideError.self) {
            _ = try Evaluator.evaluateExtended(.custom(CustomOperation("BinaryAddTransposed")), [], random: &generator)
        }
        #expect(!CustomExpansion.expands("BinaryAddTransposed"))
        #expect(CustomExpansion.expands("LongDivision") && CustomExpansion.expands("AucScore"))
        #expect(CustomExpansion.expandedOperations.count == 11)
    }

    @Test func expansionErrorsNameTheNode() throws {
        let b = ContextBuilder()
        let g = b.makeGraph()
        let x = try g.input(.scalar(.i64))
        try g.setOutput(try g.custom(CustomOperation("TaylorExponent", parameters: [("taylor_terms", .int(3))]), [x]).named("bad"))
        try b.setMain(g)
        let context = try b.finish()
        do {
            _ = try CustomExpansion.expand(context)
            Issue.record("a TaylorExponent without fixed_precision_points should not expand")
        } catch let error as ConfideError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("node 1 ('bad')"))
            #expect(error.message.contains("fixed_precision_points"))
        }
    }
}
