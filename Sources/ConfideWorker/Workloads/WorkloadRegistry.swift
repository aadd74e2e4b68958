import ConfideCore

/// The workloads a worker runs, by name. A work order names its workload by the hex of the name's UTF-8 bytes.
public struct WorkloadRegistry: Sendable {
    private var workloads: [String: any Workload] = [:]

    public init() {}

    /// `hello` and `fib`, plus Avalon's names for them (`python-hello`, `python-fib`, `hello-world`).
    public static var builtIn: WorkloadRegistry {
        var registry = WorkloadRegistry()
        registry.register("hello", HelloWorkload())
        registry.register("fib", FibonacciWorkload())
        return registry
    }

    public mutating func register(_ name: String, _ workload: any Workload) {
        workloads[name] = workload
    }

    public func workload(named name: String) -> (any Workload)? { workloads[name] }

    public var names: [String] { workloads.keys.sorted() }

    /// The workload name a hex `workloadId` stands for, or nil when it is not hex of UTF-8 text.
    public static func name(forWorkloadId id: String) -> String? {
        guard let bytes = Hex.decode(WorkOrderRequest.stripHexPrefix(id)) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The hex `workloadId` of a workload name.
    public static func workloadId(forName name: String) -> String { Hex.encode(Array(name.utf8)) }
}
