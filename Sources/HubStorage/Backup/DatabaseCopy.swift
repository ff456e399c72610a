package import Foundation
import GRDB

/// What a copy holds, as `backup` and `restore --verify` report it.
package struct DatabaseCopySummary: Sendable, Hashable {
    package var bytes: Int64
    package var schemaVersion: String?
    package var messages: Int
    package var customers: Int
    package var auditRows: Int
}

/// Consistent copies of the hub's database with SQLite's online backup API: a running hub keeps
/// writing (WAL) while the copy reads one snapshot of every page.
package enum DatabaseCopy {
    /// Copies the database at `source` into a new single file at `destination` (which must not
    /// exist), in one read transaction.
    package static func backup(from source: String, to destination: String) throws -> DatabaseCopySummary {
        guard FileManager.default.fileExists(atPath: source) else {
            throw CopyError("no database at \(source)")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw CopyError("\(destination) exists: a backup never overwrites a file")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: source, configuration: configuration)
        let copy = try DatabaseQueue(path: destination)
        try pool.backup(to: copy)
        // One self-contained file: no WAL beside it.
        try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        try copy.close()
        try pool.close()
        return try summary(of: destination)
    }

    /// Checks a copy: SQLite's integrity check, then what it holds. Throws when the check fails.
    package static func summary(of path: String) throws -> DatabaseCopySummary {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            guard check == ["ok"] else {
                throw CopyError("the copy fails SQLite's integrity check: \(check.prefix(3).joined(separator: "; "))")
            }
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            return DatabaseCopySummary(
                bytes: size,
                schemaVersion: try String.fetchOne(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid DESC LIMIT 1"),
                messages: try Int.fetchOne(db, sql: "SELECT count(*) FROM message") ?? 0,
                customers: try Int.fetchOne(db, sql: "SELECT count(*) FROM customer") ?? 0,
                auditRows: try Int.fetchOne(db, sql: "SELECT count(*) FROM audit") ?? 0)
        }
    }

    /// Puts a checked copy in place at `destination`, through the backup API too, so that SQLite
    /// takes its locks; with `replace` false an existing database is refused.
    package static func restore(from copyPath: String, to destination: String, replace: Bool) throws {
        if FileManager.default.fileExists(atPath: destination) && !replace {
            throw CopyError("\(destination) exists: stop the hub and pass --replace to overwrite it")
        }
        let directory = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.readonly = true
        let copy = try DatabaseQueue(path: copyPath, configuration: configuration)
        var targetConfiguration = Configuration()
        targetConfiguration.busyMode = .timeout(10)
        let target = try DatabasePool(path: destination, configuration: targetConfiguration)
        try copy.backup(to: target)
        try target.close()
        try copy.close()
    }

    package struct CopyError: Error, CustomStringConvertible {
        package let description: String
        init(_ description: String) { self.description = description }
    }
}
