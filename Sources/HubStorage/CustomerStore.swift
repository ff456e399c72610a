import Foundation
import GRDB
package import HubCore

/// Customers, their identities and their timelines.
package struct CustomerStore: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    /// Customers whose name or any identifier contains `query` (all when empty), newest first.
    package func search(_ query: String, limit: Int) async throws -> [CustomerProfile] {
        try await database.writer.read { db in
            let trimmed = query.trimmingWhitespace()
            let ids: [Int64]
            if trimmed.isEmpty {
                ids = try Int64.fetchAll(
                    db, sql: "SELECT id FROM customer WHERE root_id = id AND erased_at IS NULL ORDER BY id DESC LIMIT ?", arguments: [limit]
                )
            } else {
                let pattern =
                    "%"
                    + trimmed.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
                ids = try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT c.root_id FROM customer_attribute a JOIN customer c ON c.id = a.customer_id
                        WHERE lower(a.value) LIKE ?1 ESCAPE '\\'
                        UNION
                        SELECT c.root_id FROM identity i JOIN customer c ON c.id = i.customer_id WHERE lower(i.value) LIKE ?1 ESCAPE '\\'
                        ORDER BY 1 DESC LIMIT ?2
                        """,
                    arguments: [pattern, limit])
            }
            return try ids.compactMap { try Self.profile(id: $0, in: db) }
        }
    }

    package func profile(id: CustomerID) async throws -> CustomerProfile? {
        try await database.writer.read { db in try Self.profile(id: id, in: db) }
    }

    /// The merged profile of `id`'s customer; for an id merged away, the survivor's, marked as redirected.
    static func profile(id: CustomerID, in db: Database) throws -> CustomerProfile? {
        guard let root = try IdentityGraph.root(of: id, in: db), let customer = try CustomerRecord.fetchOne(db, key: root) else {
            return nil
        }
        let members = try CustomerID.fetchAll(db, sql: "SELECT id FROM customer WHERE root_id = ? ORDER BY id", arguments: [root])
        let identities = try Row.fetchAll(
            db,
            sql: """
                SELECT i.* FROM identity i JOIN customer c ON c.id = i.customer_id WHERE c.root_id = ? ORDER BY i.first_seen, i.id
                """, arguments: [root]
        ).map {
            IdentityView(
                kind: $0["kind"], value: $0["value"], channelID: $0["channel_id"], verified: $0["verified"], normalised: $0["comparable"],
                customerID: $0["customer_id"], firstSeen: $0["first_seen"], lastSeen: $0["last_seen"])
        }
        let values = try Row.fetchAll(
            db,
            sql: """
                SELECT a.* FROM customer_attribute a JOIN customer c ON c.id = a.customer_id WHERE c.root_id = ?
                ORDER BY a.name, a.updated_at DESC, a.id DESC
                """, arguments: [root])
        var attributes: [AttributeView] = []
        for row in values {
            let value = AttributeValue(
                value: row["value"], source: row["source"], customerID: row["customer_id"], updatedAt: row["updated_at"])
            let name: String = row["name"]
            if attributes.last?.name == name {
                attributes[attributes.count - 1].values.append(value)
            } else {
                attributes.append(AttributeView(name: name, shown: value.value, values: [value]))
            }
        }
        let shownName = attributes.first { $0.name == "name" }?.shown ?? customer.displayName
        var profile = CustomerProfile(
            id: root, displayName: shownName, createdAt: customer.createdAt, identities: identities, attributes: attributes,
            mergedCustomers: members.filter { $0 != root }, redirectedFrom: id == root ? nil : id)
        profile.erasedAt = customer.erasedAt
        return profile
    }

    /// The conversations of `id`'s customer and everyone merged with them, oldest first.
    package func conversationIDs(customerID id: CustomerID) async throws -> [ConversationID] {
        try await database.writer.read { db in
            try ConversationID.fetchAll(
                db,
                sql: """
                    SELECT v.id FROM conversation v JOIN customer c ON c.id = v.customer_id
                    WHERE c.root_id = (SELECT root_id FROM customer WHERE id = ?) ORDER BY v.id
                    """, arguments: [id])
        }
    }

    /// Timeline events newest first, older than `before` when given.
    package func timeline(customerID: CustomerID, limit: Int, before: TimelineCursor?) async throws -> TimelinePage {
        try await database.writer.read { db in
            // One indexed range read on the denormalised root, however often the customer was merged.
            let root = try IdentityGraph.root(of: customerID, in: db) ?? customerID
            // Cached statements and row access: this is the agent console's hottest read.
            let columns = "id, channel_id, kind, occurred_at_ms, conversation_id, message_id, summary"
            let rows: [Row]
            if let before {
                rows = try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT \(columns) FROM timeline_event
                            WHERE root_id = ?1 AND (occurred_at_ms < ?2 OR (occurred_at_ms = ?2 AND id < ?3))
                            ORDER BY occurred_at_ms DESC, id DESC LIMIT ?4
                            """), arguments: [root, before.occurredAtMilliseconds, before.eventID, limit + 1])
            } else {
                rows = try Row.fetchAll(
                    db.cachedStatement(
                        sql: "SELECT \(columns) FROM timeline_event WHERE root_id = ? ORDER BY occurred_at_ms DESC, id DESC LIMIT ?"),
                    arguments: [root, limit + 1])
            }
            let page = rows.prefix(limit)
            let messageIDs = page.compactMap { $0[5] as Int64? }
            var views: [MessageID: MessageView] = [:]
            if !messageIDs.isEmpty {
                var fetched = try MessageRecord.filter(keys: messageIDs).fetchAll(db).map { try $0.view() }
                try AnalysisStore.attach(to: &fetched, in: db)
                for view in fetched { views[view.id] = view }
            }
            let entries = page.map { row in
                let messageID: Int64? = row[5]
                let occurredAt: Int64 = row[3]
                return TimelineEntry(
                    id: row[0], channelID: row[1], kind: row[2], occurredAt: Date(timeIntervalSince1970: Double(occurredAt) / 1000),
                    conversationID: row[4], summary: row[6], message: messageID.flatMap { views[$0] })
            }
            let next =
                rows.count > limit
                ? page.last.map { TimelineCursor(occurredAtMilliseconds: $0[3], eventID: $0[0]).token } : nil
            return TimelinePage(customerID: root, events: entries, next: next)
        }
    }

    /// Message ids whose text matches `query` (English words, Chinese words of one or more characters).
    package func searchMessages(_ query: String, limit: Int) async throws -> [MessageID] {
        guard let match = SearchText.matchExpression(query) else { return [] }
        return try await database.writer.read { db in
            try Int64.fetchAll(
                db, sql: "SELECT rowid FROM message_fts WHERE message_fts MATCH ? ORDER BY rank LIMIT ?", arguments: [match, limit])
        }
    }
}
