import ArgumentParser
import ConfideCore
import ConfideGraph

/// `confide demo`: the main job on its embedded default — CipherCore's command-line examples, all on this machine.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run CipherCore's command-line examples (matrix multiplication, millionaires, minimum, sort) on this machine."
    )

    func run() throws {
        do {
            for name in ExampleGraphs.names {
                let context = try ExampleGraphs.make(name)
                let inputs = try Value.typedValues(fromJSONText: ExampleGraphs.defaultInputs(name))
                let types = try TypeInference.inferTypes(context)
                let summary = try GraphSummary(context, types: types)
                let output = try Evaluator().evaluate(context, inputs: inputs)
                print("\(name): \(summary.mainNodeCount) nodes, inputs \(summary.inputTypes.map(\.description).joined(separator: ", "))")
                print("  output \(output.type) = \(ReadableJSON.format(output.typedJSON()["value"] ?? .null))")
            }
        } catch let error as ConfideError {
            throw CommandFailure(error)
        }
    }
}
