import Foundation
import GRDB
import HubCore

/// Appends to the event log inside the caller's transaction, so that an event exists
/// exactly when the change it describes was committed.
enum EventLog {
    /// Dates as the API writes them, so that a stored event is served byte for byte.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        return encoder
    }()

    /// Appends one event with the next `seq`; returns that `seq`.
    @discardableResult
    static func append(_ type: HubEventType, _ data: some Encodable, at time: Date, inboxID: Int64? = nil, in db: Database) throws -> Int64
    {
        let json = String(decoding: try encoder.encode(data), as: UTF8.self)
        // One writer assigns seq inside the transaction, so readers see seqs in order and without gaps.
        try db.cachedStatement(
            sql:
                "INSERT INTO event (seq, type, occurred_at, inbox_id, data) VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM event), ?, ?, ?, ?)"
        ).execute(arguments: [type.rawValue, time, inboxID, json])
        return db.lastInsertedRowID
    }

    /// Appends a message event carrying the stored message with its customer and conversation.
    static func appendMessage(_ type: HubEventType, messageID: MessageID, at time: Date, in db: Database) throws {
        guard let record = try MessageRecord.fetchOne(db, key: messageID),
            let customer = try CustomerID.fetchOne(
                db.cachedStatement(sql: "SELECT c.root_id FROM conversation v JOIN customer c ON c.id = v.customer_id WHERE v.id = ?"),
                arguments: [record.conversationId])
        else { return }
        try append(
            type, MessageEventData(message: try record.view(), customer: customer, conversation: record.conversationId), at: time, in: db)
    }

    /// Appends a conversation event carrying the conversation's header.
    static func appendConversation(_ type: HubEventType, conversationID: ConversationID, at time: Date, in db: Database) throws {
        guard let record = try ConversationRecord.fetchOne(db, key: conversationID) else { return }
        try append(type, ConversationEventData(conversation: try record.summary(in: db)), at: time, in: db)
    }
}
