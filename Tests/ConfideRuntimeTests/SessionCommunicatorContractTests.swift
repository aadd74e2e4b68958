import ConfideComm
import ConfideCore
import ConfideTestSupport
import Foundation
import Testing

@testable import ConfideRuntime

/// ``SessionCommunicator`` (gRPC `SendValue` streams of a ``LocalDeployment``'s compute nodes)
/// against the ``CommunicatorContract``; every check opens a fresh deployment and session.
///
/// Its documented differences (``SessionLink``): a message is matched by sender and tag sequence
/// only (`node_id` on the wire; the receiver does not know the sender's kind), so errors name the
/// sequence; ``ComputeNode/closeSession(_:)`` ends the outgoing streams normally, which the peers do
/// not hear of (their receives time out), while ``SessionLink/abort(reason:)`` — what a failing
/// session does, used here as a party's death — resets them, so that the peers' receives fail at once
/// with `.peerFailure`. A closed session fails its calls with `.notRunning`.
@Suite("gRPC session communicator: Communicator contract", .serialized, .timeLimit(.minutes(10)))
struct SessionCommunicatorContractTests {
    static let capabilities = CommunicatorCapabilities(
        tagMatching: .sequenceOnly, closedCode: .notRunning, peerClose: .timesOut, peerDeath: .fails(.peerFailure), closeScope: .party)

    static let make: CommunicatorContract.Factory = {
        let deployment = try await LocalDeployment(inputs: [[:], [:], [:]])
        let id = "contract-\(UUID().uuidString.prefix(8))"
        var communicators: [any Communicator] = []
        do {
            for p in 0..<3 { communicators.append(try await deployment.computeNodes[p].openSession(id, endpoints: deployment.endpoints)) }
        } catch {
            await deployment.stop()
            throw error
        }
        return CommunicatorTrio(
            communicators, capabilities: capabilities,
            close: { await deployment.computeNodes[$0].closeSession(id) },
            kill: { party in await deployment.computeNodes[party].sessions.link(id, waitingUpTo: .zero)?.abort(reason: "party \(party) died") },
            tearDown: {
                for p in 0..<3 { await deployment.computeNodes[p].closeSession(id) }
                await deployment.stop()
            })
    }

    @Test(arguments: CommunicatorContract.Check.allCases)
    func contract(_ check: CommunicatorContract.Check) async throws { try await CommunicatorContract.run(check, Self.make) }
}
