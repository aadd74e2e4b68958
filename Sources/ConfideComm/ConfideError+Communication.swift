import ConfideCore

extension ConfideError.Code {
    /// A message did not arrive within the timeout.
    public static let timeout = ConfideError.Code("timeout")
    /// The transport is closed, or a peer failed or left the session.
    public static let peerFailure = ConfideError.Code("peer-failure")
    /// A peer sent a message that does not fit the protocol (wrong length or layout).
    public static let protocolViolation = ConfideError.Code("protocol-violation")
}
