import ConfideCore

/// A share revealed to the aggregator in the unmasking phase: of a survivor's self-mask seed, or
/// of a dropped collaborator's masking key.
public struct FLRevealedShare: Sendable, Equatable {
    public enum Kind: String, Sendable { case selfSeed = "self", maskingKey = "masking" }
    public var owner: String
    public var kind: Kind
    public var x: UInt8
    public var share: [UInt8]

    public init(owner: String, kind: Kind, x: UInt8, share: [UInt8]) {
        self.owner = owner
        self.kind = kind
        self.x = x
        self.share = share
    }
}
