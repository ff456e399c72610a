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
                try record.insertFast(db)
                let view = record.view(parts: message.parts)
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
        // Cached statements: this runs for every inbound message, inside the single writer.
        let findIdentity = try db.cachedStatement(sql: "SELECT id, customer_id FROM identity WHERE kind = ? AND value = ?")
        let touchIdentity = try db.cachedStatement(sql: "UPDATE identity SET last_seen = ?, verified = verified OR ? WHERE id = ?")
        for hint in hints {
            if let row = try Row.fetchOne(findIdentity, arguments: [hint.kind.rawValue, hint.value]) {
                let identityID: Int64 = row[0]
                owner = owner ?? row[1]
                try touchIdentity.execute(arguments: [now, hint.verified, identityID])
            } else {
                unowned.append(hint)
            }
        }
        let customerID: CustomerID
        if let owner {
            customerID = owner
            if let name, !name.isEmpty {
                try db.cachedStatement(
                    sql: "UPDATE customer SET display_name = ?, updated_at = ? WHERE id = ? AND (display_name IS NULL OR display_name = '')"
                ).execute(arguments: [name, now, owner])
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
        let find = try db.cachedStatement(sql: "SELECT id FROM conversation WHERE channel_id = ? AND thread_key = ?")
        if let existing = try Int64.fetchOne(find, arguments: [channelID, threadKey]) {
            try db.cachedStatement(sql: "UPDATE conversation SET last_message_at = MAX(last_message_at, ?) WHERE id = ?")
                .execute(arguments: [time, existing])
            return existing
        }
        var record = ConversationRecord(
            customerId: customerID, channelId: channelID, threadKey: threadKey, status: "open", createdAt: time, lastMessageAt: time)
        try record.insert(db)
        return record.id!
    }

    /// Adds a message to its customer's timeline and to the search index.
    static func recordOnTimeline(_ message: MessageView, customerID: CustomerID, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO timeline_event (customer_id, channel_id, kind, occurred_at_ms, conversation_id, message_id, summary)
                VALUES (?, ?, 'message', ?, ?, ?, ?)
                """
        ).execute(arguments: [
            customerID, message.channelID, Int64((message.createdAt.timeIntervalSince1970 * 1000).rounded()), message.conversationID,
            message.id, String(message.text.prefix(280)),
        ])
        try db.cachedStatement(sql: "INSERT INTO message_fts (rowid, body) VALUES (?, ?)")
            .execute(arguments: [message.id, SearchText.indexable(message.text)])
    }
}
