import Foundation
import GRDB
package import HubCore

/// Conversations, their messages, and the web chat visitors that own some of them.
package struct ConversationStore: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    package func conversation(id: ConversationID) async throws -> ConversationSummary? {
        try await database.writer.read { db in try ConversationRecord.fetchOne(db, key: id)?.summary(in: db) }
    }

    package func conversation(channelID: ChannelID, threadKey: String) async throws -> ConversationSummary? {
        try await database.writer.read { db in
            try ConversationRecord.all().thread(channel: channelID, key: threadKey).fetchOne(db)?.summary(
                in: db)
        }
    }

    /// Messages of a conversation in order, those after `after` when given.
    package func messages(conversationID: ConversationID, after: MessageID?, limit: Int) async throws -> [MessageView] {
        try await database.writer.read { db in
            var views = try MessageRecord.all().inConversation(conversationID, after: after ?? 0).limit(limit).fetchAll(db).map {
                try $0.view()
            }
            try AnalysisStore.attach(to: &views, in: db)
            return views
        }
    }

    /// The newest message the customer wrote in a conversation.
    package func lastCustomerMessage(conversationID: ConversationID) async throws -> MessageView? {
        try await database.writer.read { db in
            try MessageRecord.fetchOne(
                db, sql: "SELECT * FROM message WHERE conversation_id = ? AND direction = 'in' ORDER BY id DESC LIMIT 1",
                arguments: [conversationID]
            )?.view()
        }
    }

    /// The visitor a token belongs to, on that channel.
    package func visitor(token: String, channelID: ChannelID) async throws -> WebVisitor? {
        // On every message of a returning visitor: a cached statement, no query building.
        try await database.writer.read { db in
            let statement = try db.cachedStatement(sql: "SELECT id FROM web_visitor WHERE token = ? AND channel_id = ?")
            return try String.fetchOne(statement, arguments: [token, channelID]).map {
                WebVisitor(id: $0, channelID: channelID, token: token)
            }
        }
    }

    package func visitor(id: String, channelID: ChannelID) async throws -> WebVisitor? {
        try await database.writer.read { db in
            try WebVisitorRecord.all().visitor(id, channel: channelID).fetchOne(db)
                .map { WebVisitor(id: $0.id, channelID: $0.channelId, token: $0.token) }
        }
    }

    /// The visitor whose first message (sent without a token) had this client id.
    package func visitor(firstClientID: String, channelID: ChannelID) async throws -> WebVisitor? {
        try await database.writer.read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT id, token FROM web_visitor WHERE channel_id = ? AND first_client_id = ? ORDER BY created_at LIMIT 1"),
                arguments: [channelID, firstClientID]
            ).map { WebVisitor(id: $0[0], channelID: channelID, token: $0[1]) }
        }
    }

    /// Marks outbound messages up to `messageID` as delivered once the customer's session received them.
    package func markDelivered(conversationID: ConversationID, through messageID: MessageID) async throws {
        try await database.writer.write { db in
            let now = Date()
            let reached = try MessageID.fetchAll(
                db,
                sql: "SELECT id FROM message WHERE conversation_id = ? AND id <= ? AND direction = 'out' AND status IN ('pending', 'sent')",
                arguments: [conversationID, messageID])
            for id in reached {
                try db.execute(sql: "UPDATE message SET status = 'delivered', updated_at = ? WHERE id = ?", arguments: [now, id])
                try EventLog.appendMessage(.messageStatus, messageID: id, at: now, in: db)
            }
        }
    }
}

extension ConversationRecord {
    /// The conversation as agents see it: under the customer its own customer is merged into now.
    func summary(in db: Database) throws -> ConversationSummary {
        ConversationSummary(
            id: id ?? 0, customerID: try IdentityGraph.root(of: customerId, in: db) ?? customerId, channelID: channelId,
            threadKey: threadKey, status: status, createdAt: createdAt,
            lastMessageAt: lastMessageAt, subject: subject)
    }
}

/// A thread of a customer that a reply could go to, with what the reply gate reads for it.
package struct ReplyTarget: Sendable {
    package var conversation: ConversationSummary
    package var contact: ContactState?
}

extension ConversationStore {
    /// The conversation first, then the current thread on each other channel of the same merged
    /// customer (most recently active first): where an agent can answer them; `nil` when the
    /// conversation does not exist.
    package func replyTargets(conversationID: ConversationID) async throws -> [ReplyTarget]? {
        try await database.writer.read { db in
            guard let record = try ConversationRecord.fetchOne(db, key: conversationID) else { return nil }
            let own = try record.summary(in: db)
            let others = try ConversationRecord.fetchAll(
                db,
                sql: """
                    SELECT c.* FROM conversation c JOIN customer cu ON cu.id = c.customer_id
                    WHERE cu.root_id = ? AND c.current = 1 AND c.id <> ? AND c.channel_id <> ?
                    ORDER BY c.last_message_at DESC, c.id DESC
                    """, arguments: [own.customerID, conversationID, own.channelID])
            var seen: Set<ChannelID> = [own.channelID]
            var targets = [
                ReplyTarget(conversation: own, contact: try ContactLedger.state(channelID: own.channelID, threadKey: own.threadKey, in: db))
            ]
            for other in others where seen.insert(other.channelId).inserted {
                targets.append(
                    ReplyTarget(
                        conversation: try other.summary(in: db),
                        contact: try ContactLedger.state(channelID: other.channelId, threadKey: other.threadKey, in: db)))
            }
            return targets
        }
    }
}
