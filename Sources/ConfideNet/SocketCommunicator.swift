import ConfideCore
import ConfideComm
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bound, listening socket of one party, ready to accept its peers' links.
///
/// Create it with ``SocketCommunicator/listen(at:party:partyCount:security:options:)``; its ``address`` is the
/// actual address (with the OS-chosen port for `tcp://HOST`). Hand it to ``SocketCommunicator/direct(listener:addresses:)``.
public final class NetListener: Sendable {
    /// The address peers connect to.
    public let address: NetAddress
    let party: Int
    let partyCount: Int
    let options: NetOptions
    let security: NetSecurity
    let tls: NetTLS?
    let channel: any Channel
    let acceptor: NetAcceptor
    let mailbox: NetMailbox

    init(address: NetAddress, party: Int, partyCount: Int, options: NetOptions, security: NetSecurity, tls: NetTLS?,
         channel: any Channel, acceptor: NetAcceptor, mailbox: NetMailbox) {
        self.address = address
        self.party = party
        self.partyCount = partyCount
        self.options = options
        self.security = security
        self.tls = tls
        self.channel = channel
        self.acceptor = acceptor
        self.mailbox = mailbox
    }

    /// Stops listening and closes every accepted link.
    public func close() async {
        try? await channel.close()
        for link in acceptor.closeAll() { try? await link.close() }
        if case .unix(let path) = address { unlink(path) }
    }
}

/// A ``Communicator`` over sockets (TCP or Unix domain), with mutual TLS on every link.
///
/// Every pair of parties shares one link: the higher rank connects to the lower one. Each link starts with a
/// hello (the connecting party's rank and the communicator name) answered by welcome or reject; with TLS both
/// ends require the peer's certificate to be issued by a trusted CA and to name the claimed rank (`partyN`).
/// Messages are ``NetFrame``s; one ``exchange(_:expecting:timeout:)`` is one round (send all, then wait).
/// A lost link fails the receives from that peer at once with `.peerFailure` naming it; ``close()`` and ``revoke()``
/// fail every pending and later call (`.notRunning`, `.revoked`).
public final class SocketCommunicator: NetCollectiveCommunicator {
    public let party: Int
    public let partyCount: Int
    /// The default receive timeout of ``exchange(_:expecting:timeout:)``.
    public let defaultTimeout: Duration
    let maximumPayload: Int
    let name: String
    let links: [Int: any Channel]
    let mailbox: NetMailbox
    let listener: NetListener
    private let traffic = Mutex(TrafficStatistics())
    private let collectiveSequence = Mutex<UInt64>(0)

    /// The next tag of a collective call; every party calls collectives in the same order, so tags agree.
    public func nextCollectiveTag(_ kind: String) -> MessageTag {
        collectiveSequence.withLock { sequence in
            sequence += 1
            return MessageTag(kind: kind, sequence: sequence)
        }
    }

    init(listener: NetListener, links: [Int: any Channel]) {
        self.party = listener.party
        self.partyCount = listener.partyCount
        self.defaultTimeout = listener.options.defaultTimeout
        self.maximumPayload = listener.options.maximumPayload
        self.name = listener.options.name
        self.links = links
        self.mailbox = listener.mailbox
        self.listener = listener
    }

    // MARK: set-up

    /// Binds and listens at `address` (`tcp://HOST` lets the OS choose the port; a stale Unix socket file is replaced).
    /// - Throws: `.invalidArgument` for a bad rank, `.invalidValue` for unusable credentials, `.io` when the
    ///   address cannot be bound.
    public static func listen(
        at address: NetAddress, party: Int, partyCount: Int, security: NetSecurity, options: NetOptions = NetOptions()
    ) async throws -> NetListener {
        try await listen(at: address, party: party, partyCount: partyCount, security: security, options: options, rendezvousToken: nil)
    }

