import ArgumentParser
import ConfideCore
import ConfideData
import ConfideRuntime
import Logging

/// `confide data-node`: a party's DataManagerService and ResultProviderService.
struct DataNodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data-node",
        abstract: "Serve a party's inputs (DataManagerService) and take its results (ResultProviderService).",
        discussion: """
            Inputs are read and checked when the node starts and served under a key (--input KEY=FILE; a plain FILE is \
            key 'test'), or every NAME.json / .txt / .yaml / .npy of --inputs-dir under key NAME. A file is CipherCore's \
            input.txt (typed JSON values), a NumPy .npy array, or an input manifest (.yaml) listing one entry per graph \
            input: CSV tables (with their type, e.g. i32[1000], and optional columns), .npy arrays, typed JSON, and zeros \
            for inputs other parties own. Errors name the file, line and column.
            Results are stored as typed JSON in --output, one KEY.json per session, and with --result-table csv (or npy) \
            also as KEY.csv; the log says that a result arrived, never its value. Only the compute node of the same \
            party (a certificate naming partyP) is answered.
            """
    )

    @OptionGroup var runtime: RuntimeOptions

    @OptionGroup var logging: LogOptions

    @OptionGroup var metrics: MetricsOptions

    @Option(name: .long, help: "The party: 0, 1, 2, or a party name from --config.")
    var party: String

    @Option(name: .customLong("data-port"), help: "The DataManagerService port (default: from --config, else 42p1).")
    var dataPort: Int?

    @Option(name: .customLong("results-port"), help: "The ResultProviderService port (default: from --config, else 42p2).")
    var resultsPort: Int?

    @Option(name: .long, help: "The address to bind (default: from --config, else 0.0.0.0).")
    var listen: String?

    @Option(name: .long, help: "An input file served under a key: KEY=FILE, or FILE for key 'test'. Repeatable.")
    var input: [String] = []

    @Option(name: .customLong("inputs-dir"), help: "A folder whose NAME.json / NAME.txt files are served under key NAME.")
    var inputsDir: String?

    @Option(name: .long, help: "The folder results are stored in (default: from --config, else results/partyP).")
    var output: String?

    @Option(name: .customLong("result-table"), help: "Also store each result as KEY.csv or KEY.npy (csv|npy). Repeatable.")
    var resultTables: [String] = []

    @Option(name: .customLong("result-fractional-bits"), help: "Write CSV results as fixed-point decimals x / 2^F.")
    var resultFractionalBits: Int?

    func run() async throws {
        let deployment = try runtime.deployment()
        let index = try runtime.party(party, in: deployment)
        var configuration = try deployment.dataNode(index)
        configuration.tls = try runtime.tls(configuration.tls)
        if runtime.config == nil {
            configuration.dataListen.host = "0.0.0.0"
            configuration.resultsListen.host = "0.0.0.0"
        }
        if let listen {
            configuration.dataListen.host = listen
            configuration.resultsListen.host = listen
        }
        if let dataPort { configuration.dataListen.port = dataPort }
        if let resultsPort { configuration.resultsListen.port = resultsPort }
        for entry in input {
            let (key, file) = DataStore.keyAndFile(entry)
            try configuration.store.load(key: key, file: file)
        }
        if let inputsDir { try configuration.store.loadFolder(inputsDir) }
        if let output { configuration.outputFolder = output }
        for word in resultTables {
            guard let format = OutputFile.Format(rawValue: word), format != .json else {
                throw ConfideError(.invalidArgument, "--result-table must be csv or npy, found '\(word.prefix(40))'")
            }
            configuration.resultTables.append(format)
        }
        configuration.resultFractionalBits = resultFractionalBits
        if let listen = try metrics.listen(on: configuration.dataListen.host) { configuration.metricsListen = listen }
        let node = try DataNode(configuration, log: logging.logger(deployment.parties[index].name + "-data"))
        try await NodeLifetime.serve(run: { try await node.run() }, stop: { node.stop() })
    }
}
