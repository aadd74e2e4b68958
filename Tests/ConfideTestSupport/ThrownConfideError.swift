import ConfideCore

/// The error `body` throws, as a ``ConfideError`` (another error type becomes an `.evaluation`
/// error naming it); nil when it returns.
public func thrownConfideError(_ body: () async throws -> Void) async -> ConfideError? {
    do {
        try await body()
        return nil
    } catch let error as ConfideError {
        return error
    } catch {
        return ConfideError(.evaluation, "unexpected error type \(type(of: error)): \(error)")
    }
}
