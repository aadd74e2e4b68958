import ConfideCore
import ConfideComm
import NIOCore

/// Cuts the byte stream of a link into ``NetFrame``s (the inbound half of the wire format).
///
/// A frame's payload is copied once, from each read's buffer straight into an array of the size
/// its header announces: no cumulation buffer that grows (and is copied) while a large message
/// arrives, and no second copy out of it. Limits are checked on the header, before any payload
/// is held: the payload may not exceed ``NetFrameLimit/maximumPayload`` (set-up frames only until
/// the peer's hello). A malformed header, or a link that closes inside a frame, is a
/// `.protocolViolation` passed on as an error; later bytes are dropped.
final class NetFrameReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = NetFrame

    private struct Header {
        let kind: NetFrame.Kind
        let tag: MessageTag
        let length: Int
    }

    let limit: NetFrameLimit
    /// Header and tag-kind bytes of the frame being read.
    private var head: [UInt8] = []
    private var header: Header?
    private var payload: [UInt8] = []
    private var filled = 0
    private var failed = false

    init(limit: NetFrameLimit) {
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var buffer = unwrapInboundIn(data)
        do {
            while true {
                if let header {
                    let take = min(header.length - filled, buffer.readableBytes)
                    if take > 0 {
                        let filled = self.filled
                        buffer.withUnsafeReadableBytes { source in
                            payload.withUnsafeMutableBytes { target in
                                target.baseAddress!.advanced(by: filled).copyMemory(from: source.baseAddress!, byteCount: take)
                            }
                        }
                        buffer.moveReaderIndex(forwardBy: take)
                        self.filled += take
                    }
                    guard filled == header.length else { return }
                    let frame = NetFrame(header.kind, tag: header.tag, payload: payload)
                    self.header = nil
                    payload = []
                    filled = 0
                    context.fireChannelRead(wrapInboundOut(frame))
                    continue
                }
                guard buffer.readableBytes > 0 else { return }
                // The fixed header, then the tag kind whose length it gives.
                let wanted = head.count < NetFrame.headerSize ? NetFrame.headerSize : NetFrame.headerSize + Self.kindLength(head)
                let take = min(wanted - head.count, buffer.readableBytes)
                head += buffer.readBytes(length: take)!
                guard head.count >= NetFrame.headerSize else { continue }
                if head.count == NetFrame.headerSize { try Self.checkFixedHeader(head) }
                guard head.count == NetFrame.headerSize + Self.kindLength(head) else { continue }
                header = try Self.header(head, maximumPayload: limit.maximumPayload)
                head.removeAll(keepingCapacity: true)
                payload = Self.payloadBuffer(header!.length)
            }
        } catch {
            failed = true
            context.fireErrorCaught(error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !failed, header != nil || !head.isEmpty {
            let held = head.count + filled
            failed = true
            context.fireErrorCaught(ConfideError(.protocolViolation, "link closed in the middle of a frame (\(held) bytes of a truncated frame)"))
        }
        context.fireChannelInactive()
    }

    /// An array for a payload of `count` bytes (bounded by the header check), whose bytes the
    /// reader writes as they arrive before anything reads them: it is not zeroed first, and a
    /// large one is backed by huge pages (``NetMemory``).
    private static func payloadBuffer(_ count: Int) -> [UInt8] {
        NetMemory.bytes(count: count) { _ in }
    }

    private static func kindLength(_ head: [UInt8]) -> Int {
        Int(head[6]) << 8 | Int(head[7])
    }

    /// The checks of ``NetFrame/decode(from:maximumPayload:)`` on the fixed 20 bytes.
    private static func checkFixedHeader(_ head: [UInt8]) throws {
        guard Array(head[0..<3]) == NetFrame.magic else {
            throw ConfideError(.protocolViolation, "frame does not start with the Confide magic bytes")
        }
        guard head[3] == NetFrame.version else {
            throw ConfideError(.protocolViolation, "frame version \(head[3]) is not supported (expected \(NetFrame.version))")
        }
        guard NetFrame.Kind(rawValue: head[4]) != nil else { throw ConfideError(.protocolViolation, "unknown frame type \(head[4])") }
        guard head[5] == 0 else { throw ConfideError(.protocolViolation, "frame header reserved byte is not zero") }
        guard kindLength(head) <= NetFrame.maximumKindLength else {
            throw ConfideError(.protocolViolation, "frame tag kind of \(kindLength(head)) bytes exceeds the maximum of \(NetFrame.maximumKindLength)")
        }
    }

    private static func header(_ head: [UInt8], maximumPayload: Int) throws -> Header {
        var sequence: UInt64 = 0
        for byte in head[8..<16] { sequence = sequence << 8 | UInt64(byte) }
        var length = 0
        for byte in head[16..<20] { length = length << 8 | Int(byte) }
        guard length <= maximumPayload else {
            throw ConfideError(.tooLarge, "frame payload of \(length) bytes exceeds the configured maximum of \(maximumPayload) bytes")
        }
        guard let kind = String(validating: head[NetFrame.headerSize...], as: UTF8.self) else {
            throw ConfideError(.protocolViolation, "frame tag kind is not valid UTF-8")
        }
        return Header(kind: NetFrame.Kind(rawValue: head[4])!, tag: MessageTag(kind: kind, sequence: sequence), length: length)
    }
}
