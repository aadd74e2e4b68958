import ConfideCore

/// Public keys one collaborator advertises for one round: an X25519 key to encrypt the shares it
/// exchanges with others, an X25519 key from which the pairwise masks are agreed, and a commitment
/// to its self-mask seed (``FLSecAgg/seedCommitment(_:round:owner:)``) against which the aggregator
/// checks the seed it reconstructs.
public struct FLSecAggPublicKeys: Sendable, Equatable, Codable {
    /// Bytes of each X25519 public key and of the commitment.
    public static let fieldBytes = 32

    public var encryption: [UInt8]
    public var masking: [UInt8]
    public var seedCommitment: [UInt8]

    public init(encryption: [UInt8], masking: [UInt8], seedCommitment: [UInt8]) {
        self.encryption = encryption
        self.masking = masking
        self.seedCommitment = seedCommitment
    }

    /// Whether every field has its fixed length (``fieldBytes``).
    public var isWellFormed: Bool {
        encryption.count == Self.fieldBytes && masking.count == Self.fieldBytes && seedCommitment.count == Self.fieldBytes
    }
}
