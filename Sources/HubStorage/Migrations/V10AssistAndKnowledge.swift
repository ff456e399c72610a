import GRDB

extension HubMigrations {
    /// `v10 message analysis, conversation types, knowledge base with versions`.
    static func v10AssistAndKnowledge(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE message_analysis (
                    message_id INTEGER PRIMARY KEY REFERENCES message(id) ON DELETE CASCADE,
                    conversation_id INTEGER NOT NULL,
                    intent TEXT NOT NULL,
                    confidence REAL NOT NULL,
                    -- JSON [{label, probability}], best first.
                    top TEXT NOT NULL,
                    sentiment TEXT NOT NULL,
                    sentiment_confidence REAL NOT NULL,
                    language TEXT NOT NULL,
                    model TEXT NOT NULL,
                    -- 'model', or 'llm' when a model endpoint's second opinion decided the intent.
                    source TEXT NOT NULL DEFAULT 'model',
                    analyzed_at DATETIME NOT NULL
                );
                CREATE INDEX message_analysis_conversation ON message_analysis(conversation_id, message_id);

                -- The conversation's type (inquiry, complaint, after_sales, marketing); once an agent
                -- sets it, type_set_by keeps assist from changing it again.
                ALTER TABLE conversation ADD COLUMN type TEXT;
                ALTER TABLE conversation ADD COLUMN type_set_by TEXT;
                ALTER TABLE conversation ADD COLUMN sentiment TEXT;
                -- A customer message waits for assist before routing reads its intent (briefly: see WorkQueries).
                ALTER TABLE conversation ADD COLUMN analysis_pending BOOLEAN NOT NULL DEFAULT 0;

                CREATE TABLE kb_article (
                    id TEXT PRIMARY KEY,
                    version INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    lang TEXT NOT NULL,
                    tags TEXT NOT NULL DEFAULT '[]',
                    status TEXT NOT NULL,
                    body TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    updated_by TEXT NOT NULL
                );
                CREATE TABLE kb_article_version (
                    article_id TEXT NOT NULL REFERENCES kb_article(id) ON DELETE CASCADE,
                    version INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    lang TEXT NOT NULL,
                    tags TEXT NOT NULL,
                    status TEXT NOT NULL,
                    body TEXT NOT NULL,
                    author TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    -- What changed from the version before, as a unified line diff of the article's Markdown.
                    diff TEXT NOT NULL,
                    -- Why: created, updated, published, unpublished, rolled back to N, imported.
                    action TEXT NOT NULL,
                    PRIMARY KEY (article_id, version)
                );
                """)
    }
}
