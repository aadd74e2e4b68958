import ConfideCore
import ConfideNet
import Foundation

@testable import ConfideMPC

/// The communicators the conformance suite runs every kernel over.
enum ConformanceTransport: String, CaseIterable, Sendable, CustomStringConvertible {
    /// ``LocalNetwork``.
    case inProcess = "in-process"
    /// ``SocketCommunicator`` over Unix sockets with mutual TLS (a PKI made at test time).
    case tlsSockets = "TLS sockets"

    var description: String { rawValue }

    /// One CA and three party identities for the whole run.
    static let identities: [NetIdentity] = {
        let ca = try! NetCertificateAuthority.generate(name: "conformance CA", days: 1)
        return (0..<3).map { try! ca.issue(commonName: "party\($0)", hosts: ["localhost"], days: 1) }
    }()

    /// Runs `body` on three ABY3 parties over this transport; traffic excludes the key set-up.
    func run<T: Sendable>(_ body: @escaping @Sendable (ABY3Party) async throws -> T) async throws -> [LocalSimulation.PartyResult<T>] {
        switch self {
        case .inProcess:
            return try await LocalSimulation.run(timeout: .seconds(30), body)
        case .tlsSockets:
            let directory = "/tmp/cconf-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var options = NetOptions()
            options.setupTimeout = .seconds(30)
            options.defaultTimeout = .seconds(30)
            var listeners: [NetListener] = []
            for p in 0..<3 {
                listeners.append(
                    try await SocketCommunicator.listen(
                        at: .unix(path: "\(directory)/p\(p)"), party: p, partyCount: 3, security: .mutualTLS(Self.identities[p]), options: options))
            }
            let addresses = listeners.map(\.address)
            let ready = listeners
            return try await withThrowingTaskGroup(of: (Int, LocalSimulation.PartyResult<T>).self) { group in
                for p in 0..<3 {
                    group.addTask {
                        let communicator = try await SocketCommunicator.direct(listener: ready[p], addresses: addresses)
                        do {
                            let party = try await ABY3Party.setUp(communicator)
                            let before = communicator.statistics()
                            let value = try await body(party)
                            let result = LocalSimulation.PartyResult(value: value, traffic: communicator.statistics().since(before))
                            await communicator.close()
                            return (p, result)
                        } catch {
                            await communicator.close()
                            throw error
                        }
                    }
                }
                var results = [LocalSimulation.PartyResult<T>?](repeating: nil, count: 3)
                for try await (p, result) in group { results[p] = result }
                return results.map { $0! }
            }
        }
    }
}
