import ConfideCore

/// Polls `body` every 25 ms until it gives a value, at most `attempts` times (5 s by default).
/// - Throws: `.timeout` with `what` when it never does.
public func pollUntilValue<T: Sendable>(
    attempts: Int = 200, _ what: String = "a polled condition did not hold", _ body: () async -> T?
) async throws -> T {
    for _ in 0..<attempts {
        if let value = await body() { return value }
        try await Task.sleep(for: .milliseconds(25))
    }
    throw ConfideError(.timeout, what)
}