    static func listen(
        at address: NetAddress, party: Int, partyCount: Int, security: NetSecurity, options: NetOptions, rendezvousToken: [UInt8]?
    ) async throws -> NetListener {
        guard partyCount >= 1, (0..<partyCount).contains(party) else {
            throw ConfideError(.invalidArgument, "party \(party) does not exist in a communicator of \(partyCount) parties")
        }
        var tls: NetTLS?
        if case .mutualTLS(let identity) = security { tls = try NetTLS(identity: identity) }
        let mailbox = NetMailbox(owner: party)
        let rendezvous = rendezvousToken.map { NetRendezvous(token: $0, partyCount: partyCount, name: options.name) }
        let acceptor = NetAcceptor(rendezvous: rendezvous)
        let allowed = Set((party + 1)..<partyCount)
        let serverContext = tls?.server
        let name = options.name
        let maximumPayload = options.maximumPayload
        let helloTimeout = options.helloTimeout
        var bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let serverContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: serverContext))
                    }
                    let limit = NetFrameLimit()
                    try channel.pipeline.syncOperations.addHandler(NetFrameReader(limit: limit))
                    try channel.pipeline.syncOperations.addHandler(NetLinkHandler(
                        me: party, name: name, tls: serverContext != nil, mailbox: mailbox,
                        role: .accepted(acceptor, allowed: allowed), limit: limit, maximumPayload: maximumPayload, helloTimeout: helloTimeout))
                }
            }
        if case .tcp = address { bootstrap = bootstrap.childChannelOption(.socketOption(.tcp_nodelay), value: 1) }
        let channel: any Channel
        do {
            switch address {
            case .tcp(let host, let port):
                channel = try await bootstrap.bind(host: host, port: port).get()
            case .unix(let path):
                channel = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
            }
        } catch {
            throw ConfideError(.io, "party \(party) cannot listen at \(address)", cause: "\(error)")
        }
        var actual = address
        if case .tcp(let host, _) = address, let port = channel.localAddress?.port { actual = .tcp(host: host, port: port) }
        rendezvous?.setRoot(actual)
        return NetListener(
            address: actual, party: party, partyCount: partyCount, options: options, security: security, tls: tls,
            channel: channel, acceptor: acceptor, mailbox: mailbox)
    }

    /// Direct set-up: every party's address is known. Listens at `addresses[party]`, connects to every lower rank
    /// (retrying while it is not up yet) and accepts every higher rank, all within `options.setupTimeout`.
    /// - Throws: `.invalidAddress` for an address without an explicit port; `.timeout` naming a peer that never came
    ///   up; `.authenticationFailed` for an untrusted certificate or one naming another party.
    public static func direct(
        party: Int, addresses: [NetAddress], security: NetSecurity, options: NetOptions = NetOptions()
    ) async throws -> SocketCommunicator {
        guard (0..<addresses.count).contains(party) else {
            throw ConfideError(.invalidArgument, "party \(party) does not exist among \(addresses.count) addresses")
        }
        let listener = try await listen(at: addresses[party], party: party, partyCount: addresses.count, security: security, options: options)
        do {
            return try await direct(listener: listener, addresses: addresses)
        } catch {
            await listener.close()
            throw error
        }
    }

    /// Direct set-up over an existing listener (see ``direct(party:addresses:security:options:)``). On failure the
    /// listener stays open; the caller closes it.
    public static func direct(listener: NetListener, addresses: [NetAddress]) async throws -> SocketCommunicator {
        try await direct(listener: listener, addresses: addresses, deadline: ContinuousClock.now + listener.options.setupTimeout)
    }

    static func direct(listener: NetListener, addresses: [NetAddress], deadline: ContinuousClock.Instant) async throws -> SocketCommunicator {
        let party = listener.party
        guard addresses.count == listener.partyCount else {
            throw ConfideError(.invalidArgument, "direct set-up needs \(listener.partyCount) addresses, got \(addresses.count)")
        }
        for (rank, address) in addresses.enumerated() where !address.hasExplicitPort {
            throw ConfideError(.invalidAddress, "direct set-up needs an explicit port for every party; party \(rank) has \(address)")
        }
        var links: [Int: any Channel] = [:]
        do {
            try await withThrowingTaskGroup(of: (Int, any Channel).self) { group in
                for peer in 0..<party {
                    group.addTask { (peer, try await connect(listener: listener, to: peer, at: addresses[peer], deadline: deadline)) }
                }
                for try await (peer, channel) in group { links[peer] = channel }
            }
        } catch {
            for link in links.values { try? await link.close() }
            throw error
        }
        let higher = Array((party + 1)..<listener.partyCount)
        while true {
            if let accepted = listener.acceptor.take(higher) {
                for (rank, channel) in accepted { links[rank] = channel }
                break
            }
            if ContinuousClock.now >= deadline {
                for link in links.values { try? await link.close() }
                let missing = higher.filter { listener.acceptor.take([$0]) == nil }.map { "party \($0)" }.joined(separator: ", ")
                var message = "party \(party): set-up did not complete within \(listener.options.setupTimeout): no connection from \(missing)"
                if let rejection = listener.acceptor.lastRejection { message += " (last refused connection: \(rejection))" }
                throw ConfideError(.timeout, message)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return SocketCommunicator(listener: listener, links: links)
    }

    static func connect(
        listener: NetListener, to peer: Int, at address: NetAddress, deadline: ContinuousClock.Instant,
        rendezvous: (payload: [UInt8], answer: EventLoopPromise<String>)? = nil
    ) async throws -> any Channel {
        let party = listener.party
        let clientContext = listener.tls?.client
        let name = listener.options.name
        let maximumPayload = listener.options.maximumPayload
        let mailbox = listener.mailbox
        var lastError = "not tried"
        while ContinuousClock.now < deadline {
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let established = loop.makePromise(of: Void.self)
            var bootstrap = ClientBootstrap(group: loop)
                .connectTimeout(.seconds(2))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let clientContext {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: clientContext, serverHostname: nil))
                        }
                        let limit = NetFrameLimit()
                        try channel.pipeline.syncOperations.addHandler(NetFrameReader(limit: limit))
                        try channel.pipeline.syncOperations.addHandler(NetLinkHandler(
                            me: party, name: name, tls: clientContext != nil, mailbox: mailbox,
                            role: .initiated(peer: peer, established: established), limit: limit, maximumPayload: maximumPayload,
                            registration: rendezvous))
                    }
                }
            if case .tcp = address { bootstrap = bootstrap.channelOption(.socketOption(.tcp_nodelay), value: 1) }
            let channel: any Channel
            do {
                switch address {
                case .tcp(let host, let port): channel = try await bootstrap.connect(host: host, port: port).get()
                case .unix(let path): channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
                }
            } catch {
                established.fail(ConfideError(.peerFailure, "not connected"))
                lastError = "\(error)"
                try await Task.sleep(for: .milliseconds(25))
                continue
            }
            let timer = loop.scheduleTask(in: .nanoseconds(max(1, (deadline - ContinuousClock.now).wholeNanoseconds))) {
                established.fail(ConfideError(.timeout, "party \(party): party \(peer) at \(address) did not answer the set-up in time"))
            }
            do {
                try await established.futureResult.get()
                timer.cancel()
                return channel
            } catch {
                timer.cancel()
                try? await channel.close()
                throw error
            }
        }
        throw ConfideError(.timeout, "party \(party): party \(peer) at \(address) did not come up within the set-up deadline (last error: \(lastError))")
    }

    // MARK: Communicator

    public func exchange(_ outgoing: [OutgoingMessage], expecting: [ExpectedMessage], timeout: Duration?) async throws -> [[UInt8]] {
        let received = try await transfer(outgoing, expecting: expecting, timeout: timeout)
        traffic.withLock { $0.record(outgoing, expecting, received) }
        return received
    }

    /// One round without traffic accounting (the accounting is the caller's: this communicator or a group of it).
    public func transfer(_ outgoing: [OutgoingMessage], expecting: [ExpectedMessage], timeout: Duration?) async throws -> [[UInt8]] {
        if let terminal = mailbox.terminalError { throw terminal }
        for message in outgoing {
            guard links[message.peer] != nil, message.peer != party else {
                throw ConfideError(.invalidArgument, "party \(party) cannot send tag \(message.tag) to party \(message.peer)")
            }
        }
        for message in expecting {
            guard links[message.peer] != nil, message.peer != party else {
                throw ConfideError(.invalidArgument, "party \(party) cannot receive tag \(message.tag) from party \(message.peer)")
            }
        }
        for message in outgoing {
            let channel = links[message.peer]!
            let buffers = try SocketCommunicator.frameBuffers(message, allocator: channel.allocator, maximumPayload: maximumPayload)
            // comm: the write completes in the background; a failed write fails this peer's receives at once
            // (no wait for the write here: a round's latency is the network's, not an extra event-loop hop).
            let (mailbox, party, peer) = (mailbox, party, message.peer)
            channel.eventLoop.execute {
                // Flushed buffer by buffer: TLS encrypts each into a buffer it reuses, not all at once.
                for buffer in buffers.dropLast() { channel.writeAndFlush(buffer, promise: nil) }
                channel.writeAndFlush(buffers.last!).whenFailure { _ in
                    mailbox.failPeer(peer, ConfideError(.peerFailure, "party \(party): cannot send to party \(peer): the connection is lost"))
                }
            }
        }
        let limit = timeout ?? defaultTimeout
        let deadline = ContinuousClock.now + limit
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        var received: [[UInt8]] = []
        received.reserveCapacity(expecting.count)
        for message in expecting {
            let remaining = max(deadline - ContinuousClock.now, .zero)
            received.append(try await mailbox.receive(from: message.peer, tag: message.tag, timeout: remaining, loop: loop))
        }
        return received
    }

    public func statistics() -> TrafficStatistics {
        traffic.withLock { $0 }
    }

    /// The most payload bytes one write buffer holds. A large message goes out as one frame in
    /// buffers of this size: the allocator recycles them (one buffer of the whole message would be
    /// fresh memory, page-faulted in, on every send), and TLS encrypts them piece by piece.
    static let writeChunk = 1 << 20

    /// A data frame of `message` as write buffers: the header with the first chunk, then the rest.
    /// - Throws: the frame's size errors.
    static func frameBuffers(_ message: OutgoingMessage, allocator: ByteBufferAllocator, maximumPayload: Int) throws -> [ByteBuffer] {
        let count = message.bytes.count
        let first = min(count, writeChunk)
        var head = allocator.buffer(capacity: NetFrame.headerSize + message.tag.kind.utf8.count + first)
        try NetFrame.writeHeader(.data, tag: message.tag, payloadCount: count, into: &head, maximumPayload: maximumPayload)
        var buffers = [head]
        message.bytes.withUnsafeBytes { bytes in
            buffers[0].writeBytes(UnsafeRawBufferPointer(rebasing: bytes[0..<first]))
            var offset = first
            while offset < count {
                let end = min(count, offset + writeChunk)
                var buffer = allocator.buffer(capacity: end - offset)
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
                buffers.append(buffer)
                offset = end
            }
        }
        return buffers
    }

    public func failedPeers() -> Set<Int> { mailbox.failedPeerRanks }

    /// Closes every link and the listener; later calls fail with `.notRunning`. Peers see `.peerFailure` naming this party.
    public func close() async {
        mailbox.terminate(ConfideError(.notRunning, "the communicator of party \(party) is closed"))
        await shutDownLinks(final: .goodbye)
    }

    /// Alias of ``close()`` (Cicada's `free`).
    public func free() async { await close() }

    /// Revokes the communicator: every pending and later call of every party fails with `.revoked`.
    public func revokeGroupLocally(_ prefix: String) {
        mailbox.revokeGroup(prefix, ConfideError(.revoked, "party \(party): group \(prefix) was revoked by party \(party)"))
    }

    public func revoke() async {
        mailbox.terminate(ConfideError(.revoked, "party \(party): the communicator was revoked by party \(party)"))
        await shutDownLinks(final: .revoke)
    }

    private func shutDownLinks(final kind: NetFrame.Kind) async {
        for channel in links.values {
            var buffer = channel.allocator.buffer(capacity: NetFrame.headerSize + name.utf8.count)
            try? NetFrame(kind, tag: MessageTag(kind: name, sequence: UInt64(party))).encode(into: &buffer)
            try? await channel.writeAndFlush(buffer).get()
            try? await channel.close()
        }
        await listener.close()
    }
}
