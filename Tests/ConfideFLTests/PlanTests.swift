import ConfideCore
import Foundation
import Testing

@testable import ConfideFL

@Suite struct PlanTests {
    @Test func writtenPlanParsesBack() throws {
        var plan = FLPlan()
        plan.rounds = 7
        plan.runner = .external(command: ["python3", "train.py", "--in", "{in}", "--out", "{out}"])
        plan.model.kind = .mlp
        var parsed = try FLPlan.parse(plan.yaml, file: "plan.yaml")
        parsed.folder = plan.folder
        #expect(parsed == plan)
        // The aggregator's metrics port is written only when set, and read back.
        #expect(!plan.yaml.contains("metrics_port"))
        plan.metricsPort = 9551
        var withMetrics = try FLPlan.parse(plan.yaml, file: "plan.yaml")
        withMetrics.folder = plan.folder
        #expect(withMetrics == plan && withMetrics.metricsPort == 9551)
        #expect(throws: ConfideError.self) { try FLPlan.parse("network:\n  metrics_port: 0\n", file: "plan.yaml") }
    }

    @Test func unknownKeyIsNamedWithFileAndLine() {
        let text = "rounds: 3\nstraggler:\n  cutoff_seconds: 5\n  minimum: 2\n"
        #expect {
            try FLPlan.parse(text, file: "fed/plan.yaml")
        } throws: { error in
            let message = (error as? ConfideError)?.message ?? ""
            return message.contains("fed/plan.yaml:4") && message.contains("unknown key 'minimum' in straggler")
        }
        #expect(throws: ConfideError.self) { try FLPlan.parse("round: 3\n", file: "plan.yaml") }
    }

    @Test func medianNeedsPlainMode() throws {
        #expect(throws: ConfideError.self) { try FLPlan.parse("aggregation: median\n", file: "plan.yaml") }
        let plan = try FLPlan.parse("aggregation: median\nsecure_aggregation: false\n", file: "plan.yaml")
        #expect(plan.aggregation == .median)
    }

    @Test func badValuesAreNamed() {
        #expect(throws: ConfideError.self) { try FLPlan.parse("rounds: -1\n", file: "plan.yaml") }
        #expect(throws: ConfideError.self) { try FLPlan.parse("model:\n  kind: forest\n", file: "plan.yaml") }
        #expect(throws: ConfideError.self) { try FLPlan.parse("tasks: [validate_global]\n", file: "plan.yaml") }
    }
}
