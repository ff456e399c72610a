package import Foundation
import GRDB
package import HubCore

/// Composer drafts on the server, one per conversation and agent: saved as the agent types,
/// found again after a reload, removed when the reply or note is sent.
package struct DraftStore: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    package func draft(conversation: ConversationID, agent: Int64) async throws -> DraftView? {
        try await database.writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT text, note, channel_id, updated_at FROM draft WHERE conversation_id = ? AND agent_id = ?",
                arguments: [conversation, agent]
            ).map { DraftView(conversation: conversation, text: $0[0], note: $0[1], channel: $0[2], updatedAt: $0[3]) }
        }
    }

    /// Saves the draft; an empty text removes it (and answers `nil`).
    package func save(_ text: String, note: Bool, channel: ChannelID?, conversation: ConversationID, agent: Int64, now: Date) async throws
        -> DraftView?
    {
        try await database.writer.write { db in
            guard !text.isEmpty else {
                try Self.remove(conversation: conversation, agent: agent, in: db)
                return nil
            }
            try db.execute(
                sql: """
                    INSERT INTO draft (conversation_id, agent_id, text, note, channel_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (conversation_id, agent_id) DO UPDATE SET text = excluded.text, note = excluded.note,
                        channel_id = excluded.channel_id, updated_at = excluded.updated_at
                    """, arguments: [conversation, agent, text, note, channel, now])
            return DraftView(conversation: conversation, text: text, note: note, channel: channel, updatedAt: now)
        }
    }

    package func remove(conversation: ConversationID, agent: Int64) async throws {
        try await database.writer.write { db in try Self.remove(conversation: conversation, agent: agent, in: db) }
    }

    /// Removes the agent's draft inside the caller's transaction (the one that sends it).
    static func remove(conversation: ConversationID, agent: Int64, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM draft WHERE conversation_id = ? AND agent_id = ?").execute(arguments: [
            conversation, agent,
        ])
    }
}
