import ConfideCore
import ConfideComm
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// How links are protected.
public enum NetSecurity: Sendable {
    /// Mutual TLS 1.3 on every link: this party presents `identity`, trusts only `identity.trustedPEM`, and
    /// requires each peer's certificate to name exactly the rank it claims (``NetRole``: `partyN`, one role).
    case mutualTLS(NetIdentity)
    /// NO encryption and NO authentication: anyone who can reach the port can read, inject and impersonate.
    /// For tests of the framing on loopback only; never use it with real data.
    case insecurePlaintextForTestsOnly
}

/// Settings of a socket communicator.
public struct NetOptions: Sendable {
    /// How long a receive waits when `exchange` gets no timeout.
    public var defaultTimeout: Duration = .seconds(60)
    /// The overall budget of set-up: listening, connecting (with retries) and authenticating every link.
    public var setupTimeout: Duration = .seconds(30)
    /// Frames whose payload exceeds this are refused (the link is failed) and sends above it throw.
    public var maximumPayload: Int = NetFrame.defaultMaximumPayload
    /// The communicator's name; links of differently named communicators refuse each other.
    public var name: String = "world"
    /// How long an accepted connection may take to identify itself (hello or rendezvous
    /// registration) before it is closed; until then only set-up-sized frames are read.
    public var helloTimeout: Duration = .seconds(10)

    public init() {}
}

/// TLS contexts and the peer-certificate check shared by a party's links.
struct NetTLS: Sendable {
    let server: NIOSSLContext
    let client: NIOSSLContext

    init(identity: NetIdentity) throws {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        let trusted: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(identity.certificatePEM.utf8))
        } catch { throw ConfideError(.invalidValue, "the party certificate is not a PEM certificate") }
        do {
            key = try NIOSSLPrivateKey(bytes: Array(identity.keyPEM.utf8), format: .pem)
        } catch { throw ConfideError(.invalidValue, "the party private key is not a PEM private key") }
        do {
            trusted = try identity.trustedPEM.flatMap { try NIOSSLCertificate.fromPEMBytes(Array($0.utf8)) }
        } catch { throw ConfideError(.invalidValue, "a trusted certificate is not a PEM certificate") }
        guard !chain.isEmpty else { throw ConfideError(.invalidValue, "the party certificate file holds no certificate") }
        guard !trusted.isEmpty else { throw ConfideError(.invalidValue, "mutual TLS needs at least one trusted certificate (the CA)") }
        var serverConfig = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        serverConfig.minimumTLSVersion = .tlsv13
        serverConfig.certificateVerification = .noHostnameVerification  // rank is checked against the certificate instead
        serverConfig.trustRoots = .certificates(trusted)
        var clientConfig = TLSConfiguration.makeClientConfiguration()
        clientConfig.minimumTLSVersion = .tlsv13
        clientConfig.certificateChain = chain.map { .certificate($0) }
        clientConfig.privateKey = .privateKey(key)
        clientConfig.certificateVerification = .noHostnameVerification
        clientConfig.trustRoots = .certificates(trusted)
        do {
            server = try NIOSSLContext(configuration: serverConfig)
            client = try NIOSSLContext(configuration: clientConfig)
        } catch {
            throw ConfideError(.invalidValue, "cannot build the TLS context (does the key match the certificate?)", cause: "\(error)")
        }
    }

    /// Checks that the peer certificate of a link names exactly `rank`.
    static func check(_ context: ChannelHandlerContext, names rank: Int, me: Int) -> ConfideError? {
        guard let certificate = try? context.pipeline.syncOperations.nioSSL_peerCertificate() else {
            return ConfideError(.authenticationFailed, "party \(me): party \(rank) presented no certificate")
        }
        guard let der = try? certificate.toDERBytes() else {
            return ConfideError(.authenticationFailed, "party \(me): the certificate of party \(rank) cannot be parsed")
        }
        let role: NetRole
        do { role = try NetRole.of(der: der) } catch let error as ConfideError {
            return ConfideError(.authenticationFailed, "party \(me): the certificate presented as party \(rank) is refused: \(error.message)")
        } catch {
            return ConfideError(.authenticationFailed, "party \(me): the certificate of party \(rank) cannot be parsed")
        }
        if role == .party(rank) { return nil }
        return ConfideError(.authenticationFailed, "party \(me): the certificate presented as party \(rank) names \(role), not party\(rank)")
    }
}

