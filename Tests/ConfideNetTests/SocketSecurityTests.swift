import ConfideCore
import ConfideComm
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import ConfideNet

/// Runs direct set-up for every party of `listeners` concurrently and collects each party's outcome.
private func setUpAll(_ listeners: [NetListener], addresses: [NetAddress]) async -> [Result<SocketCommunicator, ConfideError>] {
    await withTaskGroup(of: (Int, Result<SocketCommunicator, ConfideError>).self) { group in
        for listener in listeners {
            group.addTask {
                do {
                    return (listener.party, .success(try await SocketCommunicator.direct(listener: listener, addresses: addresses)))
                } catch let error as ConfideError {
                    return (listener.party, .failure(error))
                } catch {
                    return (listener.party, .failure(ConfideError(.evaluation, "unexpected \(type(of: error))")))
                }
            }
        }
        var results: [Int: Result<SocketCommunicator, ConfideError>] = [:]
        for await (p, r) in group { results[p] = r }
        return listeners.map { results[$0.party]! }
    }
}

private func listenAll(_ security: [NetSecurity], options: NetOptions) async throws -> [NetListener] {
    var listeners: [NetListener] = []
    for (p, s) in security.enumerated() {
        listeners.append(try await SocketCommunicator.listen(at: .tcp(host: "127.0.0.1", port: 0), party: p, partyCount: security.count, security: s, options: options))
    }
    return listeners
}

private func cleanUp(_ results: [Result<SocketCommunicator, ConfideError>], _ listeners: [NetListener]) async {
    for r in results { if case .success(let c) = r { await c.close() } }
    for l in listeners { await l.close() }
}

@Suite struct SocketSecurityTests {
    static let pki = try! NetTestPKI()

