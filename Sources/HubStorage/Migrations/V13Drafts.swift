import GRDB

extension HubMigrations {
    /// `v13 drafts per conversation and agent`.
    static func v13Drafts(_ db: Database) throws {
        try db.execute(
            sql: """
                -- What an agent was writing in a conversation's composer, kept on the server so that a
                -- reload or another browser finds it; sending the reply or the note removes it.
                CREATE TABLE draft (
                    conversation_id INTEGER NOT NULL REFERENCES conversation(id),
                    agent_id INTEGER NOT NULL REFERENCES agent(id),
                    text TEXT NOT NULL,
                    -- a private note rather than a reply
                    note BOOLEAN NOT NULL DEFAULT 0,
                    -- the channel picked in the composer when it is not the conversation's
                    channel_id TEXT,
                    updated_at DATETIME NOT NULL,
                    PRIMARY KEY (conversation_id, agent_id)
                );
                """)
    }
}
