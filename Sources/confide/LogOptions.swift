import ArgumentParser
import ConfideRuntime
import Logging

/// How a command's service logs (`node`, `data-node`, `worker`, `fl aggregator`, `fl collaborator`):
/// swift-log lines as text or JSON, from a chosen level.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "Log lines as text (TIME LEVEL NODE: message, default) or json (one object per line).")
    var logFormat: LogFormat = .text

    @Option(name: .customLong("log-level"), help: "The least severe events logged: trace, debug, info (default), notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    /// The service's logger.
    func logger(_ node: String) -> Logger {
        Logger.node(node, level: logLevel, format: logFormat)
    }
}

extension LogFormat: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
