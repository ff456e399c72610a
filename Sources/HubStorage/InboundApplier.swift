import Foundation
import GRDB
import HubCore

/// Applies decoded inbound events to the database inside the caller's transaction:
/// resolves the sender to a customer, finds the conversation, stores the message,
/// its timeline event and its search entry.
enum InboundApplier {
    struct Applied {
        var customerID: CustomerID?
        var conversationID: ConversationID?
        var messages: [MessageView] = []
    }

    static func apply(_ events: [InboundEvent], channelID: ChannelID, now: Date, in db: Database) throws -> Applied {
        var applied = Applied()
        for event in events {
            switch event {
            case .message(let message):
                let customerID = try resolveCustomer(message.identities, name: message.senderName, channelID: channelID, now: now, in: db)
                let conversationID = try conversation(
                    channelID: channelID, threadKey: message.threadKey, customerID: customerID, at: message.sentAt, in: db)
                var record = try MessageRecord(
                    conversationID: conversationID, channelID: channelID, direction: .inbound,
                    author: Author(role: .customer, name: message.senderName), parts: message.parts, status: .received,
                    providerMessageID: message.providerMessageID, createdAt: message.sentAt)
                try record.insert(db)
                let view = try record.view()
                try recordOnTimeline(view, customerID: customerID, in: db)
                applied.customerID = customerID
                applied.conversationID = conversationID
                applied.messages.append(view)
            }
        }
        return applied
    }

    /// Finds the customer that owns any of the identifiers, or creates one, and
    /// attaches the identifiers nobody owns yet. Cross-customer merging is the
    /// identity graph's job; here the first owner found wins.
    static func resolveCustomer(
        _ hints: [IdentityHint], name: String?, channelID: ChannelID, now: Date, in db: Database
    ) throws -> CustomerID {
        var owner: CustomerID?
        var unowned: [IdentityHint] = []
        for hint in hints {
            if let identity = try IdentityRecord.filter(Column("kind") == hint.kind.rawValue && Column("value") == hint.value).fetchOne(db) {
                owner = owner ?? identity.customerId
                try db.execute(
                    sql: "UPDATE identity SET last_seen = ?, verified = verified OR ? WHERE id = ?",
                    arguments: [now, hint.verified, identity.id])
            } else {
                unowned.append(hint)
            }
        }
        let customerID: CustomerID
        if let owner {
            customerID = owner
            if let name, !name.isEmpty {
                try db.execute(
                    sql: "UPDATE customer SET display_name = ?, updated_at = ? WHERE id = ? AND (display_name IS NULL OR display_name = '')",
                    arguments: [name, now, owner])
            }
        } else {
            var customer = CustomerRecord(displayName: name, createdAt: now, updatedAt: now)
            try customer.insert(db)
            customerID = customer.id!
        }
        for hint in unowned {
            var identity = IdentityRecord(
                customerId: customerID, kind: hint.kind.rawValue, value: hint.value, channelId: channelID, verified: hint.verified,
                firstSeen: now, lastSeen: now)
            try identity.insert(db, onConflict: .ignore)
        }
        return customerID
    }

    static func conversation(
        channelID: ChannelID, threadKey: String, customerID: CustomerID, at time: Date, in db: Database
    ) throws -> ConversationID {
        if let existing = try ConversationRecord.filter(Column("channel_id") == channelID && Column("thread_key") == threadKey).fetchOne(db) {
            try db.execute(
                sql: "UPDATE conversation SET last_message_at = MAX(last_message_at, ?) WHERE id = ?", arguments: [time, existing.id])
            return existing.id!
        }
        var record = ConversationRecord(
            customerId: customerID, channelId: channelID, threadKey: threadKey, status: "open", createdAt: time, lastMessageAt: time)
        try record.insert(db)
        return record.id!
    }

    /// Adds a message to its customer's timeline and to the search index.
    static func recordOnTimeline(_ message: MessageView, customerID: CustomerID, in db: Database) throws {
        var event = TimelineEventRecord(
            customerId: customerID, channelId: message.channelID, kind: "message",
            occurredAtMs: Int64((message.createdAt.timeIntervalSince1970 * 1000).rounded()),
            conversationId: message.conversationID, messageId: message.id, summary: String(message.text.prefix(280)))
        try event.insert(db)
        try db.execute(
            sql: "INSERT INTO message_fts (rowid, body) VALUES (?, ?)", arguments: [message.id, SearchText.indexable(message.text)])
    }
}
