import ConfideCore
import Testing

@testable import ConfideGraph

@Suite("Context builder")
struct ContextBuilderTests {
    /// The error code `body` throws (nil when it succeeds).
    static func code(_ body: () throws -> Void) -> ConfideError.Code? {
        do {
            try body()
            return nil
        } catch {
            return (error as? ConfideError)?.code ?? ConfideError.Code("non-confide")
        }
    }

    @Test func buildsTheReadmeExample() throws {
        let b = ContextBuilder()
        let g = b.makeGraph()
        let x = try g.input(.scalar(.u32)).named("x")
        let y = try g.add(x, x)
        try g.setOutput(y)
        try b.setMain(g)
        let context = try b.finish()
        #expect(context == Context(
            graphs: [Graph(nodes: [Node(.input(.scalar(.u32))), Node(.add, dependencies: [0, 0])], outputNode: 1)],
            mainGraph: 0, nodeNames: [.init(graph: 0, node: 0): "x"]))
        #expect(x.nodeID == Context.NodeID(graph: 0, node: 0))
        #expect(y.id == 1 && g.nodeCount == 2)
    }

    @Test func buildsCallsNamesAndAnnotations() throws {
        let b = ContextBuilder()
        let step = try b.makeGraph().named("step").annotated(.associativeOperation)
        let s = try step.input(.scalar(.i32))
        let e = try step.input(.scalar(.i32))
        let sum = try step.add(s, e).annotated(.associativeOperation).annotated(.private)
        try step.setOutput(try step.createTuple([sum, sum]))
        let main = try b.makeGraph().named("main")
        let xs = try main.input(.array([4], .i32)).named("xs")
        let zero = try main.constant(.scalar(.i32, 0))
        let iterated = try main.iterate(step, state: zero, input: try main.arrayToVector(xs))
        let called = try main.call(step, [zero, zero])
        let out = try main.nop(try main.createTuple([iterated, called])).annotated(.send(from: 0, to: 1))
        try main.setOutput(out)
        try b.setMain(main)
        let context = try b.finish()
        #expect(context.mainGraph == 1)
        #expect(context.graphNames == [0: "step", 1: "main"])
        #expect(context.graphAnnotations == [0: [.associativeOperation]])
        #expect(context.annotations(graph: 0, node: 2) == [.associativeOperation, .private])
        #expect(context.annotations(graph: 1, node: 6) == [.send(from: 0, to: 1)])
        #expect(context.graphs[1].nodes[1].operation == .constant(.scalar(.i32), .bytes([0, 0, 0, 0])))
        #expect(context.graphs[1].nodes[3] == Node(.iterate, dependencies: [1, 2], graphDependencies: [0]))
        #expect(context.graphs[1].nodes[4] == Node(.call, dependencies: [1, 1], graphDependencies: [0]))
        for version in [1, 2] {
            #expect(try Context(serialized: try context.serialized(version: version)) == context)
        }
    }

    /// Every builder method records the matching operation and dependencies.
    @Test func everyOperationMethod() throws {
        let b = ContextBuilder()
        let callee = b.makeGraph()
        try callee.setOutput(try callee.input(.scalar(.u8)))
        let g = b.makeGraph()
        let a = try g.input(.array([2, 2], .u64))
        let c = try g.input(.array([2, 2], .u64))
        let key = try g.random(.array([128], .bit))
        let gc = CustomOperation.comparison("GreaterThan", signed: false)
        let expected: [(BuilderNode, Operation, [BuilderNode])] = [
            (try g.zeros(.scalar(.u8)), .zeros(.scalar(.u8)), []), (try g.ones(.scalar(.i8)), .ones(.scalar(.i8)), []),
            (try g.add(a, c), .add, [a, c]), (try g.subtract(a, c), .subtract, [a, c]), (try g.multiply(a, c), .multiply, [a, c]),
            (try g.mixedMultiply(a, c), .mixedMultiply, [a, c]), (try g.dot(a, c), .dot, [a, c]), (try g.matmul(a, c), .matmul, [a, c]),
            (try g.gemm(a, c, transposeB: true), .gemm(transposeA: false, transposeB: true), [a, c]),
            (try g.truncate(a, scale: 1 << 100), .truncate(1 << 100), [a]), (try g.sum(a, axes: [1]), .sum([1]), [a]),
            (try g.cumSum(a, axis: 0), .cumSum(0), [a]), (try g.permuteAxes(a, axes: [1, 0]), .permuteAxes([1, 0]), [a]),
            (try g.get(a, index: [1]), .get([1]), [a]), (try g.getSlice(a, [.ellipsis]), .getSlice([.ellipsis]), [a]),
            (try g.reshape(a, .array([4], .u64)), .reshape(.array([4], .u64)), [a]), (try g.nop(a), .nop, [a]),
            (try g.prf(key, iv: 3, type: .scalar(.u32)), .prf(iv: 3, .scalar(.u32)), [key]),
            (try g.permutationFromPRF(key, iv: 4, n: 5), .permutationFromPRF(iv: 4, n: 5), [key]),
            (try g.stack([a, c], outerShape: [2]), .stack([2]), [a, c]), (try g.concatenate([a, c], axis: 1), .concatenate(1), [a, c]),
            (try g.constant(.scalar(.u8), .bytes([9])), .constant(.scalar(.u8), .bytes([9])), []),
            (try g.a2b(a), .a2b, [a]), (try g.b2a(a, .u16), .b2a(.u16), [a]), (try g.createTuple([a, c]), .createTuple, [a, c]),
            (try g.createNamedTuple([("p", a), ("q", c)]), .createNamedTuple(["p", "q"]), [a, c]),
            (try g.createVector(.array([2, 2], .u64), [a, c]), .createVector(.array([2, 2], .u64)), [a, c]),
            (try g.tupleGet(a, index: 1), .tupleGet(1), [a]), (try g.namedTupleGet(a, key: "p"), .namedTupleGet("p"), [a]),
            (try g.vectorGet(a, index: c), .vectorGet, [a, c]), (try g.zip([a, c]), .zip, [a, c]),
            (try g.repeat(a, count: 3), .repeat(3), [a]), (try g.arrayToVector(a), .arrayToVector, [a]),
            (try g.vectorToArray(a), .vectorToArray, [a]), (try g.randomPermutation(n: 6), .randomPermutation(6), []),
            (try g.gather(a, indices: c, axis: 1), .gather(1), [a, c]), (try g.cuckooHash(a, hashMatrices: c), .cuckooHash, [a, c]),
            (try g.inversePermutation(a), .inversePermutation, [a]), (try g.cuckooToPermutation(a), .cuckooToPermutation, [a]),
            (try g.decomposeSwitchingMap(a, n: 7), .decomposeSwitchingMap(7), [a]),
            (try g.segmentCumSum(a, binary: c, first: key), .segmentCumSum, [a, c, key]),
            (try g.applyPermutation(a, permutation: c, inverse: true), .applyPermutation(inverse: true), [a, c]),
            (try g.sort(a, key: "k"), .sort(key: "k"), [a]), (try g.custom(gc, [a, c]), .custom(gc), [a, c]),
            (try g.print(a, message: "m"), .print("m"), [a]), (try g.assert(c, a, message: "ok"), .assert("ok"), [c, a]),
            (try g.call(callee, [a]), .call, [a]),
            (try g.shard(a, numShards: 2, shardSize: 8, headers: ["ID"], withColumnMasks: true),
             .shard(withColumnMasks: true, config: .object([
                ("num_shards", .int(2)), ("shard_size", .int(8)), ("shard_headers", .array([.string("ID")])),
             ])), [a]),
            (try g.join(a, c, type: .left, headers: [("ID", "Key")]),
             .join(withColumnMasks: false, arguments: .array([.string("Left"), .object([("ID", .string("Key"))])])), [a, c]),
        ]
        for (node, operation, dependencies) in expected {
            let recorded = b.context.graphs[1].nodes[node.id]
            #expect(recorded.operation == operation)
            #expect(recorded.dependencies == dependencies.map(\.id))
        }
        #expect(b.context.graphs[1].nodes.last?.graphDependencies == [])
        try g.setOutput(a)
        try b.setMain(g)
        let context = try b.finish()
        #expect(context.graphs[1].nodes.count == 3 + expected.count)
        #expect(try Context(serialized: try context.serialized()) == context)
    }

    @Test func rejectsMisuse() throws {
        let b = ContextBuilder()
        let g = b.makeGraph()
        let h = b.makeGraph()
        let x = try g.input(.scalar(.bit))
        #expect(Self.code { _ = try h.nop(x) } == .invalidArgument)
        #expect(Self.code { try h.setOutput(x) } == .invalidArgument)
        #expect(Self.code { _ = try g.call(h, []) } == .invalidArgument)
        #expect(Self.code { try b.setMain(g) } == .invalidArgument)
        #expect(Self.code { _ = try b.finish() } == .invalidGraph)
        #expect(Self.code { _ = try h.call(g, []) } == .invalidArgument)
        try g.setOutput(x)
        let y = try h.input(.scalar(.bit))
        #expect(Self.code { _ = try h.call(g, [y]) } == nil)
        #expect(Self.code { _ = try g.call(g, [x]) } == .invalidArgument)
        try x.named("x")
        #expect(Self.code { try x.named("again") } == .invalidArgument)
        #expect(Self.code { try g.input(.scalar(.bit)).named("x") } == .invalidArgument)
        #expect(Self.code { try y.named("x") } == nil)
        try g.named("g")
        #expect(Self.code { try h.named("g") } == .invalidArgument)
        #expect(Self.code { try g.named("other") } == .invalidArgument)
        let other = ContextBuilder().makeGraph()
        #expect(Self.code { try b.setMain(other) } == .invalidArgument)
        #expect(Self.code { _ = try h.call(other, []) } == .invalidArgument)
        #expect(Self.code { _ = try b.finish() } == .invalidGraph)
        try b.setMain(g)
        #expect(Self.code { try b.setMain(g) } == .invalidArgument)
        #expect(Self.code { _ = try b.finish() } == .invalidGraph)
        try h.setOutput(y)
        let context = try b.finish()
        #expect(context.finalized && context.graphs.allSatisfy(\.finalized))
        #expect(context.nodeNames == [.init(graph: 0, node: 0): "x", .init(graph: 1, node: 0): "x"])
    }

    @Test func snapshotWhileBuildingIsNotFinalized() throws {
        let b = ContextBuilder()
        let g = b.makeGraph()
        _ = try g.zeros(.scalar(.u8))
        let snapshot = b.context
        #expect(!snapshot.finalized)
        #expect(!snapshot.graphs[0].finalized)
        #expect(snapshot.graphs[0].nodes.count == 1)
        #expect(try Context(serialized: try snapshot.serialized()) == snapshot)
    }
}
