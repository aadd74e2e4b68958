import ConfideCore
import ConfideComm
import NIOCore

/// One unit on the wire between two parties: a fixed 20-byte header, the tag kind (UTF-8) and the payload.
///
/// Header (big-endian): magic `"CNF"` (3 bytes), version (1 byte, 1), frame type (1 byte), reserved (1 byte, 0),
/// tag-kind length (2 bytes, at most 255), tag sequence (8 bytes), payload length (4 bytes).
/// No generic serialisation: payloads are the raw bytes the protocol hands to the communicator.
public struct NetFrame: Sendable, Equatable {
    /// What a frame carries.
    public enum Kind: UInt8, Sendable {
        /// A protocol message (`tag`, `payload`).
        case data = 0
        /// Connection set-up: the connecting party's rank in `sequence`, the communicator name in `kind`.
        case hello = 1
        /// Set-up accepted.
        case welcome = 2
        /// Set-up refused; the payload is a UTF-8 reason without secrets.
        case reject = 3
        /// The sender revoked the communicator.
        case revoke = 4
        /// The sender closes the link in an orderly way.
        case goodbye = 5
        /// Rendezvous registration: rank in `sequence`, communicator name in `kind`; payload = token length (2 bytes),
        /// token, then the sender's listening address (UTF-8 URL).
        case register = 6
        /// Rendezvous answer: every party's address by rank, newline-separated UTF-8 URLs.
        case addresses = 7
    }

    public static let magic: [UInt8] = [0x43, 0x4E, 0x46]  // "CNF"
    public static let version: UInt8 = 1
    public static let headerSize = 20
    public static let maximumKindLength = 255
    /// The default bound on a frame's payload (1 GiB).
    public static let defaultMaximumPayload = 1 << 30

    public var kind: Kind
    public var tag: MessageTag
    public var payload: [UInt8]

    public init(_ kind: Kind, tag: MessageTag, payload: [UInt8] = []) {
        self.kind = kind
        self.tag = tag
        self.payload = payload
    }

    /// Writes the frame into `buffer`.
    /// - Throws: `.invalidArgument` for a tag kind longer than 255 bytes or a payload above `maximumPayload`.
    public func encode(into buffer: inout ByteBuffer, maximumPayload: Int = NetFrame.defaultMaximumPayload) throws {
        try NetFrame.writeHeader(kind, tag: tag, payloadCount: payload.count, into: &buffer, maximumPayload: maximumPayload)
        buffer.writeBytes(payload)
    }

    /// Writes the header of a frame whose `payloadCount` payload bytes follow (a large payload
    /// may then be written in pieces: the reader takes the frame as one).
    /// - Throws: `.invalidArgument` for a tag kind over 255 bytes; `.tooLarge` for a payload over `maximumPayload`.
    public static func writeHeader(
        _ kind: Kind, tag: MessageTag, payloadCount: Int, into buffer: inout ByteBuffer, maximumPayload: Int = NetFrame.defaultMaximumPayload
    ) throws {
        let kindBytes = Array(tag.kind.utf8)
        guard kindBytes.count <= NetFrame.maximumKindLength else {
            throw ConfideError(.invalidArgument, "tag kind of \(kindBytes.count) bytes exceeds the maximum of \(NetFrame.maximumKindLength)")
        }
        guard payloadCount <= maximumPayload, payloadCount <= Int(UInt32.max) else {
            throw ConfideError(.tooLarge, "message of \(payloadCount) bytes for tag \(tag) exceeds the maximum frame payload of \(maximumPayload) bytes")
        }
        buffer.reserveCapacity(minimumWritableBytes: NetFrame.headerSize + kindBytes.count)
        buffer.writeBytes(NetFrame.magic)
        buffer.writeInteger(NetFrame.version)
        buffer.writeInteger(kind.rawValue)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt16(kindBytes.count))
        buffer.writeInteger(tag.sequence)
        buffer.writeInteger(UInt32(payloadCount))
        buffer.writeBytes(kindBytes)
    }

    public static func decode(from buffer: inout ByteBuffer, maximumPayload: Int = NetFrame.defaultMaximumPayload) throws -> NetFrame? {
        guard buffer.readableBytes >= headerSize else { return nil }
        let start = buffer.readerIndex
        guard let magicBytes = buffer.getBytes(at: start, length: 3), magicBytes == magic else {
            throw ConfideError(.protocolViolation, "frame does not start with the Confide magic bytes")
        }
        let version = buffer.getInteger(at: start + 3, as: UInt8.self)!
        guard version == NetFrame.version else {
            throw ConfideError(.protocolViolation, "frame version \(version) is not supported (expected \(NetFrame.version))")
        }
        let rawKind = buffer.getInteger(at: start + 4, as: UInt8.self)!
        guard let frameKind = Kind(rawValue: rawKind) else {
            throw ConfideError(.protocolViolation, "unknown frame type \(rawKind)")
        }
        guard buffer.getInteger(at: start + 5, as: UInt8.self)! == 0 else {
            throw ConfideError(.protocolViolation, "frame header reserved byte is not zero")
        }
        let kindLength = Int(buffer.getInteger(at: start + 6, as: UInt16.self)!)
        guard kindLength <= maximumKindLength else {
            throw ConfideError(.protocolViolation, "frame tag kind of \(kindLength) bytes exceeds the maximum of \(maximumKindLength)")
        }
        let sequence = buffer.getInteger(at: start + 8, as: UInt64.self)!
        let payloadLength = Int(buffer.getInteger(at: start + 16, as: UInt32.self)!)
        guard payloadLength <= maximumPayload else {
            throw ConfideError(.tooLarge, "frame payload of \(payloadLength) bytes exceeds the configured maximum of \(maximumPayload) bytes")
        }
        guard buffer.readableBytes >= headerSize + kindLength + payloadLength else { return nil }
        buffer.moveReaderIndex(forwardBy: headerSize)
        let kindBytes = buffer.readBytes(length: kindLength)!
        guard let kindText = String(validating: kindBytes, as: UTF8.self) else {
            throw ConfideError(.protocolViolation, "frame tag kind is not valid UTF-8")
        }
        let payload = buffer.readBytes(length: payloadLength)!
        return NetFrame(frameKind, tag: MessageTag(kind: kindText, sequence: sequence), payload: payload)
    }
}

/// The payload bound of one link's frames: ``NetFrameLimit/setupPayload`` until the set-up handshake
/// has identified the peer, then the communicator's maximum. Used on the link's event loop only.
final class NetFrameLimit {
    /// Set-up frames (hello, welcome, reject, rendezvous addresses) are small: an unidentified
    /// connection cannot make the node buffer a large frame.
    static let setupPayload = 64 << 10
    var maximumPayload = NetFrameLimit.setupPayload
}
