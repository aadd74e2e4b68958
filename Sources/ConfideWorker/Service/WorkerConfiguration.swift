import ConfideCore
import ConfideGraph
import Foundation
import Yams

/// A worker's settings and workloads, read from a YAML (or JSON) file:
///
/// ```yaml
/// workerId: "…64 hex digits…"        # optional; default: SHA-256 of the verifying key
/// maxBodyBytes: 1048576              # largest JSON-RPC request body
/// maxResponseTimeoutMSecs: 600000    # largest responseTimeoutMSecs accepted
/// maxPendingWorkOrders: 1024         # more unfinished orders than this → busy (8)
/// maxRunningWorkloads: 8             # more workloads still running (timed-out ones included) → busy (8)
/// workloads:
///   hello: { kind: hello }
///   fib: { kind: fib, maxN: 100000 }
///   millionaires: { kind: graph, example: millionaires }
///   mine: { kind: graph, graph: graphs/mine.json }   # relative to the config file
/// ```
public struct WorkerConfiguration: Sendable {
    public var workerId: String?
    public var maxBodyBytes = 1 << 20
    public var maxResponseTimeoutMSecs = 600_000
    public var maxPendingWorkOrders = 1024
    /// The most workloads running at once, counting those whose order already timed out but whose
    /// work has not stopped yet: a flood of 1 ms timeouts cannot start unbounded work.
    public var maxRunningWorkloads = 8
    /// How long one `WorkOrderGetResult` call waits for a pending order before answering `pending` (5).
    public var resultWaitMSecs = 2_000
    /// Where `/metrics` is served (on the worker's host, plain HTTP); nil: off (`metricsPort`, `--metrics-port`).
    public var metricsPort: Int?
    public var workloads: WorkloadRegistry

    /// The built-in `hello` and `fib` workloads with default limits.
    public init(workloads: WorkloadRegistry = .builtIn) {
        self.workloads = workloads
    }

    /// Reads a configuration file.
    /// - Throws: `ConfideError` naming the file and the setting.
    public init(contentsOfFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfideError(.io, "\(path): cannot read the worker configuration")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try self.init(yaml: String(decoding: data, as: UTF8.self), baseDirectory: base)
        } catch let error as ConfideError {
            throw error.prefixed(path)
        }
    }

    /// Reads configuration text; graph paths are relative to `baseDirectory`.
    public init(yaml text: String, baseDirectory: URL) throws {
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: text)
        } catch {
            throw ConfideError(.malformedJSON, "not valid YAML or JSON")
        }
        guard let root = loaded as? [String: Any] else { throw ConfideError(.invalidValue, "the configuration must be a mapping") }
        self.init(workloads: WorkloadRegistry())
        let known: Set = [
            "workerId", "maxBodyBytes", "maxResponseTimeoutMSecs", "maxPendingWorkOrders", "maxRunningWorkloads", "resultWaitMSecs", "metricsPort", "metrics_port", "workloads",
        ]
        if let unknown = root.keys.sorted().first(where: { !known.contains($0) }) {
            throw ConfideError(.invalidValue, "unknown setting \(unknown)")
        }
        if let id = root["workerId"] {
            guard let s = id as? String, !s.isEmpty, Hex.decode(WorkOrderRequest.stripHexPrefix(s)) != nil else {
                throw ConfideError(.invalidValue, "workerId must be hexadecimal text")
            }
            workerId = s
        }
        func positive(_ key: String) throws -> Int? {
            guard let v = root[key] else { return nil }
            guard let n = v as? Int, n > 0 else { throw ConfideError(.invalidValue, "\(key) must be a positive integer") }
            return n
        }
        maxBodyBytes = try positive("maxBodyBytes") ?? maxBodyBytes
        maxResponseTimeoutMSecs = try positive("maxResponseTimeoutMSecs") ?? maxResponseTimeoutMSecs
        maxPendingWorkOrders = try positive("maxPendingWorkOrders") ?? maxPendingWorkOrders
        maxRunningWorkloads = try positive("maxRunningWorkloads") ?? maxRunningWorkloads
        resultWaitMSecs = try positive("resultWaitMSecs") ?? resultWaitMSecs
        // metrics_port is the spelling of the other services' YAML; metricsPort that of this file.
        if root["metricsPort"] != nil, root["metrics_port"] != nil { throw ConfideError(.invalidValue, "give metricsPort or metrics_port, not both") }
        metricsPort = try positive("metricsPort") ?? positive("metrics_port")
        if let metricsPort, metricsPort > 65_535 { throw ConfideError(.invalidValue, "metricsPort must be at most 65535") }
        guard let list = root["workloads"] as? [String: Any], !list.isEmpty else {
            throw ConfideError(.invalidValue, "workloads must be a non-empty mapping of name to settings")
        }
        for name in list.keys.sorted() {
            guard let settings = list[name] as? [String: Any], let kind = settings["kind"] as? String else {
                throw ConfideError(.invalidValue, "workload \(name) needs a kind (hello, fib or graph)")
            }
            switch kind {
            case "hello":
                workloads.register(name, HelloWorkload())
            case "fib":
                var fib = FibonacciWorkload()
                if let maxN = settings["maxN"] {
                    guard let n = maxN as? Int, n >= 0 else { throw ConfideError(.invalidValue, "workload \(name): maxN must be a non-negative integer") }
                    fib.maxN = n
                }
                workloads.register(name, fib)
            case "graph":
                if let example = settings["example"] as? String {
                    workloads.register(name, GraphWorkload(context: try ExampleGraphs.make(example), name: example))
                } else if let file = settings["graph"] as? String {
                    let path = file.hasPrefix("/") ? file : baseDirectory.appendingPathComponent(file).path
                    workloads.register(name, GraphWorkload(context: try Context(contentsOfFile: path), name: file))
                } else {
                    throw ConfideError(.invalidValue, "workload \(name): a graph workload needs graph (a file) or example (a name)")
                }
            default:
                throw ConfideError(.invalidValue, "workload \(name): unknown kind \(kind) (hello, fib or graph)")
            }
        }
    }
}
