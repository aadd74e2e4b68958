/// How a service writes its log lines (`--log-format`, YAML `log_format`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// `TIME LEVEL NODE: message [key=value …]`, one event per line.
    case text
    /// One JSON object per line: `time`, `level`, `node`, `message` and any metadata.
    case json
}
