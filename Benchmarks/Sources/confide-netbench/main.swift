import ConfideCore
import ConfideMPC
import ConfideNet
import ConfideRuntime
import Foundation
import Logging

// Loopback throughput and latency of the party transports, two parties talking:
//   * first, the machine's floor: a 1-byte ping-pong between two threads with blocking POSIX sockets;
//   * SocketCommunicator over TCP, with the test-only plaintext option and with mutual TLS;
//   * the runtime's gRPC party links (PartyService.SendValue streams, mutual TLS, tuned HTTP/2).
// Not a test: numbers depend on the machine. Build with `-c release`.
// Usage: confide-netbench [megabytes] [round-trips] [--json] [--only socket-plain|socket-tls|grpc-tls]
// (--only: the floor and that transport alone, for profiling one of them).
// With --json, one object per transport and line: {"transport": "raw-tcp" | "raw-tcp-fresh" | "socket-plain" | "socket-tls" |
// "grpc-tls", "mib_per_s": …, "rtt_median_us": …}.

let json = CommandLine.arguments.contains("--json")
var arguments = CommandLine.arguments.filter { $0 != "--json" }
let only: String? = arguments.firstIndex(of: "--only").flatMap { i in
    defer { arguments.removeSubrange(i..<min(arguments.count, i + 2)) }
    return i + 1 < arguments.count ? arguments[i + 1] : nil
}
/// Whether `transport` is measured in this run.
func runs(_ transport: String) -> Bool { only == nil || only == transport }
let megabytes = arguments.count > 1 ? Int(arguments[1]) ?? 64 : 64
let roundTrips = arguments.count > 2 ? Int(arguments[2]) ?? 2000 : 2000

/// Prints a line at once (stdout to a pipe is block-buffered); text lines only without --json.
func say(_ line: String) { if !json { FileHandle.standardOutput.write(Data((line + "\n").utf8)) } }

/// Prints one transport's JSON line (with --json).
func report(_ transport: String, rate: Double, rtt: Duration) {
    guard json else { return }
    let micros = Double(rtt.components.seconds) * 1e6 + Double(rtt.components.attoseconds) / 1e12
    let numbers = String(format: "\"mib_per_s\": %.1f, \"rtt_median_us\": %.1f", rate, micros)
    FileHandle.standardOutput.write(Data("{\"transport\": \"\(transport)\", \(numbers)}\n".utf8))
}

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

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

/// Party 0 sends `megabytes` to party 1 (best of 3), then `roundTrips` 1-byte ping-pongs. Tags
/// have distinct sequences (the gRPC links match messages by sequence).
/// - Returns: MiB/s and the median round trip.
func measure(_ label: String, _ comms: [any Communicator]) async throws -> (Double, Duration) {
    let payload = [UInt8](repeating: 0xA5, count: megabytes << 20)
    let bulkRounds = 3
    // Party 1: acknowledges each bulk message, then echoes each ping.
    async let partner: Void = {
        for round in 0..<bulkRounds {
            let tag = MessageTag(kind: "bulk", sequence: UInt64(round))
            // The acknowledgement leaves only once the whole payload has arrived.
            _ = try await comms[1].exchange([], expecting: [ExpectedMessage(from: 0, tag: tag)], timeout: .seconds(120))
            _ = try await comms[1].exchange([OutgoingMessage(to: 0, tag: tag, bytes: [1])], expecting: [], timeout: .seconds(120))
        }
        for i in 0..<roundTrips {
            let ping = MessageTag(kind: "ping", sequence: UInt64(bulkRounds + i))
            let got = try await comms[1].exchange([], expecting: [ExpectedMessage(from: 0, tag: ping)], timeout: .seconds(10))
            _ = try await comms[1].exchange([OutgoingMessage(to: 0, tag: ping, bytes: got[0])], expecting: [], timeout: .seconds(10))
        }
    }()
    // Party 0: sends and times.
    let (best, samples) = try await { () async throws -> (Duration, [Duration]) in
        let clock = ContinuousClock()
        var best = Duration.seconds(1000)
        for round in 0..<bulkRounds {
            let tag = MessageTag(kind: "bulk", sequence: UInt64(round))
            let start = clock.now
            _ = try await comms[0].exchange([OutgoingMessage(to: 1, tag: tag, bytes: payload)], expecting: [ExpectedMessage(from: 1, tag: tag)], timeout: .seconds(120))
            best = min(best, clock.now - start)
        }
        var samples: [Duration] = []
        samples.reserveCapacity(roundTrips)
        for i in 0..<roundTrips {
            let ping = MessageTag(kind: "ping", sequence: UInt64(bulkRounds + i))
            let start = clock.now
            _ = try await comms[0].exchange([OutgoingMessage(to: 1, tag: ping, bytes: [7])], expecting: [ExpectedMessage(from: 1, tag: ping)], timeout: .seconds(10))
            samples.append(clock.now - start)
        }
        return (best, samples.sorted())
    }()
    try await partner
    let rate = Double(megabytes) / seconds(best)
    say("\(label): \(megabytes) MiB in \(best) = \(Int(rate)) MiB/s; 1-byte round trip median \(samples[samples.count / 2]), p90 \(samples[samples.count * 9 / 10])")
    return (rate, samples[samples.count / 2])
}

