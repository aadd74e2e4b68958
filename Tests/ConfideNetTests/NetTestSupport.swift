import ConfideCore
import ConfideComm
import ConfideTestSupport
import Foundation
import Testing

@testable import ConfideNet

/// A throw-away PKI made at test time: one CA and link identities for parties 0..<count.
struct NetTestPKI {
    let ca: NetCertificateAuthority
    let identities: [NetIdentity]

    init(parties: Int = 3) throws {
        let ca = try NetCertificateAuthority.generate(name: "test CA", days: 1)
        self.ca = ca
        identities = try (0..<parties).map { try ca.issue(commonName: "party\($0)", hosts: ["localhost", "127.0.0.1", "::1"], days: 1) }
    }

    func security(_ party: Int) -> NetSecurity { .mutualTLS(identities[party]) }
}

enum NetTestTransport: Sendable, CustomStringConvertible {
    case tcp, unix
    var description: String { self == .tcp ? "tcp" : "unix" }
}

/// A fresh short directory for Unix sockets.
func netTestDirectory() -> String {
    let path = "/tmp/cnet-\(UInt32.random(in: 0...UInt32.max))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func netTestOptions(setup: Duration = .seconds(20), timeout: Duration = .seconds(20)) -> NetOptions {
    var options = NetOptions()
    options.setupTimeout = setup
    options.defaultTimeout = timeout
    return options
}

/// Listens for every party (OS-chosen ports, or socket files), then runs direct set-up for all of them.
func netConnect(
    _ count: Int = 3, transport: NetTestTransport = .tcp, security: (Int) -> NetSecurity,
    options: NetOptions = netTestOptions(), directory: String = netTestDirectory()
) async throws -> [SocketCommunicator] {
    var listeners: [NetListener] = []
    for p in 0..<count {
        let address: NetAddress = transport == .tcp ? .tcp(host: "127.0.0.1", port: 0) : .unix(path: "\(directory)/p\(p)")
        listeners.append(try await SocketCommunicator.listen(at: address, party: p, partyCount: count, security: security(p), options: options))
    }
    let addresses = listeners.map(\.address)
    let ordered = listeners
    return try await withThrowingTaskGroup(of: (Int, SocketCommunicator).self) { group in
        for p in 0..<count {
            group.addTask { (p, try await SocketCommunicator.direct(listener: ordered[p], addresses: addresses)) }
        }
        var result: [Int: SocketCommunicator] = [:]
        do {
            for try await (p, c) in group { result[p] = c }
        } catch {
            for l in ordered { await l.close() }
            throw error
        }
        return (0..<count).map { result[$0]! }
    }
}

func netClose(_ communicators: [SocketCommunicator]) async {
    for c in communicators { await c.close() }
}

/// The error an async body throws, as a ConfideError (``thrownConfideError(_:)`` of ConfideTestSupport).
func netError(_ body: () async throws -> Void) async -> ConfideError? {
    await thrownConfideError(body)
}
