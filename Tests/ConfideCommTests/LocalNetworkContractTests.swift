import ConfideCore
import ConfideTestSupport
import Testing

@testable import ConfideComm

/// ``LocalNetwork`` against the ``CommunicatorContract``.
///
/// Its documented differences: a network has one close, for every party (``LocalNetwork/close(reason:)``:
/// "fails every pending and future receive of every party"), so closing or killing a party closes the
/// network with a reason naming that party, as ``LocalSimulation`` does when a party fails; a closed
/// network fails exchanges with `.peerFailure`.
@Suite("In-process network: Communicator contract", .serialized)
struct LocalNetworkContractTests {
    static let capabilities = CommunicatorCapabilities(
        tagMatching: .kindAndSequence, closedCode: .peerFailure, peerClose: .fails(.peerFailure), peerDeath: .fails(.peerFailure),
        closeScope: .network)

    static let make: CommunicatorContract.Factory = {
        let network = LocalNetwork(partyCount: 3, defaultTimeout: .seconds(60))
        let communicators: [any Communicator] = try (0..<3).map { try network.communicator(for: $0) }
        return CommunicatorTrio(
            communicators, capabilities: capabilities,
            close: { await network.close(reason: "party \($0) was closed") },
            kill: { await network.close(reason: "party \($0) failed") },
            tearDown: { await network.close(reason: "the test is over") })
    }

    @Test(arguments: CommunicatorContract.Check.allCases)
    func contract(_ check: CommunicatorContract.Check) async throws { try await CommunicatorContract.run(check, Self.make) }
}