/// The machine's floor: `megabytes` sent (best of 3) and the same 1-byte ping-pong over a loopback TCP
/// connection between two threads with blocking POSIX calls (no event loop, no tasks, no framing, no TLS):
/// what any transport on this host pays at least. Also the same bulk received into a fresh array of
/// the message's size each time, as a message transport must hand one out: the first-touch cost of
/// new memory on this host.
/// - Returns: MiB/s into a reused 1 MiB buffer, the median round trip, and MiB/s into fresh arrays.
func rawFloor() throws -> (Double, Duration, Double) {
    func check(_ result: Int32, _ what: String) throws {
        if result < 0 { throw ConfideError(.io, "raw loopback floor: \(what) failed (errno \(errno))") }
    }
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try check(listener, "socket")
    defer { close(listener) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    try withUnsafeMutablePointer(to: &address) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            try check(bind(listener, raw, length), "bind")
            try check(getsockname(listener, raw, &length), "getsockname")
        }
    }
    try check(listen(listener, 1), "listen")
    let total = megabytes << 20
    let bulkRounds = 3
    let echo = Thread {
        let peer = accept(listener, nil, nil)
        guard peer >= 0 else { return }
        var one: Int32 = 1
        setsockopt(peer, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for round in 0..<(2 * bulkRounds) {
            var received = 0
            if round < bulkRounds {
                while received < total {
                    let n = buffer.withUnsafeMutableBytes { recv(peer, $0.baseAddress, min($0.count, total - received), 0) }
                    guard n > 0 else { close(peer); return }
                    received += n
                }
            } else {
                // A fresh array of the whole message, filled straight from the socket.
                let message = [UInt8](unsafeUninitializedCapacity: total) { bytes, count in
                    while received < total {
                        let n = recv(peer, bytes.baseAddress! + received, min(1 << 20, total - received), 0)
                        guard n > 0 else { break }
                        received += n
                    }
                    count = received
                }
                guard message.count == total else { close(peer); return }
            }
            var done: UInt8 = 1
            _ = send(peer, &done, 1, 0)
        }
        var byte: UInt8 = 0
        while recv(peer, &byte, 1, 0) == 1 { _ = send(peer, &byte, 1, 0) }
        close(peer)
    }
    echo.start()
    let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try check(client, "socket")
    defer { close(client) }
    try withUnsafePointer(to: &address) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try check(connect(client, $0, length), "connect") }
    }
    var one: Int32 = 1
    setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    let clock = ContinuousClock()
    let chunk = [UInt8](repeating: 0xA5, count: 1 << 20)
    var best = Duration.seconds(1000)
    var bestFresh = Duration.seconds(1000)
    for round in 0..<(2 * bulkRounds) {
        let start = clock.now
        var sent = 0
        while sent < total {
            let n = chunk.withUnsafeBytes { send(client, $0.baseAddress, min($0.count, total - sent), 0) }
            guard n > 0 else { throw ConfideError(.io, "raw loopback: the send failed") }
            sent += n
        }
        var done: UInt8 = 0
        guard recv(client, &done, 1, 0) == 1 else { throw ConfideError(.io, "raw loopback: no acknowledgement") }
        if round < bulkRounds { best = min(best, clock.now - start) } else { bestFresh = min(bestFresh, clock.now - start) }
    }
    let rate = Double(megabytes) / seconds(best)
    let freshRate = Double(megabytes) / seconds(bestFresh)
    var samples: [Duration] = []
    samples.reserveCapacity(roundTrips)
    var byte: UInt8 = 0xA5
    for _ in 0..<roundTrips {
        let start = clock.now
        guard send(client, &byte, 1, 0) == 1, recv(client, &byte, 1, 0) == 1 else { throw ConfideError(.io, "raw loopback floor: the echo failed") }
        samples.append(clock.now - start)
    }
    samples.sort()
    say("raw TCP, blocking    : \(megabytes) MiB in \(best) = \(Int(rate)) MiB/s; 1-byte round trip median \(samples[samples.count / 2]), p90 \(samples[samples.count * 9 / 10]) (this machine's floor)")
    say("raw TCP, fresh arrays: \(megabytes) MiB in \(bestFresh) = \(Int(freshRate)) MiB/s (each message received into new memory)")
    return (rate, samples[samples.count / 2], freshRate)
}

