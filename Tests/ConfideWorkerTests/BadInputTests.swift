import ConfideCore
import Foundation
import Testing
@testable import ConfideWorker

/// Every bad input of issue 7: each gets the spec's error code and nothing is stored as a result.
@Suite struct BadInputTests {
    /// Builds a correct order, lets `mutate` change it (with the session key at hand), then re-hashes
    /// and re-signs unless told not to: a requester that is wrong or malicious, not an outside attacker.
    func forge(
        _ service: WorkerService, workload: String = "hello", inputs: [String] = ["Krsna"], rehash: Bool = true,
        mutate: (inout WorkOrderRequest, [UInt8]) throws -> Void
    ) async throws -> WorkOrderRequest {
        let info = try await WorkerTestSupport.info(service)
        let sessionKey = SessionCipher.newKey()
        let sessionIV = SessionCipher.newIV()
        let signer = Secp256k1SigningKey()
        var items = [DataItem]()
        for (i, input) in inputs.enumerated() {
            let (iv, sealed) = try SessionCipher.seal(Array(input.utf8), key: sessionKey)
            items.append(DataItem(index: i, data: Data(sealed).base64EncodedString(), iv: Hex.encode(iv)))
        }
        var request = WorkOrderRequest(
            responseTimeoutMSecs: 30_000, workOrderId: Hex.encode(SessionCipher.randomBytes(32)), workerId: info.workerId,
            workloadId: WorkloadRegistry.workloadId(forName: workload), requesterId: Hex.encode(WorkOrderHash.sha256(signer.verifyingKey.uncompressed)),
            encryptedSessionKey: Hex.encode(try WorkerKeys.wrapSessionKey(sessionKey, forEncryptionKeyPEM: info.encryptionKeyPEM)),
            sessionKeyIv: Hex.encode(sessionIV), requesterNonce: Hex.encode(SessionCipher.randomBytes(16)), inData: items
        )
        func seal(_ r: inout WorkOrderRequest) throws {
            let hash = r.requestHash
            r.encryptedRequestHash = Hex.encode(try SessionCipher.seal(hash, key: sessionKey, iv: sessionIV))
            r.requesterSignature = Data(try signer.signature(forDigest: hash)).base64EncodedString()
            r.verifyingKey = signer.verifyingKey.pem
        }
        try seal(&request)
        try mutate(&request, sessionKey)
        if rehash { try seal(&request) }
        return request
    }

    func expectRejected(
        _ service: WorkerService, _ request: WorkOrderRequest, _ status: WorkOrderStatus, _ fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let answer = await WorkerTestSupport.call(service, "WorkOrderSubmit", request.json)
        guard case .failure(let error) = answer else {
            Issue.record("accepted a bad work order", sourceLocation: sourceLocation)
            return
        }
        #expect(error.status == status, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
        #expect(error.data?["workOrderId"]?.stringValue == request.workOrderId, sourceLocation: sourceLocation)
        let counts = try await service.store.counts()
        #expect(counts.orders == 0 && counts.results == 0, "something was stored", sourceLocation: sourceLocation)
        guard case .failure(let lookup) = await WorkerTestSupport.getResult(service, request.workOrderId) else {
            Issue.record("a rejected order has a result", sourceLocation: sourceLocation)
            return
        }
        #expect(lookup.status == .invalidParameter, sourceLocation: sourceLocation)
    }

    static func flip(_ base64: String, at position: (Int) -> Int) -> String {
        var bytes = [UInt8](Data(base64Encoded: base64)!)
        bytes[position(bytes.count)] ^= 0x01
        return Data(bytes).base64EncodedString()
    }

