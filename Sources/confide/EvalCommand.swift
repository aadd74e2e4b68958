import ArgumentParser
import ConfideCore
import ConfideData
import ConfideGraph
import ConfideRuntime

/// `confide eval`: plaintext evaluation of a graph on typed inputs.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a graph in plaintext on its inputs and print (or write) its output.",
        discussion: """
            Each --inputs file gives the next input or inputs of the main graph, in node order: a typed-value JSON file \
            (CipherCore's input.txt list, e.g. [{"kind":"scalar","type":"u32","value":1000}, ...], or one typed value), \
            a CSV table or a NumPy .npy array typed by the graph's input (an array t[n] is one column, t[n, m] is m columns, \
            a named tuple of arrays takes the header columns of its field names), or an input manifest (.yaml) with CSV \
            options (columns, header, fractional_bits, delimiter). Bad cells are reported with file, line and column.
            --output writes the result to a file instead: .csv, .npy, or typed JSON for any other name.
            This is the reference semantics: no secure computation takes place.
            """
    )

    @Argument(help: "Graph file: a CipherCore context, JSON version 1 or 2.")
    var graph: String

    @Option(name: .shortAndLong, help: "An input file (.json/.txt typed values, .csv, .npy, or a .yaml manifest). Repeatable.")
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "Write the output to this file (.csv, .npy or typed .json), replacing it.")
    var output: String?

    @Option(help: "With a .csv output: write numbers as fixed-point decimals x / 2^F.")
    var outputFractionalBits: Int?

    @Flag(help: "Print the output as one compact JSON line instead of indented JSON.")
    var json = false

    func run() throws {
        let context = try GraphFile.load(graph)
        // Without input files the evaluator reports the graph's own errors, then the missing inputs.
        let values: [Value] = try inputs.isEmpty ? [] : GraphFile.inFile(graph) {
            let main = try context.mainIndex()
            return try InputSources.load(inputs, types: context.graphs[main].inputTypes, labels: context.inputLabels(graph: main))
        }
        let result = try GraphFile.inFile(graph) { try Evaluator().evaluate(context, inputs: values) }
        if let output {
            try OutputFile.write(result, to: output, fractionalBits: outputFractionalBits, replacing: true)
            return
        }
        let typed = result.typedJSON()
        print(json ? typed.serialized() : ReadableJSON.format(typed))
    }
}
