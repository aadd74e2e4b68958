import ConfideComm
import ConfideCore
import NIOCore
import Testing

@testable import ConfideNet

@Suite struct NetAddressTests {
    @Test(arguments: [
        ("tcp://127.0.0.1:2525", NetAddress.tcp(host: "127.0.0.1", port: 2525)),
        ("tcp://127.0.0.1", NetAddress.tcp(host: "127.0.0.1", port: 0)),
        ("tcp://Localhost:1", NetAddress.tcp(host: "localhost", port: 1)),
        ("tcp://[::1]:65535", NetAddress.tcp(host: "::1", port: 65535)),
        ("tcp://[fe80::1]", NetAddress.tcp(host: "fe80::1", port: 0)),
        ("file:///tmp/run5/player3", NetAddress.unix(path: "/tmp/run5/player3")),
    ])
    func parses(_ text: String, _ expected: NetAddress) throws {
        let address = try NetAddress(text)
        #expect(address == expected)
        #expect(try NetAddress(address.description) == address)
    }

    @Test(arguments: [
        "http://host:1", "tcp://", "tcp://host:", "tcp://host:65536", "tcp://host:-1", "tcp://host:12a",
        "tcp://::1:80", "tcp://[::1", "tcp://[::1]x", "tcp://[nothex]:1", "tcp://ho st:1", "file://relative/path", "",
    ])
    func rejects(_ text: String) {
        #expect(throws: ConfideError.self) { try NetAddress(text) }
        do { _ = try NetAddress(text) } catch let error as ConfideError {
            #expect(error.code == .invalidAddress)
        } catch {}
    }

    @Test func explicitPort() throws {
        #expect(try NetAddress("tcp://a:1").hasExplicitPort)
        #expect(!(try NetAddress("tcp://a").hasExplicitPort))
        #expect(try NetAddress("file:///x").hasExplicitPort)
    }
}

@Suite struct NetFrameTests {
    @Test(arguments: [0, 1, 1000, 70_000])
    func roundTrips(_ size: Int) throws {
        let frame = NetFrame(.data, tag: MessageTag(kind: "mulAA", sequence: 0xDEAD_BEEF_0102), payload: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        try frame.encode(into: &buffer)
        try frame.encode(into: &buffer)
        #expect(buffer.readableBytes == 2 * (NetFrame.headerSize + 5 + size))
        // Incomplete frames are not consumed.
        var partial = buffer.getSlice(at: 0, length: NetFrame.headerSize + 4 + size)!
        #expect(try NetFrame.decode(from: &partial) == nil)
        #expect(partial.readableBytes == NetFrame.headerSize + 4 + size)
        #expect(try NetFrame.decode(from: &buffer) == frame)
        #expect(try NetFrame.decode(from: &buffer) == frame)
        #expect(buffer.readableBytes == 0)
    }

    private func header(magic: [UInt8] = NetFrame.magic, version: UInt8 = 1, kind: UInt8 = 0, reserved: UInt8 = 0, kindLength: UInt16 = 0, length: UInt32 = 0) -> ByteBuffer {
        var b = ByteBufferAllocator().buffer(capacity: 20)
        b.writeBytes(magic)
        b.writeInteger(version)
        b.writeInteger(kind)
        b.writeInteger(reserved)
        b.writeInteger(kindLength)
        b.writeInteger(UInt64(1))
        b.writeInteger(length)
        return b
    }

    @Test func rejectsMalformedHeaders() {
        let cases: [(ByteBuffer, ConfideError.Code)] = [
            (header(magic: [0x47, 0x45, 0x54]), .protocolViolation),
            (header(version: 2), .protocolViolation),
            (header(kind: 99), .protocolViolation),
            (header(reserved: 1), .protocolViolation),
            (header(kindLength: 300), .protocolViolation),
            (header(length: 1025), .tooLarge),
        ]
        for (buffer, code) in cases {
            var b = buffer
            do {
                _ = try NetFrame.decode(from: &b, maximumPayload: 1024)
                Issue.record("malformed header accepted")
            } catch let error as ConfideError {
                #expect(error.code == code)
            } catch { Issue.record("unexpected error") }
        }
        var invalidUTF8 = header(kindLength: 1)
        invalidUTF8.writeInteger(UInt8(0xFF))
        #expect(throws: ConfideError.self) { try NetFrame.decode(from: &invalidUTF8) }
    }

    @Test func refusesOversizedSend() {
        var b = ByteBufferAllocator().buffer(capacity: 0)
        #expect(throws: ConfideError.self) {
            try NetFrame(.data, tag: MessageTag(kind: "x", sequence: 0), payload: [UInt8](repeating: 0, count: 2000)).encode(into: &b, maximumPayload: 1000)
        }
        #expect(throws: ConfideError.self) {
            try NetFrame(.data, tag: MessageTag(kind: String(repeating: "k", count: 256), sequence: 0)).encode(into: &b)
        }
    }
}
