import ArgumentParser
import ConfideCore
import ConfideGraph

/// `confide inspect`: size, operations and communication of a graph.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print node count, operation histogram, inputs, output and (for compiled graphs) traffic.",
        discussion: """
            For compiled MPC graphs, rounds are the longest chain of Send-annotated NOPs on a dependency path, \
            and bytes are the encoded size of every value a party sends.
            """
    )

    @Argument(help: "Graph file: a CipherCore context, JSON version 1 or 2.")
    var graph: String

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        do {
            let context = try GraphFile.load(graph)
            let types = try GraphFile.inFile(graph) { try TypeInference.inferTypes(context) }
            let summary = try GraphSummary(context, types: types)
            print(json ? SummaryReport.json(summary).prettyPrinted() : SummaryReport.text(summary))
        } catch let error as ConfideError {
            throw CommandFailure(error)
        }
    }
}
