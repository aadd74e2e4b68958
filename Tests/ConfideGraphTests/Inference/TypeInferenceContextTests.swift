import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Type inference: whole contexts")
struct TypeInferenceContextTests {
    /// Graph 0: (state u32, x bit[2]) → (state + 1, a2b(state)); graph 1: f(u32) = state; graph 2 (main)
    /// calls graph 1 and iterates graph 0.
    private func callingContext() -> Context {
        let body = Graph(nodes: [
            Node(.input(.scalar(.u32))),
            Node(.input(tiBits(2))),
            Node(.ones(.scalar(.u32))),
            Node(.add, dependencies: [0, 2]),
            Node(.a2b, dependencies: [0]),
            Node(.createTuple, dependencies: [3, 4]),
        ], outputNode: 5)
        let identity = Graph(nodes: [Node(.input(.scalar(.u32)))], outputNode: 0)
        let main = Graph(nodes: [
            Node(.input(.scalar(.u32))),
            Node(.input(.vector(3, tiBits(2)))),
            Node(.call, dependencies: [0], graphDependencies: [1]),
            Node(.iterate, dependencies: [2, 1], graphDependencies: [0]),
            Node(.tupleGet(1), dependencies: [3]),
        ], outputNode: 4)
        return Context(graphs: [body, identity, main], mainGraph: 2)
    }