/// Authenticated incoming links of a listening party, by peer rank.
final class NetAcceptor: Sendable {
    /// Set on the root of a rendezvous set-up.
    let rendezvous: NetRendezvous?

    init(rendezvous: NetRendezvous? = nil) {
        self.rendezvous = rendezvous
    }

    private struct State {
        var links: [Int: any Channel] = [:]
        var lastRejection: String?
        var closed = false
    }
    private let state = Mutex(State())

    /// Registers a link; returns an error for a rank that is already connected.
    func register(_ rank: Int, _ channel: any Channel) -> ConfideError? {
        state.withLock { s in
            if s.closed { return ConfideError(.notRunning, "the listener is closed") }
            if s.links[rank] != nil { return ConfideError(.invalidArgument, "party \(rank) is already connected") }
            s.links[rank] = channel
            return nil
        }
    }

    func reject(_ reason: String) {
        state.withLock { $0.lastRejection = reason }
    }

    func take(_ ranks: [Int]) -> [Int: any Channel]? {
        state.withLock { s in
            guard ranks.allSatisfy({ s.links[$0] != nil }) else { return nil }
            return s.links
        }
    }

    var lastRejection: String? { state.withLock { $0.lastRejection } }

    func closeAll() -> [any Channel] {
        state.withLock { s in
            s.closed = true
            let all = Array(s.links.values)
            s.links.removeAll()
            return all
        }
    }
}

/// The inbound end of one link: set-up handshake (hello/welcome/reject), then data frames into the mailbox.
final class NetLinkHandler: ChannelInboundHandler {
    typealias InboundIn = NetFrame
    typealias OutboundOut = ByteBuffer

    enum Role {
        /// We accepted the connection; the peer's rank comes with its hello.
        case accepted(NetAcceptor, allowed: Set<Int>)
        /// We initiated it to `peer`; `established` completes on welcome.
        case initiated(peer: Int, established: EventLoopPromise<Void>)
    }

    private let me: Int
    private let name: String
    private let tls: Bool
    private let mailbox: NetMailbox
    private var role: Role
    private var peer: Int?
    private var ready = false {
        didSet { if ready { limit.maximumPayload = maximumPayload; helloDeadline?.cancel() } }
    }
    private let limit: NetFrameLimit
    private let maximumPayload: Int
    private var helloDeadline: Scheduled<Void>?
    private let helloTimeout: Duration

    private var registration: [UInt8]?

    init(me: Int, name: String, tls: Bool, mailbox: NetMailbox, role: Role, limit: NetFrameLimit, maximumPayload: Int,
         helloTimeout: Duration = .seconds(10), registration: (payload: [UInt8], answer: EventLoopPromise<String>)? = nil) {
        self.limit = limit
        self.helloTimeout = helloTimeout
        self.maximumPayload = maximumPayload
        self.registration = registration?.payload
        self.rendezvousAddresses = registration?.answer
        self.me = me
        self.name = name
        self.tls = tls
        self.mailbox = mailbox
        self.role = role
        if case .initiated(let peer, _) = role { self.peer = peer }
    }

