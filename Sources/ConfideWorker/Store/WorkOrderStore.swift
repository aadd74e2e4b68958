import ConfideCore
import Foundation
import GRDB

/// Work orders and their results in SQLite (GRDB), so `WorkOrderGetResult` answers after a restart.
///
/// Session keys are never stored, so an order still pending when the worker stopped cannot be
/// finished later: opening the store marks such orders failed.
public struct WorkOrderStore: Sendable {
    private let database: DatabaseQueue

    /// Opens (creating if needed) the database at `path`, readable by its owner only (0600; SQLite
    /// gives its journal files the database file's mode).
    /// - Throws: `io` naming the path.
    public init(path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0, fchmod(descriptor, 0o600) == 0 else {
            if descriptor >= 0 { close(descriptor) }
            throw ConfideError(.io, "\(path): cannot create the work-order database")
        }
        close(descriptor)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try database.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS workOrder (
                        id TEXT PRIMARY KEY NOT NULL,
                        workerId TEXT NOT NULL,
                        workloadId TEXT NOT NULL,
                        requesterId TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'completed', 'failed')),
                        receivedAt DOUBLE NOT NULL,
                        deadline DOUBLE NOT NULL,
                        request TEXT NOT NULL,
                        result TEXT,
                        errorCode INTEGER,
                        errorMessage TEXT
                    )
                    """)
                try db.execute(
                    sql: "UPDATE workOrder SET state = 'failed', errorCode = ?, errorMessage = ? WHERE state = 'pending'",
                    arguments: [WorkOrderStatus.failed.rawValue, "the worker restarted before the work order finished"]
                )
            }
        } catch {
            throw ConfideError(.io, "\(path): cannot open the work-order database", cause: "\(error)")
        }
    }

    /// Stores a new pending order.
    /// - Returns: false when an order with this id already exists (nothing is changed).
    public func insertPending(_ order: StoredWorkOrder) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO workOrder (id, workerId, workloadId, requesterId, state, receivedAt, deadline, request)
                    VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)
                    """,
                arguments: [
                    order.id, order.workerId, order.workloadId, order.requesterId,
                    order.receivedAt.timeIntervalSince1970, order.deadline.timeIntervalSince1970, order.request,
                ]
            )
            return db.changesCount == 1
        }
    }

    /// Records the signed result of a pending order.
    public func complete(_ id: String, result: String) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE workOrder SET state = 'completed', result = ? WHERE id = ? AND state = 'pending'",
                arguments: [result, id]
            )
        }
    }

    /// Records the error of a pending order (no result is stored).
    public func fail(_ id: String, code: Int, message: String) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE workOrder SET state = 'failed', errorCode = ?, errorMessage = ? WHERE id = ? AND state = 'pending'",
                arguments: [code, message, id]
            )
        }
    }

    /// The stored order with this id.
    public func workOrder(_ id: String) async throws -> StoredWorkOrder? {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM workOrder WHERE id = ?", arguments: [id]) else { return nil }
            return StoredWorkOrder(
                id: row["id"], workerId: row["workerId"], workloadId: row["workloadId"], requesterId: row["requesterId"],
                state: StoredWorkOrder.State(rawValue: row["state"]) ?? .failed,
                receivedAt: Date(timeIntervalSince1970: row["receivedAt"]),
                deadline: Date(timeIntervalSince1970: row["deadline"]),
                request: row["request"], result: row["result"], errorCode: row["errorCode"], errorMessage: row["errorMessage"]
            )
        }
    }

    /// Number of stored orders, and of those with a result.
    public func counts() async throws -> (orders: Int, results: Int) {
        try await database.read { db in
            let orders = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM workOrder") ?? 0
            let results = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM workOrder WHERE result IS NOT NULL") ?? 0
            return (orders, results)
        }
    }
}
