import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Core evaluator: the graph driver")
struct CoreDriverTests {
    let evaluator = Evaluator(randomKey: [UInt8](repeating: 9, count: 16))

    /// main: (a: u32[2], b: u32[2]) → (a + b) * a, with node 2 named "total".
    var arithmetic: Context {
        Context(
            graphs: [
                Graph(
                    nodes: [
                        Node(.input(.array([2], .u32))),
                        Node(.input(.array([2], .u32))),
                        Node(.add, dependencies: [0, 1]),
                        Node(.multiply, dependencies: [2, 0]),
                    ], outputNode: 3)
            ],
            mainGraph: 0, nodeNames: [.init(graph: 0, node: 2): "total"])
    }

    @Test("Evaluates nodes in order")
    func evaluatesGraph() throws {
        let result = try evaluator.evaluate(arithmetic, inputs: [coreValue(.u32, [2], [2, 3]), coreValue(.u32, [2], [5, -1])])
        #expect(result == coreValue(.u32, [2], [14, 6]))
    }

    @Test("A wrong number of inputs is refused")
    func inputCount() {
        let error = coreError { try evaluator.evaluate(arithmetic, inputs: [coreValue(.u32, [2], [2, 3])]) }
        #expect(error?.code == .wrongInputCount)
        #expect(error?.message.contains("expects 2 inputs, found 1") == true)
    }

    @Test("An input of the wrong type names the input, the node and both types")
    func inputType() {
        let error = coreError {
            try evaluator.evaluate(arithmetic, inputs: [coreValue(.u32, [2], [2, 3]), coreValue(.u64, [3], [1, 2, 3])])
        }
        #expect(error?.code == .typeMismatch)
        let message = error?.message ?? ""
        #expect(message.contains("input 1"))
        #expect(message.contains("node 1"))
        #expect(message.contains("u32[2]"))
        #expect(message.contains("u64[3]"))
    }

    @Test("Operation errors are prefixed with the node, its name and the operation")
    func errorPrefix() {
        let context = Context(
            graphs: [
                Graph(
                    nodes: [
                        Node(.input(.array([2], .u32))),
                        Node(.input(.array([3], .u32))),
                        Node(.add, dependencies: [0, 1]),
                    ], outputNode: 2)
            ],
            mainGraph: 0, nodeNames: [.init(graph: 0, node: 2): "total"])
        let error = coreError {
            try evaluator.evaluate(context, inputs: [coreValue(.u32, [2], [1, 2]), coreValue(.u32, [3], [1, 2, 3])])
        }
        #expect(error?.code == .shapeMismatch)
        #expect(error?.message.hasPrefix("node 2 ('total') (Add): ") == true)
    }

    @Test("Malformed graphs are refused")
    func malformedGraphs() {
        let noOutput = Context(graphs: [Graph(nodes: [Node(.zeros(.scalar(.u8)))], outputNode: nil)], mainGraph: 0)
        #expect(coreError { try evaluator.evaluate(noOutput, inputs: []) }?.code == .invalidGraph)
        let badOutput = Context(graphs: [Graph(nodes: [Node(.zeros(.scalar(.u8)))], outputNode: 3)], mainGraph: 0)
        #expect(coreError { try evaluator.evaluate(badOutput, inputs: []) }?.code == .invalidGraph)
        let forward = Context(
            graphs: [Graph(nodes: [Node(.nop, dependencies: [1]), Node(.zeros(.scalar(.u8)))], outputNode: 0)], mainGraph: 0)
        #expect(coreError { try evaluator.evaluate(forward, inputs: []) }?.code == .invalidGraph)
        #expect(coreError { try evaluator.evaluate(Context(), inputs: []) }?.code == .invalidGraph)
        let stray = Context(graphs: [Graph(nodes: [Node(.zeros(.scalar(.u8)), graphDependencies: [0])], outputNode: 0)], mainGraph: 0)
        #expect(coreError { try evaluator.evaluate(stray, inputs: []) }?.code == .invalidGraph)
        #expect(coreError { try evaluator.evaluate(graph: 5, in: arithmetic, inputs: []) }?.code == .invalidGraph)
    }

    @Test("Unsupported operations are named")
    func unsupported() {
        let error = coreError(.shard(withColumnMasks: false, config: .null), [.namedTuple([.init("a", coreValue(.u64, [2], [0, 1]))])])
        #expect(error?.code == .unsupportedOperation)
        #expect(error?.message.contains("Shard") == true)
        let custom = coreError(.custom(CustomOperation("BinaryAddTransposed")), [coreValue(.i64, [2], [0, 1])])
        #expect(custom?.message.contains("BinaryAddTransposed") == true)
    }

    /// graph 0: (x: i32, y: i32) → x - y; graph 1 (main): Call(graph 0) on (a, b) then + a.
    var callContext: Context {
        Context(
            graphs: [
                Graph(
                    nodes: [Node(.input(.scalar(.i32))), Node(.input(.scalar(.i32))), Node(.subtract, dependencies: [0, 1])], outputNode: 2),
                Graph(
                    nodes: [
                        Node(.input(.scalar(.i32))), Node(.input(.scalar(.i32))),
                        Node(.call, dependencies: [0, 1], graphDependencies: [0]),
                        Node(.add, dependencies: [2, 0]),
                    ], outputNode: 3),
            ], mainGraph: 1)
    }

