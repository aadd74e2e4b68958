import ConfideCore
import Foundation
import Testing

@testable import ConfideRuntime

@Suite struct ResultStoreTests {
    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func resultsAreOwnerOnlyAndNeverReplaced() throws {
        let folder = NSTemporaryDirectory() + "confide-results-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try ResultStore(folder: folder)
        #expect(try Self.mode(folder) == 0o700)
        let value = Value.tensor(Tensor(.u64, shape: [3], wrapping: [0, 1, Int128(UInt64.max)]))
        let path = try store.store(key: "s1", value: value, error: nil).path
        #expect(try Self.mode(path) == 0o600)
        #expect(try store.load(key: "s1").value == value)
        let again = #expect(throws: ConfideError.self) { try store.store(key: "s1", value: nil, error: "forged") }
        #expect(again?.message.contains("never overwritten") == true)
        #expect(try store.load(key: "s1").value == value)
        #expect(throws: ConfideError.self) { try store.store(key: "../escape", value: value, error: nil) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["s1.json"])
    }
}
