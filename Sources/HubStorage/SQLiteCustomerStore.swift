import Foundation
import GRDB
import HubCore

/// ``CustomerStore`` on SQLite.
public struct SQLiteCustomerStore: CustomerStore {
    let database: HubDatabase

    public init(database: HubDatabase) {
        self.database = database
    }

    public func search(_ query: String, limit: Int) async throws -> [CustomerProfile] {
        try await database.writer.read { db in
            let trimmed = query.trimmingWhitespace()
            let ids: [Int64]
            if trimmed.isEmpty {
                ids = try Int64.fetchAll(db, sql: "SELECT id FROM customer ORDER BY id DESC LIMIT ?", arguments: [limit])
            } else {
                let pattern =
                    "%"
                    + trimmed.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
                ids = try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT id FROM customer WHERE lower(display_name) LIKE ?1 ESCAPE '\\'
                        UNION
                        SELECT customer_id FROM identity WHERE lower(value) LIKE ?1 ESCAPE '\\'
                        ORDER BY 1 DESC LIMIT ?2
                        """,
                    arguments: [pattern, limit])
            }
            return try ids.compactMap { try Self.profile(id: $0, in: db) }
        }
    }

    public func profile(id: CustomerID) async throws -> CustomerProfile? {
        try await database.writer.read { db in try Self.profile(id: id, in: db) }
    }

    static func profile(id: CustomerID, in db: Database) throws -> CustomerProfile? {
        guard let customer = try CustomerRecord.fetchOne(db, key: id) else { return nil }
        let identities = try IdentityRecord.filter(Column("customer_id") == id).order(Column("id")).fetchAll(db).map {
            IdentityView(
                kind: $0.kind, value: $0.value, channelID: $0.channelId, verified: $0.verified, firstSeen: $0.firstSeen,
                lastSeen: $0.lastSeen)
        }
        return CustomerProfile(id: id, displayName: customer.displayName, createdAt: customer.createdAt, identities: identities)
    }

    public func timeline(customerID: CustomerID, limit: Int, before: TimelineCursor?) async throws -> TimelinePage {
        try await database.writer.read { db in
            var request = TimelineEventRecord.filter(Column("customer_id") == customerID)
            if let before {
                request = request.filter(
                    Column("occurred_at_ms") < before.occurredAtMilliseconds
                        || (Column("occurred_at_ms") == before.occurredAtMilliseconds && Column("id") < before.eventID))
            }
            let events = try request.order(Column("occurred_at_ms").desc, Column("id").desc).limit(limit + 1).fetchAll(db)
            let page = events.prefix(limit)
            let messageIDs = page.compactMap(\.messageId)
            let messages = try MessageRecord.filter(keys: messageIDs).fetchAll(db)
            let views = Dictionary(uniqueKeysWithValues: try messages.map { ($0.id ?? 0, try $0.view()) })
            let entries = page.map { event in
                TimelineEntry(
                    id: event.id ?? 0, channelID: event.channelId, kind: event.kind,
                    occurredAt: Date(timeIntervalSince1970: Double(event.occurredAtMs) / 1000), conversationID: event.conversationId,
                    summary: event.summary, message: event.messageId.flatMap { views[$0] })
            }
            let next =
                events.count > limit
                ? page.last.map { TimelineCursor(occurredAtMilliseconds: $0.occurredAtMs, eventID: $0.id ?? 0).token } : nil
            return TimelinePage(events: entries, next: next)
        }
    }

    public func searchMessages(_ query: String, limit: Int) async throws -> [MessageID] {
        guard let match = SearchText.matchExpression(query) else { return [] }
        return try await database.writer.read { db in
            try Int64.fetchAll(
                db, sql: "SELECT rowid FROM message_fts WHERE message_fts MATCH ? ORDER BY rank LIMIT ?", arguments: [match, limit])
        }
    }
}
