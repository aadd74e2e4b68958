import ConfideCore

/// Public keys one collaborator advertises for one round: an X25519 key to encrypt the shares it
/// exchanges with others, and an X25519 key from which the pairwise masks are agreed.
public struct FLSecAggPublicKeys: Sendable, Equatable {
    public var encryption: [UInt8]
    public var masking: [UInt8]

    public init(encryption: [UInt8], masking: [UInt8]) {
        self.encryption = encryption
        self.masking = masking
    }
}
