package import Foundation
import GRDB
package import HubCore

/// One outbound webhook delivery as the API shows it.
package struct WebhookDeliveryView: Sendable, Hashable, Codable {
    package var id: Int64
    package var webhook: String
    package var seq: Int64
    package var type: String
    package var state: String
    package var attempts: Int
    package var nextAttemptAt: Date?
    package var lastStatus: Int?
    package var lastError: String?
    package var createdAt: Date
    package var deliveredAt: Date?

    private enum CodingKeys: String, CodingKey {
        case id, webhook, seq, type, state, attempts
        case nextAttemptAt = "next_attempt_at"
        case lastStatus = "last_status"
        case lastError = "last_error"
        case createdAt = "created_at"
        case deliveredAt = "delivered_at"
    }
}

/// A delivery due for an attempt, with the event it carries.
package struct WebhookJob: Sendable {
    package var id: Int64
    package var attempt: Int
    package var createdAt: Date
    package var event: LoggedEvent
}

/// Outbound webhook deliveries: one row per (endpoint, event), made from the log with the
/// endpoint's cursor in the same transaction, so that none is skipped or made twice.
package struct WebhookDeliveryStore: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    static func consumer(_ webhookID: String) -> String { "webhook:\(webhookID)" }

    /// Makes deliveries for the events after the endpoint's cursor that it wants, up to
    /// `limit` events, and moves the cursor past them; returns how many it made.
    package func enqueue(_ webhook: OutboundWebhook, limit: Int, now: Date) async throws -> Int {
        try await database.writer.write { db in
            let consumer = Self.consumer(webhook.id)
            var cursor = try Int64.fetchOne(db, sql: "SELECT seq FROM event_cursor WHERE consumer = ?", arguments: [consumer])
            if cursor == nil {
                // A new endpoint starts at the head: it gets what happens from now on.
                cursor = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0
            }
            let after = cursor ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT seq, type FROM event WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [after, limit])
            var made = 0
            for row in rows where webhook.wants(row[1]) {
                try db.execute(
                    sql: """
                        INSERT INTO webhook_delivery (webhook_id, event_seq, event_type, next_attempt_at, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (webhook_id, event_seq) DO NOTHING
                        """, arguments: [webhook.id, row[0] as Int64, row[1] as String, now, now, now])
                made += db.changesCount
            }
            let through = rows.last.map { $0[0] as Int64 } ?? after
            try EventCursor.commit(consumer: consumer, seq: through, now: now, in: db)
            return made
        }
    }

    /// Deliveries of `webhookID` due at `now`, marked as being attempted.
    package func due(webhookID: String, now: Date, limit: Int) async throws -> [WebhookJob] {
        try await database.writer.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.attempts, d.created_at, e.seq, e.type, e.occurred_at, e.data FROM webhook_delivery d
                    JOIN event e ON e.seq = d.event_seq
                    WHERE d.webhook_id = ? AND d.state = 'pending' AND d.next_attempt_at <= ?
                    ORDER BY d.next_attempt_at, d.id LIMIT ?
                    """, arguments: [webhookID, now, limit])
            return try rows.map { row in
                let id: Int64 = row[0]
                try db.execute(
                    sql: "UPDATE webhook_delivery SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ?",
                    arguments: [now, id])
                return WebhookJob(
                    id: id, attempt: row[1] + 1, createdAt: row[2], event: LoggedEvent(seq: row[3], type: row[4], at: row[5], data: row[6]))
            }
        }
    }

    /// Records an attempt: delivered, retried at `retryAt`, or dead when neither.
    package func record(_ job: WebhookJob, status: Int?, error: String?, delivered: Bool, retryAt: Date?, now: Date) async throws {
        try await database.writer.write { db in
            let state = delivered ? "delivered" : (retryAt == nil ? "dead" : "pending")
            try db.execute(
                sql: """
                    UPDATE webhook_delivery SET state = ?, last_status = ?, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at),
                        updated_at = ?, delivered_at = CASE WHEN ? THEN ? ELSE delivered_at END
                    WHERE id = ?
                    """, arguments: [state, status, error.map { String($0.prefix(500)) }, retryAt, now, delivered, now, job.id])
        }
    }

    /// When the endpoint's next delivery is due.
    package func nextDue(webhookID: String) async throws -> Date? {
        try await database.writer.read { db in
            try Date.fetchOne(
                db, sql: "SELECT MIN(next_attempt_at) FROM webhook_delivery WHERE webhook_id = ? AND state = 'pending'",
                arguments: [webhookID])
        }
    }

    /// Deliveries newest first, optionally in one state.
    package func deliveries(webhookID: String, state: String?, limit: Int) async throws -> [WebhookDeliveryView] {
        try await database.writer.read { db in
            var sql = "SELECT * FROM webhook_delivery WHERE webhook_id = ?"
            var arguments: StatementArguments = [webhookID]
            if let state {
                sql += " AND state = ?"
                arguments += [state]
            }
            sql += " ORDER BY id DESC LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.view)
        }
    }

    /// Puts a dead (or delivered) delivery back in the queue: `nil` when there is no such delivery.
    package func replay(webhookID: String, deliveryID: Int64, now: Date) async throws -> WebhookDeliveryView? {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    UPDATE webhook_delivery SET state = 'pending', attempts = 0, next_attempt_at = ?, created_at = ?, updated_at = ?
                    WHERE id = ? AND webhook_id = ? AND state IN ('dead', 'delivered')
                    """, arguments: [now, now, now, deliveryID, webhookID])
            return try Row.fetchOne(
                db, sql: "SELECT * FROM webhook_delivery WHERE id = ? AND webhook_id = ?", arguments: [deliveryID, webhookID]
            ).map(Self.view)
        }
    }

    /// Attempts a stop interrupted go back to pending.
    package func requeueInterrupted() async throws {
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE webhook_delivery SET state = 'pending' WHERE state = 'sending'")
        }
    }

    static func view(_ row: Row) -> WebhookDeliveryView {
        WebhookDeliveryView(
            id: row["id"], webhook: row["webhook_id"], seq: row["event_seq"], type: row["event_type"], state: row["state"],
            attempts: row["attempts"], nextAttemptAt: row["state"] == "pending" ? row["next_attempt_at"] : nil,
            lastStatus: row["last_status"], lastError: row["last_error"], createdAt: row["created_at"], deliveredAt: row["delivered_at"])
    }
}
