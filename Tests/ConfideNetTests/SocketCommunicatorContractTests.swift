import ConfideComm
import ConfideCore
import ConfideTestSupport
import Testing

@testable import ConfideNet

/// ``SocketCommunicator`` (mutual TLS, over TCP and over Unix sockets) against the ``CommunicatorContract``.
///
/// As documented: a closed communicator fails its calls with `.notRunning`; its peers see
/// `.peerFailure` naming it (its goodbye frame), and a lost link fails the receives from that peer
/// with `.peerFailure` at once. A death is simulated by closing the party's links and listener
/// without a goodbye.
@Suite("Socket communicator: Communicator contract", .serialized, .timeLimit(.minutes(10)))
struct SocketCommunicatorContractTests {
    static let capabilities = CommunicatorCapabilities(
        tagMatching: .kindAndSequence, closedCode: .notRunning, peerClose: .fails(.peerFailure), peerDeath: .fails(.peerFailure),
        closeScope: .party)

    static func make(_ transport: NetTestTransport) -> CommunicatorContract.Factory {
        {
            let pki = try NetTestPKI()
            let communicators = try await netConnect(3, transport: transport, security: pki.security)
            return CommunicatorTrio(
                communicators, capabilities: capabilities,
                close: { await communicators[$0].close() },
                kill: { party in
                    for link in communicators[party].links.values { try? await link.close() }
                    await communicators[party].listener.close()
                },
                tearDown: { await netClose(communicators) })
        }
    }

    static let transports: [NetTestTransport] = [.tcp, .unix]

    @Test(arguments: transports, CommunicatorContract.Check.allCases)
    func contract(_ t: NetTestTransport, _ check: CommunicatorContract.Check) async throws {
        try await CommunicatorContract.run(check, Self.make(t))
    }
}
