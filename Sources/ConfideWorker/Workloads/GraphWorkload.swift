import ConfideCore
import ConfideGraph

/// Evaluates a Confide/CipherCore graph on the decrypted inputs with the plaintext evaluator: the
/// trusted-execution alternative to running the same graph under MPC.
///
/// Each `inData` item is one typed value in JSON (an element of CipherCore's `input.txt`, for
/// example `{"kind":"scalar","type":"u32","value":1000}`), one per Input node of the main graph in
/// node order. The single output item is the typed JSON of the graph's output.
public struct GraphWorkload: Workload {
    public let context: Context
    /// A name for error messages (the graph file or example name).
    public let name: String

    public init(context: Context, name: String) {
        self.context = context
        self.name = name
    }

    public func run(_ inputs: [[UInt8]]) async throws -> [[UInt8]] {
        var values = [Value]()
        for (i, bytes) in inputs.enumerated() {
            do {
                let json = try JSONParser(maxDepth: 64, maxBytes: bytes.count).parse(bytes: bytes)
                values.append(try Value(typedJSON: json))
            } catch {
                throw ConfideError(.invalidValue, "graph \(name): inData[\(i)] is not a typed value in JSON")
            }
        }
        try Task.checkCancellation()
        do {
            let output = try Evaluator().evaluate(context, inputs: values)
            return [Array(output.typedJSON().serialized().utf8)]
        } catch let error as ConfideError {
            throw error.prefixed("graph \(name)")
        }
    }
}
