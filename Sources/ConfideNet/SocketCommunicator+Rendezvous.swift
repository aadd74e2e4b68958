import ConfideCore
import ConfideComm
import NIOCore
import NIOPosix

extension SocketCommunicator {
    /// Rendezvous set-up: only the root's (party 0's) address is known. The root listens at `root`; every other party
    /// listens at `listen` (`tcp://HOST` lets the OS pick the port), registers its address with the root over an
    /// authenticated link carrying the shared `token`, receives every party's address, and then the parties connect
    /// as in ``direct(party:addresses:security:options:)``. Everything happens within `options.setupTimeout`.
    /// - Throws: `.tokenMismatch` when the root refuses this party's token (the root itself then times out naming the
    ///   party, with the refusal as reason); `.timeout` naming the parties that did not register;
    ///   `.authenticationFailed` as in direct set-up; `.invalidAddress` when `root` has no explicit port.
    public static func rendezvous(
        party: Int, partyCount: Int, root: NetAddress, listen address: NetAddress? = nil, token: String,
        security: NetSecurity, options: NetOptions = NetOptions()
    ) async throws -> SocketCommunicator {
        guard root.hasExplicitPort else {
            throw ConfideError(.invalidAddress, "rendezvous needs an explicit port for the root address, got \(root)")
        }
        guard token.utf8.count <= 4096 else { throw ConfideError(.invalidArgument, "the rendezvous token is longer than 4096 bytes") }
        let deadline = ContinuousClock.now + options.setupTimeout
        let tokenBytes = Array(token.utf8)
        if party == 0 {
            let listener = try await listen(
                at: root, party: 0, partyCount: partyCount, security: security, options: options, rendezvousToken: tokenBytes)
            do {
                let rendezvous = listener.acceptor.rendezvous!
                while rendezvous.result == nil {
                    if ContinuousClock.now >= deadline {
                        var message = "party 0: rendezvous did not complete within \(options.setupTimeout)"
                        if let rejection = listener.acceptor.lastRejection { message += " (last refused registration: \(rejection))" }
                        throw ConfideError(.timeout, message)
                    }
                    try await Task.sleep(for: .milliseconds(10))
                }
                return try await finishRendezvous(listener, rendezvous.result!, deadline: deadline)
            } catch {
                await listener.close()
                throw error
            }
        }
        guard let address else {
            throw ConfideError(.invalidArgument, "party \(party) needs its own listening address for rendezvous")
        }
        let listener = try await listen(at: address, party: party, partyCount: partyCount, security: security, options: options)
        do {
            let list = try await register(listener: listener, root: root, token: tokenBytes, deadline: deadline)
            return try await finishRendezvous(listener, list, deadline: deadline)
        } catch {
            await listener.close()
            throw error
        }
    }

    private static func finishRendezvous(_ listener: NetListener, _ addresses: [NetAddress], deadline: ContinuousClock.Instant) async throws -> SocketCommunicator {
        try await direct(listener: listener, addresses: addresses, deadline: deadline)
    }

    private static func register(listener: NetListener, root: NetAddress, token: [UInt8], deadline: ContinuousClock.Instant) async throws -> [NetAddress] {
        var payload: [UInt8] = [UInt8(token.count >> 8), UInt8(token.count & 0xFF)] + token
        payload += Array(listener.address.description.utf8)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let answer = loop.makePromise(of: String.self)
        defer { answer.fail(ConfideError(.notRunning, "rendezvous ended")) }
        _ = try await connect(listener: listener, to: 0, at: root, deadline: deadline, rendezvous: (payload, answer))
        let text = try await answer.futureResult.get()
        let addresses = try text.split(separator: "\n").map { try NetAddress(String($0)) }
        guard addresses.count == listener.partyCount else {
            throw ConfideError(.protocolViolation, "the rendezvous root sent \(addresses.count) addresses for \(listener.partyCount) parties")
        }
        return addresses
    }
}
