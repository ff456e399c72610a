import Foundation
import GRDB
import HubCore

/// Appends to the event log inside the caller's transaction, so that an event exists
/// exactly when the change it describes was committed.
enum EventLog {
    /// Appends one event with the next `seq`; returns that `seq`.
    @discardableResult
    static func append(_ type: HubEventType, _ data: some Encodable, at time: Date, inboxID: Int64? = nil, in db: Database) throws -> Int64
    {
        try append(type, json: String(decoding: try APIJSON.encoder.encode(data), as: UTF8.self), at: time, inboxID: inboxID, in: db)
    }

    /// Appends one event whose data is already JSON text.
    @discardableResult
    static func append(_ type: HubEventType, json: String, at time: Date, inboxID: Int64? = nil, in db: Database) throws -> Int64 {
        // One writer assigns seq inside the transaction, so readers see seqs in order and without gaps.
        try db.cachedStatement(
            sql:
                "INSERT INTO event (seq, type, occurred_at, inbox_id, data) VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM event), ?, ?, ?, ?)"
        ).execute(arguments: [type.rawValue, StoredDate(time), inboxID, json])
        return db.lastInsertedRowID
    }

    /// Appends a message event carrying the stored message with its customer and conversation.
    static func appendMessage(_ type: HubEventType, messageID: MessageID, at time: Date, in db: Database) throws {
        guard let record = try MessageRecord.fetchOne(db, key: messageID),
            let customer = try CustomerID.fetchOne(
                db.cachedStatement(sql: "SELECT c.root_id FROM conversation v JOIN customer c ON c.id = v.customer_id WHERE v.id = ?"),
                arguments: [record.conversationId])
        else { return }
        try append(type, json: messageJSON(record, text: try record.view().text, customer: customer), at: time, in: db)
    }

    /// Appends a conversation event carrying the conversation's header.
    static func appendConversation(_ type: HubEventType, conversationID: ConversationID, at time: Date, in db: Database) throws {
        guard let record = try ConversationRecord.fetchOne(db, key: conversationID) else { return }
        try append(type, json: conversationJSON(try record.summary(in: db)), at: time, in: db)
    }

    /// `{"channel","conversation","customer","message"}` for a message event, written by hand
    /// from the stored record (its parts are JSON already): this runs for every message.
    static func messageJSON(_ record: MessageRecord, text: String, customer: CustomerID) -> String {
        var author = JSONText()
        author.string("name", record.authorName)
        author.string("role", record.authorRole.rawValue)
        var message = JSONText()
        message.raw("author", author.object)
        message.string("channel", record.channelId)
        message.integer("conversation", record.conversationId)
        message.date("created_at", record.createdAt)
        message.string("delivery_detail", record.deliveryDetail)
        message.string("direction", record.direction.rawValue)
        message.integer("id", record.id)
        message.raw("parts", record.parts)
        message.string("provider_message_id", record.providerMessageId)
        message.string("status", record.status.rawValue)
        message.string("subject", record.subject)
        message.string("text", text)
        var data = JSONText()
        data.string("channel", record.channelId)
        data.integer("conversation", record.conversationId)
        data.integer("customer", customer)
        data.raw("message", message.object)
        return data.object
    }

    /// `{"conversation": {…}}` for a conversation event.
    static func conversationJSON(_ summary: ConversationSummary) -> String {
        var conversation = JSONText()
        conversation.string("channel", summary.channelID)
        conversation.date("created_at", summary.createdAt)
        conversation.integer("customer", summary.customerID)
        conversation.integer("id", summary.id)
        conversation.date("last_message_at", summary.lastMessageAt)
        conversation.string("status", summary.status)
        conversation.string("subject", summary.subject)
        conversation.string("thread", summary.threadKey)
        var data = JSONText()
        data.raw("conversation", conversation.object)
        return data.object
    }

    /// `{"channel","customer","name"}` for `customer.created`.
    static func customerJSON(customer: CustomerID, name: String?, channel: ChannelID) -> String {
        var data = JSONText()
        data.string("channel", channel)
        data.integer("customer", customer)
        data.string("name", name)
        return data.object
    }
}
