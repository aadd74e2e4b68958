import ArgumentParser
import ConfideCore
import ConfideGraph

/// `confide example`: writes the graph of one of CipherCore's command-line examples.
struct ExampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "example",
        abstract: "Write the graph of a CipherCore command-line example (JSON version 2) to standard output.",
        discussion: """
            Examples: \((ExampleGraphs.names + ExampleGraphs.runtimeNames).joined(separator: ", ")). Use --inputs to print the \
            sample inputs of a command-line example instead. `median` sorts a secret-shared u32[1024] and takes element 511; `multiply` multiplies two u64 arrays; \
            --count and --type resize sort, median, multiply and minimum: \
            run it with `confide simulate median.json --inputs ../shared/ciphercore-examples/median --input-parties secret-shared \
            --output-parties 0`.
            """
    )

    @Argument(help: "Example name.")
    var name: String

    @Flag(help: "Print the example's sample inputs (typed-value JSON) instead of its graph.")
    var inputs = false

    @Option(help: "Context JSON version to write (1 or 2).")
    var version = 2

    @Option(help: "The number of elements (sort, median, multiply; a power of two for minimum).")
    var count: Int?

    @Option(help: "The scalar type of the elements (e.g. i32, u64).")
    var type: String?

    func run() throws {
        if inputs {
            print(try ExampleGraphs.defaultInputs(name))
        } else {
            let scalar = try type.map { word in
                guard let s = ScalarType(rawValue: word) else { throw ConfideError(.invalidArgument, "--type: '\(word.prefix(40))' is not a scalar type") }
                return s
            }
            print(try ExampleGraphs.make(name, count: count, scalarType: scalar).serialized(version: version))
        }
    }
}
