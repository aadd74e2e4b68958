import ConfideCore

/// Avalon's sample `hello` workload: one UTF-8 input, output `Hello <input>`.
public struct HelloWorkload: Workload {
    public init() {}

    public func run(_ inputs: [[UInt8]]) async throws -> [[UInt8]] {
        guard inputs.count == 1 else {
            throw ConfideError(.wrongInputCount, "hello takes 1 input, found \(inputs.count)")
        }
        guard let name = String(validating: inputs[0], as: UTF8.self) else {
            throw ConfideError(.invalidValue, "hello: the input is not UTF-8 text")
        }
        return [Array("Hello \(name)".utf8)]
    }
}
