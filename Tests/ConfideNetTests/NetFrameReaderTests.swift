import ConfideCore
import ConfideComm
import NIOCore
import NIOEmbedded
import Testing

@testable import ConfideNet

/// The inbound frame cutter, fed the byte stream in pieces of every size.
@Suite struct NetFrameReaderTests {
    static func frames() -> [NetFrame] {
        [
            NetFrame(.hello, tag: MessageTag(kind: "world", sequence: 2)),
            NetFrame(.data, tag: MessageTag(kind: "mulAA", sequence: 0xDEAD_BEEF_0102), payload: (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }),
            NetFrame(.data, tag: MessageTag(kind: "", sequence: 0), payload: []),
            NetFrame(.data, tag: MessageTag(kind: "revealA", sequence: .max), payload: [1, 2, 3]),
        ]
    }

    static func stream(_ frames: [NetFrame]) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        for frame in frames { try frame.encode(into: &buffer) }
        return buffer
    }

    /// Feeds `bytes` in pieces of `piece` bytes; returns the frames read and the error, if any.
    static func read(_ bytes: ByteBuffer, piece: Int, maximumPayload: Int = NetFrame.defaultMaximumPayload, close: Bool = false) throws -> ([NetFrame], (any Error)?) {
        let limit = NetFrameLimit()
        limit.maximumPayload = maximumPayload
        let channel = EmbeddedChannel(handler: NetFrameReader(limit: limit))
        var rest = bytes
        var failure: (any Error)?
        do {
            while rest.readableBytes > 0 {
                try channel.writeInbound(rest.readSlice(length: min(piece, rest.readableBytes))!)
            }
            if close { channel.pipeline.fireChannelInactive() }
            try channel.throwIfErrorCaught()
        } catch {
            failure = error
        }
        var frames: [NetFrame] = []
        while let frame = try channel.readInbound(as: NetFrame.self) { frames.append(frame) }
        _ = try? channel.finish()
        return (frames, failure)
    }

    @Test(arguments: [1, 7, 20, 21, 4096, 65_536, 1 << 20])
    func framesSurviveAnySplitOfTheStream(_ piece: Int) throws {
        let (frames, error) = try Self.read(try Self.stream(Self.frames()), piece: piece)
        #expect(error == nil)
        #expect(frames == Self.frames())
    }

    @Test func aPayloadOverTheLimitIsRefusedFromItsHeader() throws {
        let big = NetFrame(.data, tag: MessageTag(kind: "x", sequence: 1), payload: [UInt8](repeating: 9, count: NetFrameLimit.setupPayload + 1))
        let (frames, error) = try Self.read(try Self.stream([Self.frames()[0], big, Self.frames()[3]]), piece: 100, maximumPayload: NetFrameLimit.setupPayload)
        #expect(frames == [Self.frames()[0]], "nothing after the refused header is read")
        #expect((error as? ConfideError)?.code == .tooLarge)
    }

    @Test func malformedHeadersAreProtocolViolations() throws {
        var stream = try Self.stream([Self.frames()[3]])
        for (offset, byte, words) in [(0, UInt8(0x58), "magic"), (3, 9, "version"), (4, 99, "unknown frame type"), (5, 1, "reserved")] {
            var bad = stream
            bad.setInteger(byte, at: offset)
            let (frames, error) = try Self.read(bad, piece: 5)
            #expect(frames.isEmpty)
            #expect((error as? ConfideError)?.code == .protocolViolation && (error as? ConfideError)?.message.contains(words) == true, "\(words): \(String(describing: error))")
        }
        stream.setBytes([0xFF, 0xFE], at: NetFrame.headerSize)  // the tag kind is not UTF-8
        let (_, error) = try Self.read(stream, piece: 3)
        #expect((error as? ConfideError)?.message.contains("UTF-8") == true)
    }

    @Test func aLinkThatClosesInsideAFrameIsAProtocolViolation() throws {
        let whole = try Self.stream([Self.frames()[1]])
        for cut in [3, NetFrame.headerSize + 2, whole.readableBytes - 1] {
            let (frames, error) = try Self.read(whole.getSlice(at: 0, length: cut)!, piece: 1000, close: true)
            #expect(frames.isEmpty)
            #expect((error as? ConfideError)?.message.contains("in the middle of a frame") == true, "cut at \(cut)")
        }
    }
}
