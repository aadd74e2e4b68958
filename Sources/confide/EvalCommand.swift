import ArgumentParser
import ConfideCore
import ConfideRuntime
import ConfideGraph

/// `confide eval`: plaintext evaluation of a graph on typed inputs.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a graph in plaintext on typed inputs and print its output as typed JSON.",
        discussion: """
            The inputs file is a JSON array with one typed value per Input node of the main graph, in node order, \
            for example [{"kind":"scalar","type":"u32","value":1000}, ...] (CipherCore's input.txt format).
            This is the reference semantics: no secure computation takes place.
            """
    )

    @Argument(help: "Graph file: a CipherCore context, JSON version 1 or 2.")
    var graph: String

    @Option(name: .shortAndLong, help: "Typed-value JSON file with one value per graph input.")
    var inputs: String?

    @Flag(help: "Print the output as one compact JSON line instead of indented JSON.")
    var json = false

    func run() throws {
        do {
            let context = try GraphFile.load(graph)
            let values = try inputs.map { try InputFile.load($0) } ?? []
            let output = try GraphFile.inFile(graph) { try Evaluator().evaluate(context, inputs: values) }
            let typed = output.typedJSON()
            print(json ? typed.serialized() : ReadableJSON.format(typed))
        } catch let error as ConfideError {
            throw CommandFailure(error)
        }
    }
}
