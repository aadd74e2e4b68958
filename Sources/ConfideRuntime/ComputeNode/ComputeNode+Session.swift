import ConfideCore
import ConfideMPC
import ConfideNet
import ConfideProtos
import Foundation
import GRPCCore

extension ComputeNode {
    /// Runs one session to its end: FINISHED with the output at the result service, or FAILED with
    /// the reason in the log, in ListSessions' state, in FinishSession's message and at the result service.
    func runSession(_ id: String, graph: GraphRegistry.Entry, dataKey: [UInt8], link: SessionLink) async {
        let party = configuration.party
        await sessions.set(id, .running)
        log.info("session '\(id)' running (\(graph.kind))")
        let started = ContinuousClock.now
        metrics.active.increment()
        defer {
            metrics.active.decrement()
            metrics.sessionSeconds.recordNanoseconds((ContinuousClock.now - started).wholeNanoseconds)
        }
        do {
            let inputs = try await fetchInputs(key: dataKey, types: graph.plan.inputTypes)
            let fetched = ContinuousClock.now
            let transport: any Communicator
            var socket: SocketCommunicator?
            switch configuration.partyTransport {
            case .sendValue:
                transport = SessionCommunicator(link: link, defaultTimeout: configuration.roundTimeout)
            case .socket:
                socket = try await openSocketLinks(id, link: link)
                transport = socket!
            }
            let meter = TrafficMeter()
            await sessions.attach(id, meter: meter, plannedRounds: graph.plannedRounds)
            let metrics = self.metrics
            let communicator = ObservedCommunicator(transport) { outgoing, expected, replies in
                metrics.round(outgoing, expected, replies)
                meter.record(outgoing, expected, replies)
            }
            let result: (output: Value?, traffic: TrafficStatistics, phases: SessionPhases)
            do {
                result = try await graph.plan.runParty(party, inputs: inputs, communicator: communicator, timeout: configuration.roundTimeout)
            } catch {
                await socket?.close()
                throw error
            }
            await socket?.close()
            let (output, traffic, phases) = result
            try Task.checkCancellation()
            let computed = ContinuousClock.now
            if let output {
                try await provideResult(key: id, value: output, error: nil)
            } else {
                log.info("session '\(id)': this party receives no output")
            }
            link.close(reason: "the session finished")
            await sessions.set(id, .finished)
            metrics.finished.increment()
            let delivered = ContinuousClock.now
            log.info(
                "session '\(id)' finished in \(SessionPhases.seconds(delivered - started)) (fetch \(SessionPhases.seconds(fetched - started)), \(phases.summary), deliver \(SessionPhases.seconds(delivered - computed)); peak RSS \(ProcessMemory.peakResidentBytes / 1_048_576) MiB): \(traffic.rounds) rounds, \(traffic.bytesSent) bytes sent, \(traffic.bytesReceived) received")
        } catch {
            let reason = RuntimeErrors.describe(error)
            link.abort(reason: reason)
            log.error("session '\(id)' failed: \(reason)")
            // The result service hears of the failure before ListSessions shows it, as it hears of an output
            // before FINISHED: an orchestrator that finishes the session as soon as it sees FAILED (which
            // cancels this task) cannot cut the report short.
            if !(error is CancellationError) {
                do {
                    try await provideResult(key: id, value: nil, error: reason)
                } catch {
                    log.warning("session '\(id)': cannot report the failure to the result service: \(RuntimeErrors.describe(error))")
                }
            }
            await sessions.set(id, .failed, message: reason)
            metrics.failed.increment()
        }
    }

