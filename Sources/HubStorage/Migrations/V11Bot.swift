import GRDB

extension HubMigrations {
    /// `v11 the bot: conversation state and turns`.
    static func v11Bot(_ db: Database) throws {
        try db.execute(
            sql: """
                -- What the bot remembers of a conversation between turns (JSON: language, slots, the
                -- action awaiting a yes, failed turns), so that a restart forgets nothing.
                CREATE TABLE bot_conversation (
                    conversation_id INTEGER PRIMARY KEY REFERENCES conversation(id) ON DELETE CASCADE,
                    state TEXT NOT NULL,
                    updated_at DATETIME NOT NULL
                );
                -- One row per customer message the bot decided on: written before any action runs at the
                -- shop, so that a crash never repeats an action (action_outcome stays NULL when it did not finish).
                CREATE TABLE bot_turn (
                    message_id INTEGER PRIMARY KEY,
                    conversation_id INTEGER NOT NULL,
                    intent TEXT NOT NULL,
                    -- the hand-off reason, NULL when the bot answered
                    handoff TEXT,
                    reply_message_id INTEGER,
                    -- JSON {kind, order, address} of the action the customer confirmed
                    action TEXT,
                    -- 'done', 'failed: …', or NULL while it runs
                    action_outcome TEXT,
                    -- JSON [{id, version, title}] of the articles the reply cites
                    citations TEXT NOT NULL DEFAULT '[]',
                    -- JSON {facts, unsupported} from the grounding guard
                    grounding TEXT NOT NULL DEFAULT '{}',
                    -- 'llm' when a language model phrased the reply, else 'template'
                    phrasing TEXT NOT NULL DEFAULT 'template',
                    decided_at DATETIME NOT NULL
                );
                CREATE INDEX bot_turn_conversation ON bot_turn(conversation_id, message_id);
                """)
    }
}
