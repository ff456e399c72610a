import Foundation
import GRDB
package import HubCore

/// Reading the event log, and the committed cursors of the hub's own consumers.
package struct EventStore: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    /// Rings when events are appended.
    package var bell: EventBell { database.events }

    /// Events after `seq`, oldest first, optionally only of `types`.
    package func events(after seq: Int64, types: Set<String>?, limit: Int) async throws -> EventPage {
        try await database.writer.read { db in
            let rows: [Row]
            if let types, !types.isEmpty {
                let marks = Array(repeating: "?", count: types.count).joined(separator: ", ")
                var arguments: StatementArguments = [seq]
                arguments += StatementArguments(types.sorted())
                arguments += [limit]
                rows = try Row.fetchAll(
                    db, sql: "SELECT seq, type, occurred_at, data FROM event WHERE seq > ? AND type IN (\(marks)) ORDER BY seq LIMIT ?",
                    arguments: arguments)
            } else {
                rows = try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT seq, type, occurred_at, data FROM event WHERE seq > ? ORDER BY seq LIMIT ?"),
                    arguments: [seq, limit])
            }
            let events = rows.map { LoggedEvent(seq: $0[0], type: $0[1], at: $0[2], data: $0[3]) }
            if events.count == limit, let last = events.last { return EventPage(events: events, next: last.seq) }
            // Fewer than asked: everything up to the head (read in the same snapshot) was covered.
            let head = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0
            return EventPage(events: events, next: max(seq, head))
        }
    }

    /// The newest `seq` (0 for an empty log).
    package func head() async throws -> Int64 {
        try await database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0 }
    }

    /// The last `seq` `consumer` has handled; 0 when it has never committed.
    package func cursor(consumer: String) async throws -> Int64? {
        try await database.writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM event_cursor WHERE consumer = ?", arguments: [consumer])
        }
    }
}

extension EventCursor {
    /// Moves `consumer`'s cursor to `seq` inside the caller's transaction (never backwards).
    static func commit(consumer: String, seq: Int64, now: Date, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO event_cursor (consumer, seq, updated_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (consumer) DO UPDATE SET seq = MAX(seq, ?2), updated_at = ?3
                """, arguments: [consumer, seq, now])
    }
}

/// Consumers' positions in the log.
enum EventCursor {}
