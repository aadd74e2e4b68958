import ConfideMPC
import ConfideNet

// Loopback throughput and latency of SocketCommunicator (two parties): mutual TLS versus the test-only plaintext
// option, over TCP. Not a test: numbers depend on the machine. Build with `-c release`.
// Usage: confide-netbench [megabytes] [round-trips]

let arguments = CommandLine.arguments
let megabytes = arguments.count > 1 ? Int(arguments[1]) ?? 64 : 64
let roundTrips = arguments.count > 2 ? Int(arguments[2]) ?? 2000 : 2000

func connectPair(_ security: [NetSecurity]) async throws -> [SocketCommunicator] {
    var listeners: [NetListener] = []
    for p in 0..<2 {
        listeners.append(try await SocketCommunicator.listen(at: .tcp(host: "127.0.0.1", port: 0), party: p, partyCount: 2, security: security[p]))
    }
    let addresses = listeners.map(\.address)
    async let c0 = SocketCommunicator.direct(listener: listeners[0], addresses: addresses)
    async let c1 = SocketCommunicator.direct(listener: listeners[1], addresses: addresses)
    return try await [c0, c1]
}

func measure(_ label: String, _ comms: [SocketCommunicator]) async throws {
    let payload = [UInt8](repeating: 0xA5, count: megabytes << 20)
    let clock = ContinuousClock()
    var sequence: UInt64 = 0
    // Throughput: party 0 sends the payload, party 1 acknowledges with one byte.
    var best = Duration.seconds(1000)
    for _ in 0..<3 {
        sequence += 1
        let tag = MessageTag(kind: "bulk", sequence: sequence)
        let start = clock.now
        async let receive = comms[1].exchange([OutgoingMessage(to: 0, tag: tag, bytes: [1])], expecting: [ExpectedMessage(from: 0, tag: tag)], timeout: .seconds(120))
        _ = try await comms[0].exchange([OutgoingMessage(to: 1, tag: tag, bytes: payload)], expecting: [ExpectedMessage(from: 1, tag: tag)], timeout: .seconds(120))
        _ = try await receive
        best = min(best, clock.now - start)
    }
    let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
    // Latency: 1-byte ping-pong.
    var samples: [Duration] = []
    for _ in 0..<roundTrips {
        sequence += 1
        let ping = MessageTag(kind: "ping", sequence: sequence)
        let start = clock.now
        async let echo: Void = {
            let got = try await comms[1].exchange([], expecting: [ExpectedMessage(from: 0, tag: ping)], timeout: .seconds(10))
            _ = try await comms[1].exchange([OutgoingMessage(to: 0, tag: ping, bytes: got[0])], expecting: [], timeout: .seconds(10))
        }()
        _ = try await comms[0].exchange([OutgoingMessage(to: 1, tag: ping, bytes: [7])], expecting: [ExpectedMessage(from: 1, tag: ping)], timeout: .seconds(10))
        try await echo
        samples.append(clock.now - start)
    }
    samples.sort()
    print("\(label): \(megabytes) MiB in \(best) = \(Int(Double(megabytes) / seconds)) MiB/s; 1-byte round trip median \(samples[samples.count / 2]), p90 \(samples[samples.count * 9 / 10])")
}

let ca = try NetCertificateAuthority.generate(days: 1)
let identities = try (0..<2).map { try ca.issue(commonName: "party\($0)", hosts: ["127.0.0.1"], days: 1) }
let plain = try await connectPair([.insecurePlaintextForTestsOnly, .insecurePlaintextForTestsOnly])
try await measure("plaintext TCP", plain)
for c in plain { await c.close() }
let tls = try await connectPair(identities.map { .mutualTLS($0) })
try await measure("mutual TLS   ", tls)
for c in tls { await c.close() }
