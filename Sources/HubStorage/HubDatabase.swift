import Foundation
package import GRDB

/// The hub's SQLite database: a WAL pool on one file, migrated on open, with the
/// writer at `synchronous=FULL` so that an acknowledged write survives power loss.
///
/// Stores take the `writer` as `any DatabaseWriter`, so logic tests can run them on
/// ``inMemory()``; what must survive a crash is tested on files opened with ``open(path:)``.
package struct HubDatabase: Sendable {
    /// The connection pool (or, in memory, the queue) all stores share.
    package let writer: any DatabaseWriter
    /// The file, or ``memoryPath``.
    package let path: String
    /// The path that names ``inMemory()``, as SQLite spells it.
    package static let memoryPath = ":memory:"
    /// Rings when new events are committed.
    package let events: EventBell

    /// Opens (creating if needed) the database at `path` and applies migrations.
    package static func open(path: String) throws -> HubDatabase {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // Savepoints (one per processed row) keep their rollback copies in sub-journals; on
            // disk those were temporary files written page by page, 90 % of the processing
            // stage's write calls. They never need to survive the process.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB sets the writer back to NORMAL when it enables WAL; durability of
        // acknowledged webhooks needs FULL, so set it again and check it.
        let synchronous = try pool.writeWithoutTransaction { db -> Int in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            return try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
        }
        guard synchronous == 2 else {
            throw DatabaseError(message: "could not set synchronous=FULL on the writer (got \(synchronous))")
        }
        return try migrated(pool, path: path)
    }

    /// A fresh, migrated database in memory, for tests of store and handler logic. It has
    /// the file database's schema, foreign keys and event bell, and none of its durability.
    package static func inMemory() throws -> HubDatabase {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA foreign_keys = ON") }
        return try migrated(DatabaseQueue(configuration: configuration), path: memoryPath)
    }

    private static func migrated(_ writer: any DatabaseWriter, path: String) throws -> HubDatabase {
        try HubMigrations.migrator.migrate(writer)
        let bell = EventBell()
        writer.add(transactionObserver: EventAppendObserver(bell: bell), extent: .databaseLifetime)
        return HubDatabase(writer: writer, path: path, events: bell)
    }

    /// Whether every migration this build knows has been applied (for `/readyz`).
    package func isReady() async -> Bool {
        do {
            return try await writer.read { db in
                try HubMigrations.migrator.hasCompletedMigrations(db)
            }
        } catch {
            return false
        }
    }

    /// The writer's `PRAGMA synchronous` level (2 is FULL).
    package func synchronousLevel() throws -> Int {
        try writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }
}
