import Foundation
import GRDB

/// A thread of messages with one customer on one channel.
struct ConversationRecord: SnakeCaseRecord, Sendable, MutablePersistableRecord {
    static let databaseTableName = "conversation"

    /// The columns the query interface filters on, as the table names them.
    enum Columns {
        static let channelId = Column("channel_id")
        static let threadKey = Column("thread_key")
    }

    var id: Int64?
    var customerId: Int64
    var channelId: String
    var threadKey: String
    var status: String
    var createdAt: Date
    var lastMessageAt: Date
    var subject: String?
    /// When it entered its queue and since when a customer message waits for an answer.
    var queuedAt: Date?
    var waitingSince: Date?
    var language: String?

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension DerivableRequest<ConversationRecord> {
    /// The conversation a channel keeps under `threadKey` (a chat, an open id, a phone number).
    func thread(channel channelID: String, key threadKey: String) -> Self {
        filter(
            ConversationRecord.Columns.channelId == channelID && ConversationRecord.Columns.threadKey == threadKey
                && Column("current") == true)
    }
}
