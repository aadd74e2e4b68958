/// A computation the worker runs on the decrypted `inData` of a work order.
///
/// Implementations throw `ConfideError` for bad inputs; their messages must not quote the inputs.
/// Long computations check `Task.isCancelled`: the worker cancels a workload whose work order
/// passed its `responseTimeoutMSecs`.
public protocol Workload: Sendable {
    /// Runs on the plaintext inputs (in `index` order) and returns the plaintext outputs, one per `outData` item.
    func run(_ inputs: [[UInt8]]) async throws -> [[UInt8]]
}