    /// Whether `channel` closes within `limit` (a generous bound: the behaviour under test closes it at once
    /// or after a sub-second hello timeout; a connection left open waits for the full limit).
    private func closes(_ channel: any Channel, within limit: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await channel.closeFuture.get()) != nil }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            channel.close(promise: nil)
            return first
        }
    }

    /// Party 0's listener of a two-party communicator, and a raw TCP connection to it.
    private func rawConnection(helloTimeout: Duration) async throws -> (NetListener, any Channel) {
        var options = netTestOptions(setup: .seconds(10))
        options.helloTimeout = helloTimeout
        let listener = try await SocketCommunicator.listen(
            at: .tcp(host: "127.0.0.1", port: 0), party: 0, partyCount: 2, security: .insecurePlaintextForTestsOnly, options: options)
        guard case .tcp(let host, let port) = listener.address else { throw ConfideError(.invalidAddress, "not a TCP listener") }
        return (listener, try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: host, port: port).get())
    }

    @Test func aConnectionThatNeverSaysHelloIsClosed() async throws {
        let (listener, silent) = try await rawConnection(helloTimeout: .milliseconds(300))
        #expect(await closes(silent, within: .seconds(20)))
        await listener.close()
    }

    @Test func aLargeFrameBeforeHelloIsRefusedFromItsHeader() async throws {
        let (listener, channel) = try await rawConnection(helloTimeout: .seconds(120))
        var frame = ByteBuffer()
        try NetFrame(.hello, tag: MessageTag(kind: "world", sequence: 1), payload: [UInt8](repeating: 0, count: NetFrameLimit.setupPayload + 1)).encode(into: &frame)
        // Only the header and a little payload: the listener must not wait for (or buffer) the rest.
        try await channel.writeAndFlush(frame.getSlice(at: frame.readerIndex, length: 64)!).get()
        #expect(await closes(channel, within: .seconds(60)))
        await listener.close()
    }

    @Test func certificateForAnotherRankIsRejected() async throws {
        // Party 2 presents party 1's (validly signed) certificate.
        let security: [NetSecurity] = [Self.pki.security(0), Self.pki.security(1), Self.pki.security(1)]
        let listeners = try await listenAll(security, options: netTestOptions(setup: .seconds(10)))
        let results = await setUpAll(listeners, addresses: listeners.map(\.address))
        guard case .failure(let error2) = results[2] else { Issue.record("impostor was accepted"); return }
        #expect(error2.code == .authenticationFailed)
        #expect(error2.message.contains("names party1, not party2"))
        guard case .failure(let error0) = results[0] else { Issue.record("party 0 accepted the impostor"); return }
        #expect(error0.code == .timeout)
        #expect(error0.message.contains("party 2"))
        #expect(error0.message.contains("names party1, not party2"))
        await cleanUp(results, listeners)
    }

    @Test func serverCertificateForAnotherRankIsRejected() async throws {
        // Party 0 (which accepts) presents party 2's certificate: its clients refuse it.
        let security: [NetSecurity] = [Self.pki.security(2), Self.pki.security(1)]
        let listeners = try await listenAll(security, options: netTestOptions(setup: .seconds(10)))
        let results = await setUpAll(listeners, addresses: listeners.map(\.address))
        guard case .failure(let error1) = results[1] else { Issue.record("party 1 accepted an impostor party 0"); return }
        #expect(error1.code == .authenticationFailed)
        #expect(error1.message.contains("names party2, not party0"))
        await cleanUp(results, listeners)
    }

    @Test func certificateFromAnotherCAIsRejected() async throws {
        let stranger = try NetCertificateAuthority.generate(name: "stranger CA", days: 1)
        var identity = try stranger.issue(commonName: "party1", hosts: ["localhost"], days: 1)
        identity.trustedPEM = Self.pki.identities[1].trustedPEM  // trusts the deployment CA, but is not signed by it
        let security: [NetSecurity] = [Self.pki.security(0), .mutualTLS(identity)]
        let listeners = try await listenAll(security, options: netTestOptions(setup: .seconds(10)))
        let results = await setUpAll(listeners, addresses: listeners.map(\.address))
        guard case .failure(let error1) = results[1], case .failure(let error0) = results[0] else {
            Issue.record("untrusted certificate was accepted")
            await cleanUp(results, listeners)
            return
        }
        #expect(error1.code == .authenticationFailed || error1.code == .peerFailure)
        #expect(error1.message.contains("party 0"))
        #expect(error0.code == .timeout)
        #expect(error0.message.contains("party 1"))
        #expect(error0.message.contains("refused"))
        await cleanUp(results, listeners)
    }

    @Test func peerThatNeverComesUpTimesOutNamingIt() async throws {
        let options = netTestOptions(setup: .milliseconds(800))
        let directory = netTestDirectory()
        let addresses: [NetAddress] = (0..<3).map { .unix(path: "\(directory)/p\($0)") }
        // Only party 2 runs: it keeps retrying party 0 and 1, which never come up.
        let error = await netError {
            _ = try await SocketCommunicator.direct(party: 2, addresses: addresses, security: Self.pki.security(2), options: options)
        }
        #expect(error?.code == .timeout)
        #expect(error?.message.contains("party 0") == true || error?.message.contains("party 1") == true)
        // Only party 0 runs: it waits for connections that never come.
        let error0 = await netError {
            _ = try await SocketCommunicator.direct(party: 0, addresses: addresses, security: Self.pki.security(0), options: options)
        }
        #expect(error0?.code == .timeout)
        #expect(error0?.message.contains("party 1, party 2") == true)
    }

    @Test func directNeedsExplicitPorts() async throws {
        let error = await netError {
            _ = try await SocketCommunicator.direct(
                party: 0, addresses: [.tcp(host: "127.0.0.1", port: 0), .tcp(host: "127.0.0.1", port: 0)],
                security: .insecurePlaintextForTestsOnly, options: netTestOptions(setup: .seconds(1)))
        }
        #expect(error?.code == .invalidAddress)
    }

    @Test func connectingTwiceWithTheSameRankIsRefused() async throws {
        let comms = try await netConnect(2, security: Self.pki.security)
        let second = try await SocketCommunicator.listen(at: .tcp(host: "127.0.0.1", port: 0), party: 1, partyCount: 2, security: Self.pki.security(1))
        let error = await netError {
            _ = try await SocketCommunicator.connect(listener: second, to: 0, at: comms[0].listener.address, deadline: .now + .seconds(5))
        }
        #expect(error?.code == .authenticationFailed)
        #expect(error?.message.contains("party 1 is already connected") == true)
        await second.close()
        await netClose(comms)
    }

    /// Start/stop 100 times; afterwards no socket of the run's directory is open (checked in /proc/net/unix, which
    /// lists every Unix socket with its path, so tests running in parallel do not disturb the count).
    @Test func startStopDoesNotLeakSockets() async throws {
        let directory = netTestDirectory()
        func openSockets() -> Int {
            // Read to the end: /proc files report size 0, and the table is long while other tests run.
            let data = FileHandle(forReadingAtPath: "/proc/net/unix")?.readDataToEndOfFile() ?? Data()
            let table = String(decoding: data, as: UTF8.self)
            return table.split(separator: "\n").filter { $0.contains(directory + "/") }.count
        }
        for _ in 0..<100 {
            let comms = try await netConnect(transport: .unix, security: Self.pki.security, directory: directory)
            #expect(openSockets() > 0)
            await netClose(comms)
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(openSockets() == 0, "sockets left open after 100 start/stop cycles")
    }
}
