import ArgumentParser
import ConfideCore
import ConfideMPC
import ConfideRuntime
import Foundation

/// `confide approve`: a party's operator reviews a graph and adds it to the node's approval policy.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a graph for this party's compute node: print what it reveals to whom and add it to a policy file.",
        discussion: """
            The entry holds the SHA-256 of the exact graph_json that `confide run` registers for GRAPH with the same \
            --input-parties/--output-parties (a compiled graph: the file as is; an uncompiled one: Confide's envelope), the \
            parties that may receive outputs and, with --data-keys, the only data keys sessions may use. Start the node \
            with --approved-graphs FILE (YAML approved_graphs): it refuses every other graph.
            A compiled graph does not record who owns its inputs or who it reveals to: give --output-parties as they \
            were given to CipherCore's compiler; the description lists its transfers so that you can check them.
            Examples:
              confide approve two_millionaires/graph.json --output-parties 0,1 --data-keys millionaires --out policy.yaml
              confide approve median.json --input-parties secret-shared --output-parties 0 --out policy.yaml
            """
    )

    @Argument(help: "The graph file (compiled CipherCore JSON, or an uncompiled graph with --input-parties).")
    var graph: String

    @Option(name: .customLong("input-parties"), help: "For an uncompiled graph: who gives each input (0,1 / public / secret-shared), as for confide run.")
    var inputParties: String?

    @Option(name: .customLong("output-parties"), help: "Who receives the output: parties (0,1), public or secret-shared.")
    var outputParties: String?

    @Option(name: .customLong("data-keys"), help: "Comma-separated data keys sessions may use (default: any).")
    var dataKeys: String?

    @Option(name: .long, help: "A label for the entry (default: the graph file's name).")
    var name: String?

    @Option(name: .long, help: "The policy file to write or append to.")
    var out: String

    func run() throws {
        let bytes: [UInt8]
        var declared: Set<Int>?
        switch (inputParties, outputParties) {
        case let (inputs?, outputs?):
            bytes = try GraphFile.registrationBytes(graph, spec: try IOSpec(inputParties: inputs, outputParties: outputs))
        case let (nil, outputs?):
            bytes = try GraphFile.registrationBytes(graph, spec: nil)
            declared = GraphApproval.revealedParties(try IOSpec(inputParties: "0", outputParties: outputs).output)
        case (_?, nil):
            throw ConfideError(.invalidArgument, "--input-parties needs --output-parties")
        case (nil, nil):
            bytes = try GraphFile.registrationBytes(graph, spec: nil)
        }
        let keys = dataKeys.map { $0.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) } }
        if let keys, keys.isEmpty || keys.contains(where: \.isEmpty) {
            throw ConfideError(.invalidArgument, "--data-keys needs comma-separated, non-empty keys")
        }
        let label = name ?? URL(fileURLWithPath: graph).pathComponents.suffix(2).joined(separator: "/")
        let approval = try GraphFile.inFile(graph) {
            try GraphApproval.make(bytes: bytes, name: label, outputParties: declared, dataKeys: keys)
        }
        var policy = FileManager.default.fileExists(atPath: out) ? try ApprovalPolicy.load(file: out) : ApprovalPolicy(file: out)
        policy.add(approval)
        try policy.write()
        print("approved '\(label)' (sha256 \(approval.sha256)) in \(out)")
        print("it reveals: \(approval.reveals)")
        if let keys { print("data keys allowed: \(keys.joined(separator: ", "))") }
    }
}