    @Test("types of every node of every graph, through Call and Iterate")
    func wholeContext() throws {
        let types = try TypeInference.inferTypes(callingContext())
        #expect(types.count == 3)
        #expect(types[0] == [.scalar(.u32), tiBits(2), .scalar(.u32), .scalar(.u32), tiBits(32), .tuple([.scalar(.u32), tiBits(32)])])
        #expect(types[1] == [.scalar(.u32)])
        #expect(types[2] == [
            .scalar(.u32), .vector(3, tiBits(2)), .scalar(.u32),
            .tuple([.scalar(.u32), .vector(3, tiBits(32))]), .vector(3, tiBits(32)),
        ])
        let signature = try TypeInference.signature(ofGraph: 0, in: callingContext(), types: types[0])
        #expect(signature == .init(inputTypes: [.scalar(.u32), tiBits(2)], outputType: .tuple([.scalar(.u32), tiBits(32)])))
    }

    @Test("an empty context and an empty graph")
    func empty() throws {
        #expect(try TypeInference.inferTypes(Context()) == [])
        #expect(try TypeInference.inferTypes(Context(graphs: [Graph()], mainGraph: 0)) == [[]])
    }

    @Test("errors name the node and the operation")
    func messages() throws {
        let context = inferenceContext([
            Node(.input(tiArray(.u32, 2, 3))),
            Node(.input(tiArray(.u32, 4))),
            Node(.add, dependencies: [0, 1]),
        ])
        let error = try #require(inferenceContextError(context))
        #expect(error.code == .shapeMismatch)
        #expect(error.message == "node 2 (Add): shapes [2, 3] and [4] cannot be broadcast together")

        var named = callingContext()
        named.graphs[0].nodes[3] = Node(.add, dependencies: [0, 1])
        named.nodeNames[.init(graph: 0, node: 3)] = "increment"
        let namedError = try #require(inferenceContextError(named))
        #expect(namedError.code == .typeMismatch)
        #expect(namedError.message.hasPrefix("graph 0 node 3 ('increment') (Add): "))
        #expect(namedError.message.contains("scalar or an array") || namedError.message.contains("u32"))

        let custom = inferenceContext([Node(.input(tiBits(8))), Node(inferenceCustom("Teleport"), dependencies: [0])])
        let customError = try #require(inferenceContextError(custom))
        #expect(customError.code == .unsupportedOperation)
        #expect(customError.message == "node 1 (Teleport): unknown custom operation 'Teleport'")
    }

    @Test("malformed dependencies are rejected", arguments: [
        [Node(.input(.scalar(.u8))), Node(.nop, dependencies: [1])],
        [Node(.input(.scalar(.u8))), Node(.nop, dependencies: [2])],
        [Node(.input(.scalar(.u8))), Node(.nop, dependencies: [-1])],
        [Node(.input(.scalar(.u8))), Node(.nop, dependencies: [])],
        [Node(.input(.scalar(.u8))), Node(.nop, dependencies: [0, 0])],
        [Node(.input(.scalar(.u8)), dependencies: [0])],
        [Node(.input(.scalar(.u8))), Node(.nop, dependencies: [0], graphDependencies: [0])],
        [Node(.input(.scalar(.u8))), Node(.segmentCumSum, dependencies: [0, 0])],
    ])
    func dependencies(_ nodes: [Node]) {
        #expect(inferenceContextError(inferenceContext(nodes))?.code == .invalidGraph)
    }

    @Test("graph dependencies must be earlier, finalized graphs with an output node")
    func graphDependencies() {
        var later = callingContext()
        later.graphs.swapAt(0, 2)
        later.mainGraph = 0
        let laterError = inferenceContextError(later)
        #expect(laterError?.code == .invalidGraph)
        #expect(laterError?.message.hasPrefix("node 2 (Call): ") == true)

        var unfinished = callingContext()
        unfinished.graphs[1].finalized = false
        #expect(inferenceContextError(unfinished)?.code == .invalidGraph)

        var noOutput = callingContext()
        noOutput.graphs[1].outputNode = nil
        #expect(inferenceContextError(noOutput)?.code == .invalidGraph)

        var badOutput = callingContext()
        badOutput.graphs[1].outputNode = 7
        #expect(inferenceContextError(badOutput)?.code == .invalidGraph)

        var negative = callingContext()
        negative.graphs[2].nodes[2].graphDependencies = [-1]
        #expect(inferenceContextError(negative)?.code == .invalidGraph)

        var missing = callingContext()
        missing.graphs[2].nodes[2].graphDependencies = []
        #expect(inferenceContextError(missing)?.code == .invalidGraph)

        var selfCall = callingContext()
        selfCall.graphs[2].nodes[2].graphDependencies = [2]
        #expect(inferenceContextError(selfCall)?.code == .invalidGraph)
    }

    @Test("Call and Iterate check the callee's protocol inside a context")
    func calleeMismatch() throws {
        var wrongArgument = callingContext()
        wrongArgument.graphs[2].nodes[0] = Node(.input(.scalar(.u64)))
        let error = try #require(inferenceContextError(wrongArgument))
        #expect(error.code == .typeMismatch)
        #expect(error.message.hasPrefix("node 2 (Call): "))

        var wrongSequence = callingContext()
        wrongSequence.graphs[2].nodes[1] = Node(.input(.vector(3, tiBits(3))))
        let sequenceError = try #require(inferenceContextError(wrongSequence))
        #expect(sequenceError.message.hasPrefix("node 3 (Iterate): "))
    }

    @Test("custom operations inside a context, and a compiled-graph style key setup")
    func mixedGraph() throws {
        let context = inferenceContext([
            Node(.input(tiArray(.u32, 4))),
            Node(.input(tiArray(.u32, 4))),
            Node(.a2b, dependencies: [0]),
            Node(.a2b, dependencies: [1]),
            Node(inferenceComparison("LessThan", signed: false), dependencies: [2, 3]),
            Node(.random(tiBits(128))),
            Node(.nop, dependencies: [5]),
            Node(.prf(iv: 3, tiBits(4)), dependencies: [6]),
            Node(.add, dependencies: [4, 7]),
            Node(.sum([0]), dependencies: [8]),
        ])
        let types = try TypeInference.inferTypes(context)
        #expect(types[0][4] == tiBits(4))
        #expect(types[0][7] == tiBits(4))
        #expect(types[0][9] == .scalar(.bit))
    }

    @Test("huge and negative shapes fail without crashing")
    func hugeShapes() {
        let overflow = inferenceContext([Node(.input(tiArray(.u8, 1 << 32, 1 << 32)))])
        #expect(inferenceContextError(overflow)?.code == .tooLarge)
        let negative = inferenceContext([Node(.zeros(tiArray(.u8, 3, -4)))])
        #expect(inferenceContextError(negative)?.code == .invalidType)
        let stacked = inferenceContext([
            Node(.input(tiArray(.u8, 1 << 20, 1 << 20))),
            Node(.repeat(1 << 40), dependencies: [0]),
        ])
        #expect(inferenceContextError(stacked)?.code == .tooLarge)
        let concatenated = inferenceContext([
            Node(.input(.vector(1 << 61, tiArray(.bit, 1)))),
            Node(.vectorToArray, dependencies: [0]),
            Node(.concatenate(0), dependencies: [1, 1, 1, 1, 1]),
        ])
        #expect(inferenceContextError(concatenated)?.code == .tooLarge)
    }
}
