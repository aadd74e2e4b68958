import ConfideCore
import ConfideMPC
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
        do {
            let inputs = try await fetchInputs(key: dataKey, types: graph.plan.inputTypes)
            let communicator = SessionCommunicator(link: link, defaultTimeout: configuration.roundTimeout)
            let (output, traffic) = try await graph.plan.runParty(
                party, inputs: inputs, communicator: communicator, timeout: configuration.roundTimeout)
            try Task.checkCancellation()
            if let output {
                try await provideResult(key: id, value: output, error: nil)
            } else {
                log.info("session '\(id)': this party receives no output")
            }
            link.close(reason: "the session finished")
            await sessions.set(id, .finished)
            log.info(
                "session '\(id)' finished in \(ContinuousClock.now - started): \(traffic.rounds) rounds, \(traffic.bytesSent) bytes sent, \(traffic.bytesReceived) received")
        } catch {
            let reason = RuntimeErrors.describe(error)
            link.abort(reason: reason)
            await sessions.set(id, .failed, message: reason)
            log.error("session '\(id)' failed: \(reason)")
            if !(error is CancellationError) {
                do {
                    try await provideResult(key: id, value: nil, error: reason)
                } catch {
                    log.warning("session '\(id)': cannot report the failure to the result service: \(RuntimeErrors.describe(error))")
                }
            }
        }
    }

    /// This party's inputs for a session: one typed value per graph input, from the data service.
    /// - Throws: `.io` when the data service is down or answers ERROR (its message included);
    ///   `.wrongInputCount` / `.typeMismatch` naming the input, the key and both types.
    func fetchInputs(key: [UInt8], types: [ValueType]) async throws -> [Value] {
        let endpoint = configuration.data
        let keyName = RuntimeText.key(key)
        let client = try services.client(for: endpoint)
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
        let client = try services.client(for: endpoint)
        let results = Ciphercore_ResultProviderService.Client(wrapping: client.client)
        var request = Ciphercore_ProvideResultRequest()
        request.key = key
        if let value { request.typedValue = try Ciphercore_TypedValue(value) }
        if let error { request.error = error }
        let response: Ciphercore_ProvideResultResponse
        do {
            response = try await results.provideResult(request, options: callOptions())
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
        let hex = bytes.prefix(32).map { String(format: "%02x", $0) }.joined()
        return "0x" + hex + (bytes.count > 32 ? "…" : "")
    }
}
