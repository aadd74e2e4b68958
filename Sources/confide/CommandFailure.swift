import ArgumentParser
import ConfideCore

/// A failed command: prints `error: <code>: <message>` and exits with status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let error: ConfideError

    init(_ error: ConfideError) { self.error = error }

    var description: String { error.description }
}
