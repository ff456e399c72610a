import Foundation
import GRDB
import HubCore

/// Per customer thread on a channel: when they last wrote or acted, replies since,
/// and whether they opted out. Read by the reply gate before a reply is queued.
enum ContactLedger {
    static func state(channelID: ChannelID, threadKey: String, in db: Database) throws -> ContactState? {
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT last_message_at, replies_since_message, last_activity_at, replies_since_activity, opted_out
                    FROM channel_contact WHERE channel_id = ? AND thread_key = ?
                    """), arguments: [channelID, threadKey])
        return row.map {
            ContactState(
                lastMessageAt: $0[0], repliesSinceMessage: $0[1], lastActivityAt: $0[2], repliesSinceActivity: $0[3], optedOut: $0[4])
        }
    }

    /// A customer message opens the full window again.
    static func customerWrote(channelID: ChannelID, threadKey: String, at time: Date, now: Date, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO channel_contact (channel_id, thread_key, last_message_at, replies_since_message, updated_at)
                VALUES (?1, ?2, ?3, 0, ?4)
                ON CONFLICT (channel_id, thread_key) DO UPDATE SET
                    replies_since_message = CASE WHEN last_message_at IS NULL OR last_message_at < ?3 THEN 0 ELSE replies_since_message END,
                    last_message_at = MAX(COALESCE(last_message_at, ?3), ?3),
                    updated_at = ?4
                """
        ).execute(arguments: [channelID, threadKey, StoredDate(time), StoredDate(now)])
    }

    /// A menu click or follow opens the short activity window.
    static func customerActed(channelID: ChannelID, threadKey: String, at time: Date, now: Date, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO channel_contact (channel_id, thread_key, last_activity_at, replies_since_activity, updated_at)
                VALUES (?1, ?2, ?3, 0, ?4)
                ON CONFLICT (channel_id, thread_key) DO UPDATE SET
                    replies_since_activity = CASE WHEN last_activity_at IS NULL OR last_activity_at < ?3 THEN 0 ELSE replies_since_activity END,
                    last_activity_at = MAX(COALESCE(last_activity_at, ?3), ?3),
                    updated_at = ?4
                """
        ).execute(arguments: [channelID, threadKey, StoredDate(time), StoredDate(now)])
    }

    static func setPreference(channelID: ChannelID, change: ContactPreferenceChange, now: Date, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO channel_contact (channel_id, thread_key, opted_out, opted_out_reason, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5)
                ON CONFLICT (channel_id, thread_key) DO UPDATE SET opted_out = ?3, opted_out_reason = ?4, updated_at = ?5
                """
        ).execute(arguments: [channelID, change.threadKey, change.optedOut, change.reason, now])
    }

    /// Counts a queued reply against the window it used.
    static func countReply(channelID: ChannelID, threadKey: String, grant: ReplyGrant, now: Date, in db: Database) throws {
        let column: String
        switch grant {
        case .unrestricted: return
        case .messageWindow: column = "replies_since_message"
        case .activityWindow: column = "replies_since_activity"
        }
        try db.execute(
            sql: "UPDATE channel_contact SET \(column) = \(column) + 1, updated_at = ? WHERE channel_id = ? AND thread_key = ?",
            arguments: [now, channelID, threadKey])
    }
}
