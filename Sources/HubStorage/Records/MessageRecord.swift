import Foundation
import GRDB
import HubCore

/// A stored message; parts are kept as JSON in the channel-neutral model.
struct MessageRecord: SnakeCaseRecord, Sendable, MutablePersistableRecord {
    static let databaseTableName = "message"

    /// The columns the query interface filters and orders on, as the table names them.
    enum Columns {
        static let id = Column("id")
        static let conversationId = Column("conversation_id")
    }

    var id: Int64?
    var conversationId: Int64
    var channelId: String
    var direction: MessageDirection
    var authorRole: Author.Role
    var authorName: String?
    /// JSON of `[MessagePart]`.
    var parts: String
    var status: DeliveryStatus
    var providerMessageId: String?
    var createdAt: Date
    var updatedAt: Date
    /// The provider's last word on delivery, e.g. `undelivered (30003)`.
    var deliveryDetail: String?
    /// The provider's rank of that status; a report ranking no higher is ignored.
    var deliveryRank: Int = 0
    /// For mail: the subject line.
    var subject: String?

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    init(
        conversationID: ConversationID, channelID: ChannelID, direction: MessageDirection, author: Author,
        parts: [MessagePart], status: DeliveryStatus, providerMessageID: String?, createdAt: Date
    ) throws {
        self.conversationId = conversationID
        self.channelId = channelID
        self.direction = direction
        self.authorRole = author.role
        self.authorName = author.name
        self.parts = String(decoding: try JSONEncoder().encode(parts), as: UTF8.self)
        self.status = status
        self.providerMessageId = providerMessageID
        self.createdAt = createdAt
        self.updatedAt = createdAt
    }

    /// Inserts the record with a cached statement: this runs for every message, and
    /// skips the Codable encoding of the generic record insert.
    mutating func insertFast(_ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO message (conversation_id, channel_id, direction, author_role, author_name, parts, status,
                                     provider_message_id, created_at, updated_at, subject)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            conversationId, channelId, direction.rawValue, authorRole.rawValue, authorName, parts, status.rawValue, providerMessageId,
            StoredDate(createdAt),
            StoredDate(updatedAt), subject,
        ])
        id = db.lastInsertedRowID
    }

    /// The message as readers see it, from parts the caller already has.
    func view(parts: [MessagePart]) -> MessageView {
        MessageView(
            id: id ?? 0, conversationID: conversationId, channelID: channelId, direction: direction,
            author: Author(role: authorRole, name: authorName), parts: parts,
            status: status, providerMessageID: providerMessageId, createdAt: createdAt,
            deliveryDetail: deliveryDetail, subject: subject)
    }

    /// The message as readers see it, its parts decoded from storage.
    func view() throws -> MessageView {
        MessageView(
            id: id ?? 0,
            conversationID: conversationId,
            channelID: channelId,
            direction: direction,
            author: Author(role: authorRole, name: authorName),
            parts: try JSONDecoder().decode([MessagePart].self, from: Data(parts.utf8)),
            status: status,
            providerMessageID: providerMessageId,
            createdAt: createdAt,
            deliveryDetail: deliveryDetail, subject: subject)
    }
}

extension DerivableRequest<MessageRecord> {
    /// The messages of one conversation after `id`, oldest first.
    func inConversation(_ conversationID: Int64, after id: Int64) -> Self {
        filter(MessageRecord.Columns.conversationId == conversationID && MessageRecord.Columns.id > id).order(MessageRecord.Columns.id)
    }
}
