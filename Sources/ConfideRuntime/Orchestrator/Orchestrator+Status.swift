import ConfideProtos

extension Orchestrator {
    /// A session's state on one compute node, as ListSessions reports it (CipherCore's
    /// `SessionStatus`), in Confide's own type so that the public API carries no generated code.
    public enum Status: String, Sendable, Hashable, CustomStringConvertible {
        case created = "CREATED"
        case running = "RUNNING"
        case finished = "FINISHED"
        /// FAILED, or a value this runtime does not know (a newer peer's status counts as a failure).
        case failed = "FAILED"

        init(_ status: Ciphercore_SessionListResponse.SessionEntry.SessionStatus) {
            switch status {
            case .created: self = .created
            case .running: self = .running
            case .finished: self = .finished
            default: self = .failed
            }
        }

        public var description: String { rawValue }
    }
}