    /// The session's party links as a socket communicator: listens on an OS-chosen port of this
    /// node's listen address, tells the peers its address over the session's SendValue link (one
    /// round), and connects with mutual TLS using the node's certificate, which names its party.
    /// - Throws: `.io` for unreadable TLS files; the socket communicator's set-up errors.
    func openSocketLinks(_ id: String, link: SessionLink) async throws -> SocketCommunicator {
        let party = configuration.party
        func read(_ path: String) throws -> String {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ConfideError(.io, "cannot read \(path)") }
            return text
        }
        let tls = configuration.tls
        let identity = NetIdentity(certificatePEM: try read(tls.certificateFile), keyPEM: try read(tls.keyFile), trustedPEM: [try read(tls.caFile)])
        var options = NetOptions()
        options.setupTimeout = configuration.sessionWait
        options.defaultTimeout = configuration.roundTimeout
        options.maximumPayload = RuntimeTransport.maxMessageBytes
        let listener = try await SocketCommunicator.listen(
            at: .tcp(host: configuration.listen.host, port: 0), party: party, partyCount: 3, security: .mutualTLS(identity), options: options)
        let port: Int
        switch listener.address {
        case let .tcp(_, p): port = p
        default: throw ConfideError(.invalidAddress, "party \(party): the session's socket listener has no TCP port")
        }
        // The address peers reach this node at is the one the orchestrator gave for it.
        let host = link.endpoints[party].host
        let mine = "tcp://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        let peers = (0..<3).filter { $0 != party }
        let tag = MessageTag(kind: "socket-setup", sequence: UInt64.max)
        let setup = SessionCommunicator(link: link, defaultTimeout: configuration.sessionWait)
        // comm: 1 round, this party's socket address to both peers
        let replies = try await setup.exchange(
            peers.map { OutgoingMessage(to: $0, tag: tag, bytes: Array(mine.utf8)) }, expecting: peers.map { ExpectedMessage(from: $0, tag: tag) }, timeout: nil)
        var addresses = [NetAddress](repeating: try NetAddress(mine), count: 3)
        for (peer, bytes) in zip(peers, replies) {
            addresses[peer] = try NetAddress(String(decoding: bytes, as: UTF8.self))
        }
        log.debug("session '\(id)': party links over sockets at \(addresses.map(\.description).joined(separator: ", "))")
        return try await SocketCommunicator.direct(listener: listener, addresses: addresses)
    }

    /// This party's inputs for a session: one typed value per graph input, from the data service.
    /// - Throws: `.io` when the data service is down or answers ERROR (its message included);
    ///   `.wrongInputCount` / `.typeMismatch` naming the input, the key and both types.
    func fetchInputs(key: [UInt8], types: [ValueType]) async throws -> [Value] {
        let endpoint = configuration.data
        let keyName = RuntimeText.key(key)
        let client = try services.client(for: endpoint, expecting: .partyData(configuration.party))
        let data = Ciphercore_DataManagerService.Client(wrapping: client.client)
        let response: Ciphercore_GetValueResponse
        do {
            response = try await data.getValue(.with { $0.key = Data(key) }, options: callOptions())
        } catch {
            throw ConfideError(.io, "the data service at \(endpoint) did not answer for key '\(keyName)'", cause: RuntimeErrors.describe(error))
        }
        guard response.status == .ok else {
            throw ConfideError(.io, "the data service at \(endpoint) refused key '\(keyName)': \(response.error.prefix(300))")
        }
        guard response.typedValue.count == types.count else {
            throw ConfideError(
                .wrongInputCount,
                "the data service at \(endpoint) gave \(response.typedValue.count) value\(response.typedValue.count == 1 ? "" : "s") for key '\(keyName)', the graph has \(types.count) input\(types.count == 1 ? "" : "s")")
        }
        return try zip(response.typedValue, types).enumerated().map { i, pair in
            try pair.0.decoded(expected: pair.1, what: "input \(i) (key '\(keyName)' at \(endpoint))")
        }
    }

    /// Gives a session's output (or its failure) to this party's result service, keyed by the session id.
    /// - Throws: `.io` when the service does not answer or answers ERROR.
    func provideResult(key: String, value: Value?, error: String?) async throws {
        let endpoint = configuration.results
        let client = try services.client(for: endpoint, expecting: .partyData(configuration.party))
        let results = Ciphercore_ResultProviderService.Client(wrapping: client.client)
        var request = Ciphercore_ProvideResultRequest()
        request.key = key
        if let value { request.typedValue = try Ciphercore_TypedValue(value) }
        if let error { request.error = error }
        let response: Ciphercore_ProvideResultResponse
        do {
            // An output waits for a result service that is still starting; a failure report does not (the
            // service may be what failed, and the session shows FAILED only once the report is settled).
            var options = callOptions()
            options.waitForReady = value != nil
            response = try await results.provideResult(request, options: options)
        } catch {
            throw ConfideError(.io, "the result service at \(endpoint) did not answer for session '\(key)'", cause: RuntimeErrors.describe(error))
        }
        guard response.status == .ok else {
            throw ConfideError(.io, "the result service at \(endpoint) refused the result of session '\(key)': \(response.error.prefix(300))")
        }
    }

    func callOptions() -> CallOptions {
        var options = CallOptions.defaults
        options.timeout = configuration.serviceTimeout
        options.waitForReady = true
        return options
    }
}

/// Printable forms of identifiers that arrive as bytes.
enum RuntimeText {
    /// A data key for messages: UTF-8 if it is printable, else hex; at most 64 characters.
    static func key(_ bytes: [UInt8]) -> String {
        if let text = String(bytes: bytes, encoding: .utf8), text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) {
            return text.count > 64 ? String(text.prefix(64)) + "…" : text
        }
        let hex = Hex.encode(bytes.prefix(32))
        return "0x" + hex + (bytes.count > 32 ? "…" : "")
    }
}