    func channelActive(context: ChannelHandlerContext) {
        if case .accepted = role {
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            helloDeadline = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(helloTimeout.wholeNanoseconds))) {
                let (handler, context) = bound.value
                if !handler.ready { context.close(promise: nil) }
            }
        }
        if case .initiated = role {
            if let registration {
                send(context, NetFrame(.register, tag: MessageTag(kind: name, sequence: UInt64(me)), payload: registration))
            } else {
                send(context, NetFrame(.hello, tag: MessageTag(kind: name, sequence: UInt64(me))))
            }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if ready, let peer {
            switch frame.kind {
            case .data where frame.tag.kind.hasSuffix(NetMailbox.revokeNotice):
                let group = String(frame.tag.kind.dropLast(NetMailbox.revokeNotice.count))
                mailbox.revokeGroup(group, ConfideError(.revoked, "party \(me): group \(group) was revoked by party \(peer)"))
            case .data:
                if let error = mailbox.deliver(from: peer, tag: frame.tag, bytes: frame.payload) {
                    fault(context, error)
                }
            case .revoke:
                mailbox.terminate(ConfideError(.revoked, "party \(me): the communicator was revoked by party \(peer)"))
            case .goodbye:
                mailbox.failPeer(peer, ConfideError(.peerFailure, "party \(me): party \(peer) closed its communicator"))
            default:
                fault(context, ConfideError(.protocolViolation, "party \(peer) sent an unexpected set-up frame"))
            }
            return
        }
        switch role {
        case .accepted(let acceptor, let allowed):
            if frame.kind == .register {
                helloDeadline?.cancel()
                register(context, acceptor, frame)
                return
            }
            guard frame.kind == .hello else {
                refuse(context, acceptor, "a connection sent data before identifying itself")
                return
            }
            let claimed = Int(truncatingIfNeeded: frame.tag.sequence)
            guard frame.tag.kind == name else {
                refuse(context, acceptor, "a connection for communicator '\(frame.tag.kind)' reached communicator '\(name)'")
                return
            }
            guard allowed.contains(claimed) else {
                refuse(context, acceptor, "a connection claimed party \(claimed), which is not expected to connect to party \(me)")
                return
            }
            if tls, let error = NetTLS.check(context, names: claimed, me: me) {
                refuse(context, acceptor, error.message)
                return
            }
            if let error = acceptor.register(claimed, context.channel) {
                refuse(context, acceptor, "party \(me): \(error.message)")
                return
            }
            peer = claimed
            ready = true
            send(context, NetFrame(.welcome, tag: MessageTag(kind: name, sequence: UInt64(me))))
        case .initiated(let expected, let established):
            switch frame.kind {
            case .addresses:
                if tls, let error = NetTLS.check(context, names: expected, me: me) {
                    established.fail(error)
                    context.close(promise: nil)
                    return
                }
                rendezvousAddresses?.succeed(String(decoding: frame.payload, as: UTF8.self))
                established.succeed(())
                context.close(promise: nil)
            case .welcome:
                if tls, let error = NetTLS.check(context, names: expected, me: me) {
                    established.fail(error)
                    context.close(promise: nil)
                    return
                }
                ready = true
                established.succeed(())
            case .reject:
                let reason = String(decoding: frame.payload, as: UTF8.self)
                let code: ConfideError.Code = frame.tag.sequence == NetLinkHandler.tokenMismatchReason ? .tokenMismatch : .authenticationFailed
                established.fail(ConfideError(code, "party \(expected) refused the connection of party \(me): \(reason)"))
                context.close(promise: nil)
            default:
                established.fail(ConfideError(.protocolViolation, "party \(expected) answered the set-up with an unexpected frame"))
                context.close(promise: nil)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let confide = (error as? ConfideError)
            ?? ConfideError(
                error is NIOSSLError || error is BoringSSLError ? .authenticationFailed : .peerFailure,
                "party \(me): link to \(peer.map { "party \($0)" } ?? "an unidentified peer") failed: \(error)")
        if case .accepted(let acceptor, _) = role, !ready { acceptor.reject(confide.message) }
        fault(context, confide)
    }

    func channelInactive(context: ChannelHandlerContext) {
        helloDeadline?.cancel()
        if case .initiated(let expected, let established) = role, !ready {
            established.fail(ConfideError(.peerFailure, "party \(expected) closed the connection of party \(me) during set-up"))
        }
        if ready, let peer {
            mailbox.failPeer(peer, ConfideError(.peerFailure, "party \(me): the connection to party \(peer) was lost"))
        }
        context.fireChannelInactive()
    }

    private func fault(_ context: ChannelHandlerContext, _ error: ConfideError) {
        if ready, let peer {
            mailbox.failPeer(peer, ConfideError(error.code, "party \(me): link to party \(peer) failed: \(error.message)"))
        } else if case .initiated(_, let established) = role {
            established.fail(error)
        }
        context.close(promise: nil)
    }

    static let tokenMismatchReason: UInt64 = 1
    /// For a rendezvous registration: completed with the address list when the root answers.
    var rendezvousAddresses: EventLoopPromise<String>?

    private func refuse(_ context: ChannelHandlerContext, _ acceptor: NetAcceptor, _ reason: String, code: UInt64 = 0) {
        acceptor.reject(reason)
        send(context, NetFrame(.reject, tag: MessageTag(kind: name, sequence: code), payload: Array(reason.utf8)))
        context.close(promise: nil)
    }

    /// The root's side of a rendezvous registration.
    private func register(_ context: ChannelHandlerContext, _ acceptor: NetAcceptor, _ frame: NetFrame) {
        guard let rendezvous = acceptor.rendezvous else {
            refuse(context, acceptor, "party \(me) is not a rendezvous root")
            return
        }
        let claimed = Int(truncatingIfNeeded: frame.tag.sequence)
        let payload = frame.payload
        guard frame.tag.kind == name, payload.count >= 2 else {
            refuse(context, acceptor, "malformed rendezvous registration")
            return
        }
        let tokenLength = Int(payload[0]) << 8 | Int(payload[1])
        guard payload.count >= 2 + tokenLength,
            let address = try? NetAddress(String(decoding: payload[(2 + tokenLength)...], as: UTF8.self))
        else {
            refuse(context, acceptor, "malformed rendezvous registration")
            return
        }
        guard netConstantTimeEqual(Array(payload[2..<(2 + tokenLength)]), rendezvous.token) else {
            refuse(context, acceptor, "rendezvous token mismatch (party \(claimed) presented a different token)", code: NetLinkHandler.tokenMismatchReason)
            return
        }
        guard (1..<rendezvous.partyCount).contains(claimed) else {
            refuse(context, acceptor, "party \(claimed) cannot register with a rendezvous of \(rendezvous.partyCount) parties")
            return
        }
        if tls, let error = NetTLS.check(context, names: claimed, me: me) {
            refuse(context, acceptor, error.message)
            return
        }
        if let error = rendezvous.add(claimed, address, context.channel) {
            refuse(context, acceptor, "party \(me): \(error.message)")
        }
    }

    private func send(_ context: ChannelHandlerContext, _ frame: NetFrame) {
        var buffer = context.channel.allocator.buffer(capacity: NetFrame.headerSize + frame.tag.kind.utf8.count + frame.payload.count)
        try? frame.encode(into: &buffer)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }
}

/// The root's registry of a rendezvous set-up: each party's listening address, answered to everyone once complete.
final class NetRendezvous: Sendable {
    let token: [UInt8]
    let partyCount: Int
    let name: String
    private struct State {
        var root: NetAddress?
        var addresses: [Int: NetAddress] = [:]
        var channels: [Int: any Channel] = [:]
        var result: [NetAddress]?
    }
    private let state = Mutex(State())

    init(token: [UInt8], partyCount: Int, name: String) {
        self.token = token
        self.partyCount = partyCount
        self.name = name
    }

    func setRoot(_ address: NetAddress) {
        complete { $0.root = address }
    }

    func add(_ rank: Int, _ address: NetAddress, _ channel: any Channel) -> ConfideError? {
        var error: ConfideError?
        complete { s in
            if s.addresses[rank] != nil || s.result != nil {
                error = ConfideError(.invalidArgument, "party \(rank) is already registered")
                return
            }
            s.addresses[rank] = address
            s.channels[rank] = channel
        }
        return error
    }

    /// The address list once every party has registered.
    var result: [NetAddress]? { state.withLock { $0.result } }

    private func complete(_ change: (inout State) -> Void) {
        let answer: ([NetAddress], [any Channel])? = state.withLock { s in
            change(&s)
            guard s.result == nil, let root = s.root, s.addresses.count == partyCount - 1 else { return nil }
            let list = [root] + (1..<partyCount).map { s.addresses[$0]! }
            s.result = list
            let channels = Array(s.channels.values)
            s.channels.removeAll()
            return (list, channels)
        }
        guard let (list, channels) = answer else { return }
        let text = list.map(\.description).joined(separator: "\n")
        for channel in channels {
            var buffer = channel.allocator.buffer(capacity: 64 + text.utf8.count)
            try? NetFrame(.addresses, tag: MessageTag(kind: name, sequence: 0), payload: Array(text.utf8)).encode(into: &buffer)
            channel.writeAndFlush(buffer, promise: nil)
        }
    }
}

/// Compares two byte strings in time independent of where they differ.
func netConstantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for i in 0..<a.count { difference |= a[i] ^ b[i] }
    return difference == 0
}
