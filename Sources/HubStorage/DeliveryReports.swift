import Foundation
import GRDB
import HubCore

/// Applies provider status callbacks to outbound messages, monotonically.
enum DeliveryReports {
    /// Keeps the best report per provider message and applies it to the message, if
    /// the hub already knows which message the provider id belongs to.
    static func record(_ report: DeliveryReport, channelID: ChannelID, now: Date, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO delivery_report (channel_id, provider_message_id, status, rank, detail, reported_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT (channel_id, provider_message_id) DO UPDATE SET
                    status = ?3, rank = ?4, detail = ?5, reported_at = ?6
                WHERE rank < ?4
                """
        ).execute(arguments: [
            channelID, report.providerMessageID, report.status.rawValue, report.rank, report.detail, report.reportedAt,
        ])
        try applyStored(channelID: channelID, providerMessageID: report.providerMessageID, now: now, in: db)
    }

    /// Moves the message with this provider id to the best stored report, when that
    /// report ranks above what the message already shows.
    static func applyStored(channelID: ChannelID, providerMessageID: String, now: Date, in db: Database) throws {
        guard
            let report = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT status, rank, detail FROM delivery_report WHERE channel_id = ? AND provider_message_id = ?"),
                arguments: [channelID, providerMessageID])
        else { return }
        let reported = DeliveryStatus(rawValue: report[0]) ?? .sent
        let rank: Int = report[1]
        let detail: String = report[2]
        let messages = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, status FROM message
                    WHERE channel_id = ? AND provider_message_id = ? AND direction = 'out' AND delivery_rank < ?
                    """), arguments: [channelID, providerMessageID, rank])
        for message in messages {
            let current = DeliveryStatus(rawValue: message[1]) ?? .pending
            try db.cachedStatement(
                sql: "UPDATE message SET status = ?, delivery_detail = ?, delivery_rank = ?, updated_at = ? WHERE id = ?"
            ).execute(arguments: [current.advanced(to: reported).rawValue, detail, rank, now, message[0] as Int64])
            try EventLog.appendMessage(.messageStatus, messageID: message[0], at: now, in: db)
        }
    }
}
