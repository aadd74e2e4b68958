import ArgumentParser

/// The `confide` command line.
@main
struct ConfideCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confide",
        abstract: "Confide: an open runtime for CipherCore computation graphs.",
        discussion: """
            Reads CipherCore graphs (context JSON, versions 1 and 2) and typed inputs (input.txt) and runs them.
            Start with `confide demo`, which runs the built-in examples on this machine.
            """,
        subcommands: [DemoCommand.self, EvalCommand.self, SimulateCommand.self, SimulatePartyCommand.self, InspectCommand.self, ExampleCommand.self, CredentialsCommand.self, ApproveCommand.self, NodeCommand.self, DataNodeCommand.self, RunCommand.self, WorkerCommand.self, WorkOrderCommand.self, FLCommand.self]
    )
}
