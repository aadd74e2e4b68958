import ConfideCore
import Foundation
import Testing

@testable import ConfideWorker

@Suite struct WorkOrderStoreTests {
    @Test func theDatabaseIsOwnerOnly() throws {
        let folder = NSTemporaryDirectory() + "confide-store-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let path = folder + "/work-orders.sqlite"
        _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644])
        _ = try WorkOrderStore(path: path)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        #expect(throws: ConfideError.self) { try WorkOrderStore(path: folder + "/missing-dir/x.sqlite") }
    }
}
