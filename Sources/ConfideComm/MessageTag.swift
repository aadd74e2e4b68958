/// The label that matches a message to the receive waiting for it.
///
/// `kind` names the kernel or step (`"mulAA"`, `"reveal"`, …) and is what traffic statistics are
/// grouped by; `sequence` numbers the collective calls of one party's session, so the same call on
/// every party produces the same tag and messages of different calls never mix.
public struct MessageTag: Hashable, Sendable, CustomStringConvertible {
    public let kind: String
    public let sequence: UInt64

    public init(kind: String, sequence: UInt64) {
        self.kind = kind
        self.sequence = sequence
    }

    public var description: String { "\(kind)#\(sequence)" }
}
