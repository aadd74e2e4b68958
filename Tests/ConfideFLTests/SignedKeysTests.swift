import ConfideCore
import ConfideNet
import Crypto
import Foundation
import Testing

@testable import ConfideFL

/// Signed per-round keys and survivor sets: what a collaborator accepts from the aggregator's relay.
@Suite struct SignedKeysTests {
    /// An advertisement verifies only as it was signed: for its collaborator (with that collaborator's
    /// certificate), round, attempt and keys.
    @Test func signedKeysVerifyOnlyForTheirCollaboratorRoundAndAttempt() async throws {
        let ws = try FLTestWorkspace(rounds: 1)
        defer { ws.remove() }
        let verifier = try FLPeerVerifier(caFile: ws.plan.path(ws.plan.caFile))
        let (alice, _) = try await ws.advertisement("alice", round: 4, attempt: "a1")
        _ = try await alice.verify(verifier, round: 4, attempt: "a1")
        var substituted = alice
        substituted.keys.masking = FLSecAggParticipant(name: "alice", round: 4, threshold: 2).publicKeys.masking
        var otherCommitment = alice
        otherCommitment.keys.seedCommitment[0] ^= 1
        var renamed = alice
        renamed.collaborator = "bob"
        var malformed = alice
        malformed.keys.encryption.removeLast()
        var garbage = alice
        garbage.certificate = Array(repeating: 0x30, count: 40)
        var huge = alice
        huge.certificate = Array(repeating: 0, count: FLPeerVerifier.maximumCertificateBytes + 1)
        var aggregator = alice
        aggregator.collaborator = "aggregator"
        let cases: [(FLKeyAdvertisement, UInt64, String, String)] = [
            (substituted, 4, "a1", "the keys relayed for 'alice' are not signed by alice's certificate"),
            (otherCommitment, 4, "a1", "are not signed by alice's certificate"),
            (alice, 5, "a1", "are not signed by alice's certificate"),
            (alice, 4, "a2", "are not signed by alice's certificate"),
            (renamed, 4, "a1", "the certificate relayed for 'bob' names 'alice', not 'bob'"),
            (malformed, 4, "a1", "the keys relayed for 'alice' are malformed"),
            (garbage, 4, "a1", "the certificate relayed for 'alice' cannot be parsed"),
            (huge, 4, "a1", "more than \(FLPeerVerifier.maximumCertificateBytes)"),
            (aggregator, 4, "a1", "'aggregator' is not a valid collaborator name"),
        ]
        for (advertisement, round, attempt, message) in cases {
            let error = await #expect(throws: ConfideError.self, "\(message)") { _ = try await advertisement.verify(verifier, round: round, attempt: attempt) }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        }
    }

    /// A signer refuses a key that is not its certificate's, and never prints the key.
    @Test func signerNeedsTheCertificatesOwnKey() throws {
        let ws = try FLTestWorkspace(rounds: 1)
        defer { ws.remove() }
        let error = #expect(throws: ConfideError.self) {
            try FLSigner(certificateFile: ws.plan.path("cert/alice_cert.pem"), keyFile: ws.plan.path("cert/bob_key.pem"))
        }
        #expect(error?.message.contains("does not belong to the certificate") == true)
        let signer = try ws.signer("alice")
        #expect("\(signer)".contains("<redacted>"))
        let key = try String(contentsOfFile: ws.plan.path("cert/alice_key.pem"), encoding: .utf8)
        let body = key.split(separator: "\n").dropFirst().first.map(String.init) ?? "missing"
        #expect(!"\(signer)".contains(body) && !String(reflecting: signer).contains(body))
    }

    /// The consistency check counts one valid signature per survivor over exactly the set checked: a
    /// signature over another set, by another collaborator's key, or from a non-survivor does not count.
    @Test func consistencyCheckCountsOnlySignaturesOverTheSameSet() async throws {
        let ws = try FLTestWorkspace(rounds: 1)
        defer { ws.remove() }
        let verifier = try FLPeerVerifier(caFile: ws.plan.path(ws.plan.caFile))
        var keys: [String: P256.Signing.PublicKey] = [:]
        var signers: [String: FLSigner] = [:]
        for name in ws.names {
            keys[name] = try await ws.advertisement(name, round: 2, attempt: "z").1
            signers[name] = try ws.signer(name)
        }
        let all = ["alice", "bob", "carol"], two = ["alice", "carol"]
        func signature(_ name: String, over set: [String]) throws -> (collaborator: String, signature: [UInt8]) {
            (name, try signers[name]!.sign(FLSecAggTranscript.survivors(federation: verifier.federation, round: 2, attempt: "z", survivors: set)))
        }
        func check(_ set: [String], _ signatures: [(collaborator: String, signature: [UInt8])], threshold: Int) throws -> [String] {
            try FLConsistencyCheck.check(survivors: set, signatures: signatures, keys: keys, federation: verifier.federation, round: 2, attempt: "z", threshold: threshold)
        }
        let honest = try all.map { try signature($0, over: all) }
        #expect(try check(all, honest, threshold: 3) == all)
        // The same signatures do not vouch for a smaller set.
        let error = #expect(throws: ConfideError.self) { try check(two, honest + [try signature("carol", over: two)], threshold: 2) }
        #expect(error?.message.contains("only 1 of the 2 survivors signed") == true, "\(error?.message ?? "")")
        // Bob's signature relabelled as carol's, a repeated entry and a non-survivor's do not count.
        let relabelled = (collaborator: "carol", signature: try signature("bob", over: two).signature)
        #expect(throws: ConfideError.self) {
            try check(two, [try signature("alice", over: two), try signature("alice", over: two), relabelled, try signature("bob", over: two)], threshold: 2)
        }
        #expect(try check(two, [try signature("alice", over: two), try signature("carol", over: two)], threshold: 2) == two)
    }
}