    @Test func tamperedCiphertext() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = try await forge(service) { r, _ in r.inData[0].data = Self.flip(r.inData[0].data) { _ in 0 } }
        try await expectRejected(service, request, .invalidParameter, "decryption failed")
    }

    @Test func tamperedTag() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = try await forge(service) { r, _ in r.inData[0].data = Self.flip(r.inData[0].data) { $0 - 1 } }
        try await expectRejected(service, request, .invalidParameter, "decryption failed")
    }

    @Test func ciphertextChangedAfterHashing() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = try await forge(service, rehash: false) { r, _ in r.inData[0].data = Self.flip(r.inData[0].data) { _ in 0 } }
        try await expectRejected(service, request, .invalidParameter, "request hash mismatch")
    }

    @Test func wrongSessionKey() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = try await forge(service) { r, _ in
            r.encryptedSessionKey = Hex.encode(try WorkerKeys.wrapSessionKey(SessionCipher.newKey(), forEncryptionKeyPEM: WorkerTestSupport.keys.encryptionKeyPEM))
        }
        try await expectRejected(service, request, .invalidParameter, "does not decrypt under the session key")
    }

    @Test func requestHashMismatch() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = try await forge(service, rehash: false) { r, _ in r.requesterNonce = "00" + r.requesterNonce }
        try await expectRejected(service, request, .invalidParameter, "request hash mismatch")
    }

    @Test func badRequesterSignature() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stranger = Secp256k1SigningKey()
        let request = try await forge(service, rehash: false) { r, _ in
            r.requesterSignature = Data(try stranger.signature(forDigest: r.requestHash)).base64EncodedString()
        }
        try await expectRejected(service, request, .invalidSignature, "requesterSignature does not verify")
    }

    @Test func unsignedSubmission() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = try await forge(service, rehash: false) { r, _ in r.requesterSignature = "" }
        try await expectRejected(service, request, .invalidSignature, "requesterSignature is required")
    }

    @Test func requesterIdThatIsNotTheKeysHash() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = try await forge(service) { r, _ in r.requesterId = "aa55" }
        try await expectRejected(service, request, .invalidParameter, "requesterId must be the SHA-256")
    }

    /// Only the requester's signature fetches a result: none, a stranger's, or a signature of another order is refused.
    @Test func resultsNeedTheRequestersSignature() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let info = try await WorkerTestSupport.info(service)
        let requester = try WorkerTestSupport.requester(info, "hello", ["Rama"])
        let result = try await WorkerTestSupport.run(service, requester).get()
        let id = requester.request.workOrderId
        let other = try WorkerTestSupport.requester(info, "hello", ["Sita"])
        let stranger = Data(try Secp256k1SigningKey().signature(forDigest: WorkerService.resultRequestDigest(workOrderId: id))).base64EncodedString()
        for signature: String? in [nil, "", "not base64", stranger, other.resultSignature] {
            var params: [(String, JSONValue)] = [("workOrderId", .string(id))]
            if let signature { params.append(("requesterSignature", .string(signature))) }
            guard case .failure(let error) = await WorkerTestSupport.call(service, "WorkOrderGetResult", .object(params)) else {
                Issue.record("a result was given for signature \(signature ?? "none")")
                continue
            }
            #expect(error.status == .invalidSignature, "\(error)")
        }
        #expect(try await WorkerTestSupport.getResult(service, requester).get() == result)
    }

    /// Orders that time out after 1 ms while their work goes on count against the running bound.
    @Test func aFloodOfOneMillisecondTimeoutsStaysWithinTheRunningBound() async throws {
        var registry = WorkloadRegistry.builtIn
        let gate = GatedWorkload()
        registry.register("gated", gate)
        var configuration = WorkerConfiguration(workloads: registry)
        configuration.maxRunningWorkloads = 3
        let (service, dir) = try WorkerTestSupport.service(configuration: configuration)
        defer { try? FileManager.default.removeItem(at: dir) }
        let info = try await WorkerTestSupport.info(service)
        var busy = 0
        for _ in 0..<10 {
            let requester = try WorkerTestSupport.requester(info, "gated", ["x"], timeout: 1)
            if case .failure(let error) = await WorkerTestSupport.call(service, "WorkOrderSubmit", requester.request.json), error.status == .busy {
                busy += 1
            }
            #expect(await service.runningWorkloads <= 3)
        }
        #expect(busy == 7)
        gate.open()
        for _ in 0..<200 where await service.runningWorkloads > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await service.runningWorkloads == 0)
        let after = try WorkerTestSupport.requester(info, "hello", ["Rama"])
        #expect(try await WorkerTestSupport.run(service, after).get()["outData"] != nil)
    }

    @Test func unknownWorkerId() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = try await forge(service) { r, _ in r.workerId = "0123456789abcdef" }
        try await expectRejected(service, request, .invalidParameter, "unknown workerId")
    }

    @Test func unknownWorkloadId() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = try await forge(service, workload: "no-such-workload") { _, _ in }
        try await expectRejected(service, request, .invalidWorkload, "unknown workloadId")
    }

    @Test func reusedIV() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = try await forge(service, inputs: ["a", "b"]) { r, key in
            // Both items under the same IV (and the session IV), as Avalon's SDK does.
            let iv = Hex.decode(r.sessionKeyIv)!
            for i in r.inData.indices {
                r.inData[i].iv = r.sessionKeyIv
                r.inData[i].data = Data(try SessionCipher.seal(Array("x".utf8), key: key, iv: iv)).base64EncodedString()
            }
        }
        try await expectRejected(service, request, .invalidParameter, "iv repeats")
    }

    @Test func timeoutOutOfRange() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = try await forge(service) { r, _ in r.responseTimeoutMSecs = 0 }
        try await expectRejected(service, request, .invalidParameter, "responseTimeoutMSecs")
    }

    @Test func duplicateWorkOrderId() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let info = try await WorkerTestSupport.info(service)
        let requester = try WorkerTestSupport.requester(info, "hello", ["Shiva"])
        let first = try await WorkerTestSupport.run(service, requester).get()
        // The same id again, with other content: rejected, and the stored result is unchanged.
        let again = try WorkOrderRequester(
            worker: info, workload: "hello", inputs: [Array("Ganesha".utf8)], signingKey: Secp256k1SigningKey(),
            workOrderId: requester.request.workOrderId
        )
        guard case .failure(let error) = await WorkerTestSupport.call(service, "WorkOrderSubmit", again.request.json) else {
            Issue.record("duplicate accepted")
            return
        }
        #expect(error.status == .invalidParameter)
        #expect(error.message.contains("already exists"))
        #expect(try await service.store.counts() == (1, 1))
        #expect(try await WorkerTestSupport.getResult(service, requester).get() == first)
    }

    @Test func expiredTimeout() async throws {
        var registry = WorkloadRegistry.builtIn
        registry.register("stall", StallingWorkload())
        let (service, dir) = try WorkerTestSupport.service(configuration: WorkerConfiguration(workloads: registry))
        defer { try? FileManager.default.removeItem(at: dir) }
        let requester = try WorkerTestSupport.requester(try await WorkerTestSupport.info(service), "stall", ["x"], timeout: 50)
        guard case .failure(let error) = await WorkerTestSupport.run(service, requester) else {
            Issue.record("an expired order produced a result")
            return
        }
        #expect(error.status == .failed)
        #expect(error.message.contains("responseTimeoutMSecs"))
        #expect(try await service.store.counts() == (1, 0))
        #expect(await service.unfinishedCount == 0)
    }

    @Test func malformedJSONRPC() async throws {
        let (service, dir) = try WorkerTestSupport.service()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, WorkOrderStatus)] = [
            ("{not json", .parseError),
            (#"[1,2]"#, .invalidRequest),
            (#"{"jsonrpc":"1.0","method":"WorkerLookUp","id":1,"params":{}}"#, .invalidRequest),
            (#"{"jsonrpc":"2.0","id":1,"params":{}}"#, .invalidRequest),
            (#"{"jsonrpc":"2.0","method":"WorkerLookUp","id":1,"params":[]}"#, .invalidRequest),
            (#"{"jsonrpc":"2.0","method":"Steal","id":1,"params":{}}"#, .methodNotFound),
            (#"{"jsonrpc":"2.0","method":"WorkOrderSubmit","id":1,"params":{"workOrderId":"aa"}}"#, .invalidParameter),
            (#"{"jsonrpc":"2.0","method":"WorkOrderSubmit","id":1,"params":{"responseTimeoutMSecs":"soon"}}"#, .invalidParameter),
        ]
        for (body, status) in cases {
            let answer = WorkerTestSupport.decode(await service.respond(to: Array(body.utf8)))
            guard case .failure(let error) = answer else {
                Issue.record("accepted \(body)")
                continue
            }
            #expect(error.status == status, "\(body): \(error)")
        }
        #expect(try await service.store.counts() == (0, 0))
    }

    @Test func oversizedBody() async throws {
        var configuration = WorkerConfiguration()
        configuration.maxBodyBytes = 4096
        let (service, dir) = try WorkerTestSupport.service(configuration: configuration)
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = try await forge(service, inputs: [String(repeating: "A", count: 8192)]) { _, _ in }
        let answer = WorkerTestSupport.decode(await service.respond(to: Array(JSONRPCMessage.request(id: .int(1), method: "WorkOrderSubmit", params: request.json).serialized().utf8)))
        guard case .failure(let error) = answer else {
            Issue.record("accepted an oversized body")
            return
        }
        #expect(error.status == .invalidRequest)
        #expect(error.message.contains("over the limit"))
        #expect(try await service.store.counts() == (0, 0))
    }
}