    @Test("Call evaluates another graph")
    func call() throws {
        #expect(try evaluator.evaluate(callContext, inputs: [coreScalar(.i32, 10), coreScalar(.i32, 3)]) == coreScalar(.i32, 17))
        #expect(
            try evaluator.evaluate(graph: 0, in: callContext, inputs: [coreScalar(.i32, 10), coreScalar(.i32, 3)]) == coreScalar(.i32, 7))
    }

    @Test("Call checks its arguments against the callee's inputs and refuses later graphs")
    func callErrors() {
        var context = callContext
        context.graphs[1].nodes[0] = Node(.input(.scalar(.i64)))
        let error = coreError { try evaluator.evaluate(context, inputs: [coreScalar(.i64, 10), coreScalar(.i32, 3)]) }
        #expect(error?.code == .typeMismatch)
        #expect(error?.message.hasPrefix("node 2 (Call): argument 0 has type i64, the called graph expects i32") == true)
        var forward = callContext
        forward.graphs[1].nodes[2].graphDependencies = [1]
        #expect(coreError { try evaluator.evaluate(forward, inputs: [coreScalar(.i32, 1), coreScalar(.i32, 1)]) }?.code == .invalidGraph)
    }

    /// graph 0: (state: u32, x: u32) → (state + x, state); main: Iterate(graph 0) over a vector.
    func iterateContext(count: Int) -> Context {
        Context(
            graphs: [
                Graph(
                    nodes: [
                        Node(.input(.scalar(.u32))), Node(.input(.scalar(.u32))),
                        Node(.add, dependencies: [0, 1]),
                        Node(.createTuple, dependencies: [2, 0]),
                    ], outputNode: 3),
                Graph(
                    nodes: [
                        Node(.input(.scalar(.u32))), Node(.input(.vector(count, .scalar(.u32)))),
                        Node(.iterate, dependencies: [0, 1], graphDependencies: [0]),
                    ], outputNode: 2),
            ], mainGraph: 1)
    }

    @Test("Iterate folds a graph over a vector")
    func iterate() throws {
        let elements = [coreScalar(.u32, 1), coreScalar(.u32, 2), coreScalar(.u32, -1)]
        let result = try evaluator.evaluate(
            iterateContext(count: 3), inputs: [coreScalar(.u32, 10), .vector(elementType: .scalar(.u32), elements)])
        #expect(
            result
                == .tuple([
                    coreScalar(.u32, 12),
                    .vector(elementType: .scalar(.u32), [coreScalar(.u32, 10), coreScalar(.u32, 11), coreScalar(.u32, 13)]),
                ]))
    }

    @Test("Iterate over an empty vector returns the state and an empty vector of the output type")
    func iterateEmpty() throws {
        let result = try evaluator.evaluate(
            iterateContext(count: 0), inputs: [coreScalar(.u32, 10), .vector(elementType: .scalar(.u32), [])])
        #expect(result == .tuple([coreScalar(.u32, 10), .vector(elementType: .scalar(.u32), [])]))
        #expect(result.type == .tuple([.scalar(.u32), .vector(0, .scalar(.u32))]))
    }

    @Test("Iterate refuses a body that does not return (state, output)")
    func iterateErrors() {
        var context = iterateContext(count: 1)
        context.graphs[0].outputNode = 2
        let inputs = [coreScalar(.u32, 10), Value.vector(elementType: .scalar(.u32), [coreScalar(.u32, 1)])]
        #expect(coreError { try evaluator.evaluate(context, inputs: inputs) }?.code == .typeMismatch)
        var wrongState = iterateContext(count: 1)
        wrongState.graphs[0].nodes[3] = Node(.createTuple, dependencies: [1, 0])
        wrongState.graphs[0].nodes[1] = Node(.input(.scalar(.u32)))
        wrongState.graphs[0].nodes[2] = Node(.a2b, dependencies: [0])
        wrongState.graphs[0].nodes[3] = Node(.createTuple, dependencies: [2, 0])
        #expect(coreError { try evaluator.evaluate(wrongState, inputs: inputs) }?.code == .typeMismatch)
        #expect(coreError { try evaluator.evaluate(context, inputs: [coreScalar(.u32, 10), coreScalar(.u32, 1)]) }?.code == .typeMismatch)
    }

    @Test("Random is reproducible with a key and fresh without one")
    func randomKey() throws {
        let context = coreContext(.random(.array([8], .u64)), [])
        let first = try evaluator.evaluate(context, inputs: [])
        #expect(try evaluator.evaluate(context, inputs: []) == first)
        #expect(try Evaluator(randomKey: [UInt8](repeating: 8, count: 16)).evaluate(context, inputs: []) != first)
        #expect(try Evaluator().evaluate(context, inputs: []) != Evaluator().evaluate(context, inputs: []))
        #expect(coreError { try Evaluator(randomKey: [1, 2, 3]).evaluate(context, inputs: []) }?.code == .invalidArgument)
    }

    @Test("Values that are no longer needed do not affect later nodes; a long chain evaluates")
    func longChain() throws {
        var nodes = [Node(.input(.array([4], .u16)))]
        for i in 1...500 { nodes.append(Node(.add, dependencies: [i - 1, 0])) }
        let context = Context(graphs: [Graph(nodes: nodes, outputNode: 500)], mainGraph: 0)
        #expect(
            try evaluator.evaluate(context, inputs: [coreValue(.u16, [4], [1, 2, 3, 200])])
                == coreValue(.u16, [4], [501, 1002, 1503, 100_200 % 65536]))
    }
}
