import ConfideCore
import ConfideComm
import Testing

@testable import ConfideNet

@Suite struct SocketRendezvousTests {
    static let pki = try! NetTestPKI()

    /// A free loopback port for the root (listen on port 0, note the port, close).
    private func freeRootAddress() async throws -> NetAddress {
        let probe = try await SocketCommunicator.listen(at: .tcp(host: "127.0.0.1", port: 0), party: 0, partyCount: 1, security: .insecurePlaintextForTestsOnly)
        await probe.close()
        return probe.address
    }

    private func runAll(root: NetAddress, tokens: [String], setup: Duration) async -> [Result<SocketCommunicator, ConfideError>] {
        var rendezvousOptions = netTestOptions(setup: setup)
        rendezvousOptions.name = "rv"
        let options = rendezvousOptions
        return await withTaskGroup(of: (Int, Result<SocketCommunicator, ConfideError>).self) { group in
            for p in 0..<tokens.count {
                group.addTask {
                    do {
                        let c = try await SocketCommunicator.rendezvous(
                            party: p, partyCount: tokens.count, root: root, listen: .tcp(host: "127.0.0.1", port: 0),
                            token: tokens[p], security: Self.pki.security(p), options: options)
                        return (p, .success(c))
                    } catch let error as ConfideError {
                        return (p, .failure(error))
                    } catch {
                        return (p, .failure(ConfideError(.evaluation, "unexpected \(type(of: error))")))
                    }
                }
            }
            var out: [Int: Result<SocketCommunicator, ConfideError>] = [:]
            for await (p, r) in group { out[p] = r }
            return (0..<tokens.count).map { out[$0]! }
        }
    }

    @Test func partiesFindEachOtherThroughTheRoot() async throws {
        let results = await runAll(root: try await freeRootAddress(), tokens: ["s3cret", "s3cret", "s3cret"], setup: .seconds(20))
        let comms = try results.map { try $0.get() }
        let all = try await withThrowingTaskGroup(of: [[UInt8]].self) { group in
            for c in comms { group.addTask { try await c.allgather([UInt8(c.party + 1)]) } }
            var out: [[[UInt8]]] = []
            for try await r in group { out.append(r) }
            return out
        }
        for r in all { #expect(r == [[1], [2], [3]]) }
        await netClose(comms)
    }

    @Test func wrongTokenIsRejected() async throws {
        let results = await runAll(root: try await freeRootAddress(), tokens: ["s3cret", "s3cret", "guess"], setup: .seconds(10))
        guard case .failure(let error2) = results[2] else { Issue.record("wrong token accepted"); return }
        #expect(error2.code == .tokenMismatch)
        #expect(!error2.message.contains("s3cret") && !error2.message.contains("guess"), "tokens must not appear in errors")
        guard case .failure(let error0) = results[0] else { Issue.record("root completed without party 2"); return }
        #expect(error0.code == .timeout)
        #expect(error0.message.contains("token mismatch"))
        for r in results { if case .success(let c) = r { await c.close() } }
    }
}
