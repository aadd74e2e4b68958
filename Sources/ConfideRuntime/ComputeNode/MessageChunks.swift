import ConfideComm
import ConfideCore
import ConfideNet
import ConfideProtos
import Foundation

/// How one party message travels as `SendValueRequest`s, and how a receiver puts it together.
///
/// A message of up to ``chunkBytes`` is one request whose `data` is one `bytes` leaf (what any
/// CipherCore peer sends). A longer one is split into chunks sent in order:
/// - the first chunk is a two-element `vector`: the chunk's `bytes` leaf, then a `bytes` leaf of
///   8 bytes holding the message's total size (little-endian), so that the receiver allocates the
///   message once and copies every chunk straight into it;
/// - every middle chunk is a one-element `vector` holding a `bytes` leaf ("more follows");
/// - the last chunk is a plain `bytes` leaf.
///
/// Serialization, transfer and decoding overlap, and each chunk's buffers are freed (and reused by
/// the allocator) as soon as it is written or copied.
enum MessageChunks {
    /// The largest chunk of a message in one request.
    static let chunkBytes = 1 << 20

    /// The requests of one message, made one at a time and handed to `write` in order.
    static func write(
        _ bytes: [UInt8], sequence: UInt64, party: Int, sessionID: String, chunkBytes: Int = chunkBytes,
        to write: (Ciphercore_SendValueRequest) async throws -> Void
    ) async throws {
        var start = 0
        repeat {
            let end = min(bytes.count, start + chunkBytes)
            var request = Ciphercore_SendValueRequest()
            request.nodeID = sequence
            request.partyID = UInt64(party)
            request.sessionID = sessionID
            var leaf = Ciphercore_Value()
            leaf.value = .bytes(.with { $0.data = bytes.withUnsafeBufferPointer { Data(buffer: UnsafeBufferPointer(rebasing: $0[start..<end])) } })
            if end == bytes.count {
                request.data = leaf
            } else if start == 0 {
                var total = Ciphercore_Value()
                total.value = .bytes(.with { $0.data = Data(withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { Array($0) }) })
                request.data.value = .vector(.with { $0.value = [leaf, total] })
            } else {
                request.data.value = .vector(.with { $0.value = [leaf] })
            }
            try await write(request)
            start = end
        } while start < bytes.count
    }
}

/// The messages one `SendValue` stream has started but not finished, each in one array of its
/// announced size (see ``MessageChunks``). The bytes announced by unfinished messages are bounded
/// by `limit`, like one message.
struct MessageAssembler {
    let limit: Int
    private var partial: [UInt64: (bytes: [UInt8], filled: Int)] = [:]
    private var reserved = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes one request's `data` for message `nodeID`.
    /// - Returns: the whole message once its last chunk has arrived, nil while more must follow.
    /// - Throws: `.protocolViolation` for a layout that is not a chunk, a chunk that does not fit its
    ///   message, or a message over the limit (the text names the message, never its bytes).
    mutating func accept(_ data: Ciphercore_Value, for nodeID: UInt64) throws -> [UInt8]? {
        switch data.value {
        case let .bytes(leaf)?:
            // Removed from the table, the message's array has one owner and is filled in place.
            guard var started = partial.removeValue(forKey: nodeID) else {
                guard leaf.data.count <= limit else { throw refusal("message \(nodeID) has more than \(limit) bytes") }
                return [UInt8](leaf.data)
            }
            reserved -= started.bytes.count
            guard started.filled + leaf.data.count == started.bytes.count else {
                throw refusal("message \(nodeID) announced \(started.bytes.count) bytes, its chunks hold \(started.filled + leaf.data.count)")
            }
            MessageAssembler.copy(leaf.data, into: &started.bytes, at: started.filled)
            return started.bytes
        case let .vector(parts)? where parts.value.count == 2:
            guard case let .bytes(chunk)? = parts.value[0].value, case let .bytes(size)? = parts.value[1].value, size.data.count == 8 else {
                throw refusal("the first chunk of message \(nodeID) is not a bytes leaf and an 8-byte size")
            }
            guard partial[nodeID] == nil else { throw refusal("message \(nodeID) was started twice") }
            let total = Int(clamping: size.data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
            guard total > chunk.data.count, total <= limit - reserved else {
                throw refusal("message \(nodeID) announces \(total) bytes; at most \(limit) bytes of unfinished messages per stream")
            }
            var bytes = NetMemory.bytes(count: total) { _ in }
            MessageAssembler.copy(chunk.data, into: &bytes, at: 0)
            partial[nodeID] = (bytes, chunk.data.count)
            reserved += total
            return nil
        case let .vector(parts)? where parts.value.count == 1:
            guard case let .bytes(chunk)? = parts.value[0].value else { throw refusal("a chunk of message \(nodeID) is not a bytes leaf") }
            guard var started = partial.removeValue(forKey: nodeID) else {
                throw refusal("a middle chunk of message \(nodeID) arrived before its first chunk")
            }
            guard started.filled + chunk.data.count < started.bytes.count else {
                reserved -= started.bytes.count
                throw refusal("message \(nodeID) announced \(started.bytes.count) bytes, its chunks hold more")
            }
            MessageAssembler.copy(chunk.data, into: &started.bytes, at: started.filled)
            started.filled += chunk.data.count
            partial[nodeID] = started
            return nil
        default:
            throw refusal("party messages are bytes leaves (chunks: vectors of a bytes leaf, the first with its size)")
        }
    }

    private func refusal(_ message: String) -> ConfideError {
        ConfideError(.protocolViolation, message)
    }

    private static func copy(_ chunk: Data, into bytes: inout [UInt8], at offset: Int) {
        bytes.withUnsafeMutableBytes { target in
            chunk.withUnsafeBytes { source in
                guard let from = source.baseAddress, let to = target.baseAddress else { return }
                (to + offset).copyMemory(from: from, byteCount: source.count)
            }
        }
    }
}
