import ConfideCore
import ConfideGraph
import ConfideMPC
import Foundation
import Testing

@testable import ConfideRuntime

@Suite(.serialized) struct GraphCostTests {
    @Test func aCompiledGraphCostsItsTransfersAndRounds() throws {
        let envelope = try GraphEnvelope(bytes: try graphBytes(RuntimeExamples.path("two_millionaires/graph.json")))
        let cost = try GraphCost(envelope.context, plan: try envelope.plan())
        #expect(cost.rounds == 46)
        // ciphercore-compat.md: 866 bytes of traffic in total for this graph.
        #expect(cost.bytes == 866, "\(cost)")
        #expect(cost.scalars > 0)
        #expect(cost.excess(over: GraphBudget()) == nil)
        #expect(cost.excess(over: GraphBudget(maxRounds: 45))?.contains("46 rounds") == true)
        #expect(cost.excess(over: GraphBudget(maxBytes: 865))?.contains("866 bytes") == true)
    }

    /// A Call counts its graph once more, an Iterate once per element, in scalars and in traffic.
    @Test func callsAndIterationsFanOut() throws {
        let u32 = ValueType.scalar(.u32)
        let body = Graph(nodes: [Node(.input(u32)), Node(.input(u32)), Node(.add, dependencies: [0, 1]), Node(.createTuple, dependencies: [2, 2])], outputNode: 3)
        let adder = Graph(nodes: [Node(.input(u32)), Node(.input(u32)), Node(.add, dependencies: [0, 1])], outputNode: 2)
        let main = Graph(
            nodes: [
                Node(.input(u32)), Node(.input(.vector(10, u32))),
                Node(.call, dependencies: [0, 0], graphDependencies: [1]),
                Node(.iterate, dependencies: [0, 1], graphDependencies: [0]),
            ], outputNode: 3)
        let context = Context(graphs: [body, adder, main], mainGraph: 2)
        let plan = try GraphPlan(context, spec: try IOSpec(inputParties: "0,0", outputParties: "0"))
        let cost = try GraphCost(context, plan: plan)
        let types = try TypeInference.inferTypes(context)
        let own = types[2].reduce(0) { $0 + $1.scalarCount }
        // body: 3 scalars + a 2-tuple = 5; adder: 3.
        #expect(cost.scalars == own + 3 + 10 * 5)
        // Party 0 shares 1 + 10 scalars (one round each, 4 bytes), the adds are free, and party 1
        // sends party 0 its missing components of the 1 + 10 outputs (one round each).
        #expect(cost.bytes == 4 * 11 + 4 * 11 && cost.rounds == 11 + 11, "\(cost)")
        #expect(cost.excess(over: GraphBudget(maxBytes: 87))?.contains("it sends 88 bytes") == true)
        #expect(cost.excess(over: GraphBudget(maxScalars: cost.scalars - 1))?.contains("scalars") == true)
    }

    @Test func aNodeRefusesAGraphOverItsBudget() async throws {
        let deployment = try await LocalDeployment(inputs: millionairesInputs, budget: GraphBudget(maxRounds: 10))
        let orchestrator = try deployment.orchestrator()
        try await orchestrator.connect(within: .seconds(20))
        let error = await #expect(throws: ConfideError.self) {
            try await orchestrator.register(graphID: "big", graphJSON: try graphBytes(RuntimeExamples.path("two_millionaires/graph.json")))
        }
        #expect(error?.message.contains("over this node's budget: it takes 46 rounds") == true, "\(error?.message ?? "")")
        // A planned graph is held to the same budget, from the kernels the planner will call:
        // two inputs, two A2Bs (7 rounds each), a comparison (6) and the reveal.
        let planned = try GraphEnvelope(context: ExampleGraphs.millionaires(), spec: try IOSpec(inputParties: "0,1", outputParties: "0")).bytes()
        let plannedError = await #expect(throws: ConfideError.self) { try await orchestrator.register(graphID: "planned", graphJSON: planned) }
        #expect(plannedError?.message.contains("over this node's budget: it takes 23 rounds") == true, "\(plannedError?.message ?? "")")
        orchestrator.close()
        await deployment.stop()
    }
}
