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
            sample inputs of a command-line example instead. `median` sorts a secret-shared u32[1024] and takes element 511: \
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

    func run() throws {
        do {
            if inputs {
                print(try ExampleGraphs.defaultInputs(name))
            } else {
                print(try ExampleGraphs.make(name).serialized(version: version))
            }
        } catch let error as ConfideError {
            throw CommandFailure(error)
        }
    }
}
