package import Foundation
import GRDB
package import HubCore

/// Where each polling channel's sync is, and how healthy it is.
///
/// Its writes are rare (one per page), so they go
/// straight to the database instead of through the group-commit writer.
package struct SyncStateStore: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    /// The committed cursor; an empty one before the first pass.
    package func cursor(channelID: ChannelID) async throws -> SyncCursor {
        try await database.writer.read { db in
            guard let text = try String.fetchOne(db, sql: "SELECT cursor FROM sync_state WHERE channel_id = ?", arguments: [channelID])
            else { return SyncCursor() }
            return try JSONDecoder().decode(SyncCursor.self, from: Data(text.utf8))
        }
    }

    /// Commits the cursor after a page's items are durable.
    package func commit(_ cursor: SyncCursor, channelID: ChannelID, now: Date) async throws {
        let text = String(decoding: try JSONEncoder().encode(cursor), as: UTF8.self)
        try await upsert(channelID: channelID, now: now, set: "cursor = ?, watermark = ?", arguments: [text, cursor.watermark])
    }

    package func passStarted(channelID: ChannelID, now: Date) async throws {
        try await upsert(channelID: channelID, now: now, set: "last_poll_started_at = ?", arguments: [now])
    }

    package func passSucceeded(channelID: ChannelID, now: Date) async throws {
        try await upsert(channelID: channelID, now: now, set: "last_success_at = ?", arguments: [now])
    }

    package func recordError(_ message: String, channelID: ChannelID, now: Date) async throws {
        try await upsert(channelID: channelID, now: now, set: "last_error = ?, last_error_at = ?", arguments: [message, now])
    }

    private func upsert(channelID: ChannelID, now: Date, set assignments: String, arguments: [(any DatabaseValueConvertible)?]) async throws
    {
        let values = arguments.map { $0?.databaseValue ?? .null } + [now.databaseValue, channelID.databaseValue]
        try await database.writer.write { db in
            try db.execute(
                sql: "INSERT INTO sync_state (channel_id, updated_at) VALUES (?, ?) ON CONFLICT (channel_id) DO NOTHING",
                arguments: [channelID, now])
            try db.execute(
                sql: "UPDATE sync_state SET \(assignments), updated_at = ? WHERE channel_id = ?", arguments: StatementArguments(values))
        }
    }

    /// The channel's sync health, with the last webhook delivery seen.
    package func status(channelID: ChannelID, kind: String, pollInterval: Duration?) async throws -> ChannelSyncStatus {
        try await database.writer.read { db in
            let row = try Row.fetchOne(
                db,
                sql:
                    "SELECT cursor, watermark, last_poll_started_at, last_success_at, last_error, last_error_at FROM sync_state WHERE channel_id = ?",
                arguments: [channelID])
            let cursor = try (row?["cursor"] as String?).map { try JSONDecoder().decode(SyncCursor.self, from: Data($0.utf8)) }
            // Newest first by primary key; polled items are stored under their own topic.
            let lastWebhook = try Date.fetchOne(
                db,
                sql: """
                    SELECT received_at FROM inbox WHERE channel_id = ? AND (topic IS NULL OR topic <> 'orders/poll')
                    ORDER BY id DESC LIMIT 1
                    """, arguments: [channelID])
            return ChannelSyncStatus(
                channelID: channelID, kind: kind, lastWebhookAt: lastWebhook, lastPollStartedAt: row?["last_poll_started_at"],
                lastPollSucceededAt: row?["last_success_at"], watermark: row?["watermark"], resumingPage: cursor?.pageURL != nil,
                lastError: row?["last_error"], lastErrorAt: row?["last_error_at"], pollInterval: pollInterval)
        }
    }
}
