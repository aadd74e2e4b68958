import ConfideCore

extension ConfideError.Code {
    /// The communicator was closed (or freed); no further calls are possible.
    public static let notRunning = ConfideError.Code("not-running")
    /// The communicator was revoked by one of its parties; every pending and future call fails.
    public static let revoked = ConfideError.Code("revoked")
    /// A peer could not be authenticated: untrusted certificate, or one naming another party.
    public static let authenticationFailed = ConfideError.Code("authentication-failed")
    /// A rendezvous registration carried the wrong shared token.
    public static let tokenMismatch = ConfideError.Code("token-mismatch")
    /// A network address could not be parsed or used.
    public static let invalidAddress = ConfideError.Code("invalid-address")
}
