import ConfideCore
import ConfideGraph
import ConfideMPC
import Testing

@testable import ConfideRuntime

@Suite struct GraphRegistryTests {
    static func entry() throws -> GraphRegistry.Entry {
        let plan = try GraphPlan(ExampleGraphs.millionaires(), spec: try IOSpec(inputParties: "0,1", outputParties: "0"))
        return GraphRegistry.Entry(plan: plan, approval: nil, kind: "uncompiled")
    }

    @Test func aFullRegistryEvictsTheLeastRecentlyUsedGraphNoSessionRuns() async throws {
        let registry = GraphRegistry(capacity: 2)
        let entry = try Self.entry()
        #expect(await registry.add("a", entry, inUse: []) == nil)
        #expect(await registry.add("b", entry, inUse: []) == nil)
        #expect(await registry.add("a", entry, inUse: [])?.result == .duplicate)
        _ = await registry.entry("a")  // "b" is now the least recently used
        #expect(await registry.add("c", entry, inUse: []) == nil)
        #expect(await [registry.contains("a"), registry.contains("b"), registry.contains("c")] == [true, false, true])
        // Graphs that live sessions run are never evicted.
        #expect(await registry.add("d", entry, inUse: ["a"]) == nil)
        #expect(await [registry.contains("a"), registry.contains("c"), registry.contains("d")] == [true, false, true])
        let full = await registry.add("e", entry, inUse: ["a", "d"])
        #expect(full?.result == .genericFailure && full?.message.contains("all run by live sessions") == true)
        #expect(await registry.remove("a"))
        #expect(await !registry.remove("a"))
        #expect(await registry.add("e", entry, inUse: ["d"]) == nil)
    }
}
