import ArgumentParser
import ConfideCore
import ConfideGraph
import ConfideMPC

/// `confide inspect`: size, operations and communication of a graph.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print node count, operation histogram, inputs, output and traffic.",
        discussion: """
            For compiled MPC graphs, rounds are the longest chain of Send-annotated NOPs on a dependency path, \
            and bytes are the encoded size of every value a party sends. For an uncompiled graph with \
            --input-parties and --output-parties, the traffic is what the secure planner's ABY3 kernels send \
            (exact per party) and the rounds an upper bound: the numbers a compute node's budget is checked against.
            """
    )

    @Argument(help: "Graph file: a CipherCore context, JSON version 1 or 2.")
    var graph: String

    @Option(name: .customLong("input-parties"), help: "For an uncompiled graph: who gives each input (0,1 / public / secret-shared), as for confide run.")
    var inputParties: String?

    @Option(name: .customLong("output-parties"), help: "For an uncompiled graph: who receives the output (0,2 / public / secret-shared).")
    var outputParties: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        let context = try GraphFile.load(graph)
        let types = try GraphFile.inFile(graph) { try TypeInference.inferTypes(context) }
        let summary = try GraphSummary(context, types: types)
        var planned: KernelCost?
        switch (inputParties, outputParties) {
        case let (inputs?, outputs?):
            let spec = try IOSpec(inputParties: inputs, outputParties: outputs)
            planned = try GraphFile.inFile(graph) { try SecureProgram(context, spec: spec).estimatedCost() }
        case (nil, nil): break
        default: throw ConfideError(.invalidArgument, "--input-parties and --output-parties go together")
        }
        print(json ? SummaryReport.json(summary, planned: planned).prettyPrinted() : SummaryReport.text(summary, planned: planned))
    }
}
