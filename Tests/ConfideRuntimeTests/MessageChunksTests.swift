import ConfideCore
import ConfideProtos
import Foundation
import Testing

@testable import ConfideRuntime

/// The chunk layout of a party message on `SendValue`, request by request, and the receiver's
/// assembly of every layout a peer could send.
@Suite struct MessageChunksTests {
    func requests(_ bytes: [UInt8], chunkBytes: Int) async throws -> [Ciphercore_SendValueRequest] {
        var made: [Ciphercore_SendValueRequest] = []
        try await MessageChunks.write(bytes, sequence: 7, party: 2, sessionID: "s", chunkBytes: chunkBytes) { made.append($0) }
        return made
    }

    func leaf(_ bytes: [UInt8]) -> Ciphercore_Value {
        .with { $0.value = .bytes(.with { $0.data = Data(bytes) }) }
    }

    func vector(_ parts: [Ciphercore_Value]) -> Ciphercore_Value {
        .with { $0.value = .vector(.with { $0.value = parts }) }
    }

    func size(_ total: UInt64) -> Ciphercore_Value {
        leaf(withUnsafeBytes(of: total.littleEndian) { Array($0) })
    }

    @Test func everySizeRoundTripsThroughTheAssembler() async throws {
        var generator = try AESCTRGenerator(key: [UInt8](repeating: 3, count: 16))
        for count in [0, 1, 9, 10, 11, 19, 20, 21, 95] {
            var payload = [UInt8](repeating: 0, count: count)
            generator.fill(&payload)
            let sent = try await requests(payload, chunkBytes: 10)
            #expect(sent.count == max(1, (count + 9) / 10), "\(count) bytes")
            #expect(sent.allSatisfy { $0.nodeID == 7 && $0.partyID == 2 && $0.sessionID == "s" })
            var assembler = MessageAssembler(limit: 1000)
            var whole: [UInt8]?
            for (index, request) in sent.enumerated() {
                whole = try assembler.accept(request.data, for: 7)
                #expect((whole != nil) == (index == sent.count - 1), "\(count) bytes, request \(index)")
            }
            #expect(whole == payload, "\(count) bytes")
        }
    }

    @Test func aMessageOfOneChunkIsAPlainBytesLeaf() async throws {
        let sent = try await requests([1, 2, 3], chunkBytes: 10)
        #expect(sent.map(\.data) == [leaf([1, 2, 3])])
    }

    @Test func theFirstChunkAnnouncesTheTotalAndMiddleChunksSayMoreFollows() async throws {
        let sent = try await requests(Array(0..<25), chunkBytes: 10)
        #expect(sent.map(\.data) == [vector([leaf(Array(0..<10)), size(25)]), vector([leaf(Array(10..<20))]), leaf(Array(20..<25))])
    }

    @Test func interleavedMessagesAssembleSeparately() throws {
        var assembler = MessageAssembler(limit: 100)
        #expect(try assembler.accept(vector([leaf([1]), size(3)]), for: 1) == nil)
        #expect(try assembler.accept(vector([leaf([9]), size(2)]), for: 2) == nil)
        #expect(try assembler.accept(vector([leaf([2])]), for: 1) == nil)
        #expect(try assembler.accept(leaf([8]), for: 2) == [9, 8])
        #expect(try assembler.accept(leaf([3]), for: 1) == [1, 2, 3])
    }

    /// Every malformed layout is refused with a `protocol-violation` naming the message.
    @Test(arguments: [
        ("a middle chunk first", [(UInt64(1), 0)]),
        ("too many bytes", [(1, 1), (1, 2), (1, 3)]),
        ("too few bytes", [(1, 1), (1, 4)]),
        ("started twice", [(1, 1), (1, 1)]),
        ("a size of 7 bytes", [(1, 5)]),
        ("a total not above its first chunk", [(1, 6)]),
        ("over the limit", [(1, 7)]),
        ("unfinished messages over the limit", [(1, 8), (2, 8)]),
        ("a vector of three", [(1, 9)]),
        ("a chunk that is a vector", [(1, 1), (1, 10)]),
        ("an empty value", [(1, 11)]),
        ("one leaf over the limit", [(1, 12)]),
    ] as [(String, [(UInt64, Int)])])
    func malformedLayoutsAreRefused(_ name: String, _ steps: [(UInt64, Int)]) throws {
        let layouts: [Ciphercore_Value] = [
            vector([leaf([1])]),  // 0: middle chunk
            vector([leaf([1, 2]), size(4)]),  // 1: first chunk of 4 bytes
            vector([leaf([3, 4])]),  // 2: middle chunk filling it
            leaf([5]),  // 3: last chunk, one byte over
            leaf([]),  // 4: last chunk, two bytes short
            vector([leaf([1]), leaf([0, 0, 0, 0, 0, 0, 0])]),  // 5
            vector([leaf([1, 2]), size(2)]),  // 6
            vector([leaf([1]), size(101)]),  // 7
            vector([leaf([1]), size(60)]),  // 8
            vector([leaf([1]), size(3), leaf([1])]),  // 9
            vector([vector([leaf([1])])]),  // 10
            Ciphercore_Value(),  // 11
            leaf([UInt8](repeating: 0, count: 101)),  // 12
        ]
        var assembler = MessageAssembler(limit: 100)
        var refusal: ConfideError?
        for (id, layout) in steps {
            do { _ = try assembler.accept(layouts[layout], for: id) } catch let error as ConfideError {
                refusal = error
                break
            }
        }
        #expect(refusal?.code == .protocolViolation, "\(name)")
    }

    @Test func aFinishedMessageReleasesItsReservation() throws {
        var assembler = MessageAssembler(limit: 100)
        for id in UInt64(1)...5 {
            #expect(try assembler.accept(vector([leaf([1]), size(60)]), for: id) == nil)
            #expect(try assembler.accept(leaf([UInt8](repeating: 2, count: 59)), for: id)?.count == 60)
        }
    }
}
