package import Foundation
import GRDB
package import HubCore

/// Applies inbound events straight to the database, as the processing stage would, without
/// the inbox: for the bot's evaluation hub (orders and messages of one dialogue) and for tests.
package struct DirectApply: Sendable {
    let database: HubDatabase
    let policy: IdentityPolicy
    let workflow: WorkflowPolicy

    package init(database: HubDatabase, policy: IdentityPolicy, workflow: WorkflowPolicy = WorkflowPolicy()) {
        self.database = database
        self.policy = policy
        self.workflow = workflow
    }

    /// What applying one batch made.
    package struct Outcome: Sendable {
        package var conversationID: ConversationID?
        package var messageIDs: [MessageID]
    }

    package func apply(_ events: [InboundEvent], channelID: ChannelID, now: Date) async throws -> Outcome {
        let policy = policy
        let workflow = workflow
        return try await database.writer.write { db in
            let applied = try InboundApplier.apply(events, channelID: channelID, policy: policy, workflow: workflow, now: now, in: db)
            return Outcome(conversationID: applied.conversationID, messageIDs: applied.messages.map(\.id))
        }
    }

    /// Stores a message from the hub's side (the bot or an agent, as said earlier in a dialogue),
    /// without the outbox's channel checks.
    package func said(_ text: String, by role: Author.Role, conversationID: ConversationID, now: Date) async throws {
        try await database.writer.write { db in
            _ = try OutboxStore.enqueue(
                conversationID: conversationID, parts: [.text(text)], author: Author(role: role), agentID: nil,
                capabilities: { _ in nil }, now: now, in: db)
        }
    }

    /// Sets a conversation's labels (a VIP customer's).
    package func label(_ conversationID: ConversationID, _ labels: [String]) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE conversation SET labels = ? WHERE id = ?", arguments: [JSONList.encode(labels), conversationID])
        }
    }
}
