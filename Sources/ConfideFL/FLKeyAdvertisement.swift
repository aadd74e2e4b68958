import ConfideCore
import ConfideFLProtos
import ConfideNet
import Crypto
import Foundation

/// One collaborator's keys for one attempt at a round, signed with its certificate's key, as the
/// aggregator relays them in the key directory.
///
/// The signature covers ``FLSecAggTranscript/keys(federation:round:attempt:collaborator:keys:)``: a
/// key the aggregator substitutes, a key replayed from another round, attempt or federation, or keys
/// relayed under another collaborator's name do not verify.
public struct FLKeyAdvertisement: Sendable, Equatable, Codable {
    public var collaborator: String
    public var keys: FLSecAggPublicKeys
    /// The collaborator's certificate, DER-encoded.
    public var certificate: [UInt8]
    /// ECDSA P-256 with SHA-256 over the keys transcript, DER-encoded.
    public var signature: [UInt8]

    public init(collaborator: String, keys: FLSecAggPublicKeys, certificate: [UInt8], signature: [UInt8]) {
        self.collaborator = collaborator
        self.keys = keys
        self.certificate = certificate
        self.signature = signature
    }

    /// `keys` signed by `signer` for `collaborator`.
    /// - Throws: `.invalidArgument` if signing fails.
    static func signed(
        collaborator: String, keys: FLSecAggPublicKeys, signer: FLSigner, federation: [UInt8], round: UInt64, attempt: String
    ) throws -> FLKeyAdvertisement {
        let message = FLSecAggTranscript.keys(federation: federation, round: round, attempt: attempt, collaborator: collaborator, keys: keys)
        return FLKeyAdvertisement(collaborator: collaborator, keys: keys, certificate: signer.certificate, signature: try signer.sign(message))
    }

    /// Checks the certificate (``FLPeerVerifier/key(certificate:for:context:)``) and the signature.
    /// - Returns: the certificate's key, which also verifies the collaborator's survivor-set signature.
    /// - Throws: `.authenticationFailed` naming the collaborator whose keys are malformed, whose
    ///   certificate is not the federation's for that name, or whose signature does not verify.
    func verify(_ verifier: FLPeerVerifier, round: UInt64, attempt: String) async throws -> P256.Signing.PublicKey {
        let who = NetRole.printable(collaborator)
        guard keys.isWellFormed else {
            throw ConfideError(.authenticationFailed, "round \(round): the keys relayed for '\(who)' are malformed (each must be \(FLSecAggPublicKeys.fieldBytes) bytes)")
        }
        let key = try await verifier.key(certificate: certificate, for: collaborator, context: "round \(round)")
        let message = FLSecAggTranscript.keys(federation: verifier.federation, round: round, attempt: attempt, collaborator: collaborator, keys: keys)
        guard FLPeerVerifier.isValid(signature: signature, of: message, key: key) else {
            throw ConfideError(
                .authenticationFailed,
                "round \(round): the keys relayed for '\(who)' are not signed by \(who)'s certificate for this federation, round and attempt "
                    + "(substituted or replayed keys); nothing is shared with them")
        }
        return key
    }

    /// The advertisement in a wire message; lengths are checked by ``verify(_:round:attempt:)``.
    init(_ message: Confide_Fl_PublicKeys) {
        self.init(
            collaborator: message.collaborator,
            keys: FLSecAggPublicKeys(encryption: Array(message.encryptionKey), masking: Array(message.maskingKey), seedCommitment: Array(message.seedCommitment)),
            certificate: Array(message.certificate), signature: Array(message.signature))
    }

    /// The wire message for `round` and `attempt`.
    func message(round: UInt64, attempt: String) -> Confide_Fl_PublicKeys {
        var message = Confide_Fl_PublicKeys()
        message.collaborator = collaborator
        message.round = round
        message.attempt = attempt
        message.encryptionKey = Data(keys.encryption)
        message.maskingKey = Data(keys.masking)
        message.seedCommitment = Data(keys.seedCommitment)
        message.certificate = Data(certificate)
        message.signature = Data(signature)
        return message
    }
}