let (rawRate, rawRTT, rawFreshRate) = try rawFloor()
report("raw-tcp", rate: rawRate, rtt: rawRTT)
report("raw-tcp-fresh", rate: rawFreshRate, rtt: rawRTT)
let ca = try NetCertificateAuthority.generate(days: 1)
let identities = try (0..<2).map { try ca.issue(commonName: "party\($0)", hosts: ["127.0.0.1"], days: 1) }
var (plainRate, plainRTT) = (0.0, Duration.zero)
if runs("socket-plain") {
    let plain = try await connectPair([.insecurePlaintextForTestsOnly, .insecurePlaintextForTestsOnly])
    (plainRate, plainRTT) = try await measure("socket, plaintext TCP ", plain)
    report("socket-plain", rate: plainRate, rtt: plainRTT)
    for c in plain { await c.close() }
}
var (tlsRate, tlsRTT) = (0.0, Duration.zero)
if runs("socket-tls") {
    let tls = try await connectPair(identities.map { .mutualTLS($0) })
    (tlsRate, tlsRTT) = try await measure("socket, mutual TLS    ", tls)
    report("socket-tls", rate: tlsRate, rtt: tlsRTT)
    for c in tls { await c.close() }
}
guard runs("grpc-tls") else { exit(0) }

// The runtime's party links: three compute nodes (party 2 idle), one session opened without a graph.
let folder = NSTemporaryDirectory() + "confide-netbench-\(UUID().uuidString.prefix(8))"
try NetCredentials.writeDeployment(to: folder, parties: 3, hosts: ["localhost", "127.0.0.1"], days: 1, force: false)
defer { try? FileManager.default.removeItem(atPath: folder) }
var nodes: [ComputeNode] = []
var tasks: [Task<Void, any Error>] = []
var endpoints: [RuntimeEndpoint] = []
for p in 0..<3 {
    let tls = RuntimeTLS(caFile: folder + "/ca.pem", certificateFile: folder + "/party\(p)/cert.pem", keyFile: folder + "/party\(p)/key.pem")
    let unused = RuntimeEndpoint(host: "127.0.0.1", port: 9)
    let node = try ComputeNode(
        ComputeNodeConfiguration(party: p, listen: RuntimeEndpoint(host: "127.0.0.1", port: 0), data: unused, results: unused, tls: tls, roundTimeout: .seconds(120)),
        log: Logger.node("party\(p)", level: .warning))
    nodes.append(node)
    tasks.append(Task { try await node.run() })
    var port: Int?
    while port == nil {
        try await Task.sleep(for: .milliseconds(10))
        port = await node.listeningPort()
    }
    endpoints.append(RuntimeEndpoint(host: "127.0.0.1", port: port!))
}
let links = [try await nodes[0].openSession("bench", endpoints: endpoints), try await nodes[1].openSession("bench", endpoints: endpoints)]
let (grpcRate, grpcRTT) = try await measure("gRPC SendValue, mTLS  ", links)
report("grpc-tls", rate: grpcRate, rtt: grpcRTT)
for p in 0..<2 { await nodes[p].closeSession("bench") }
for node in nodes { node.stop() }
for task in tasks { _ = try? await task.value }
if only == nil {
say(
    String(
        format: "of raw TCP: plaintext socket %.0f %%, mutual TLS socket %.0f %% (goal 70 %%), gRPC SendValue %.0f %% (goal 60 %%); of raw TCP into fresh arrays: %.0f %%, %.0f %%, %.0f %%; round trips %.1fx, %.1fx, %.1fx the floor (goal 2x)",
        100 * plainRate / rawRate, 100 * tlsRate / rawRate, 100 * grpcRate / rawRate,
        100 * plainRate / rawFreshRate, 100 * tlsRate / rawFreshRate, 100 * grpcRate / rawFreshRate, seconds(plainRTT) / seconds(rawRTT), seconds(tlsRTT) / seconds(rawRTT),
        seconds(grpcRTT) / seconds(rawRTT)))
}
