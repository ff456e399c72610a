import GRDB

extension HubMigrations {
    /// `v1 inbox, customers, conversations, messages, timeline, outbox`.
    static func v1InboxCustomersConversationsOutbox(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE inbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    channel_id TEXT NOT NULL,
                    dedupe_key TEXT NOT NULL,
                    content_type TEXT,
                    payload BLOB NOT NULL,
                    received_at DATETIME NOT NULL,
                    state TEXT NOT NULL DEFAULT 'pending',
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    result TEXT,
                    processed_at DATETIME,
                    UNIQUE (channel_id, dedupe_key)
                );
                CREATE INDEX inbox_pending ON inbox (state) WHERE state <> 'processed';

                CREATE TABLE customer (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    display_name TEXT,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL
                );

                CREATE TABLE identity (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    customer_id INTEGER NOT NULL REFERENCES customer(id),
                    kind TEXT NOT NULL,
                    value TEXT NOT NULL,
                    channel_id TEXT NOT NULL,
                    verified BOOLEAN NOT NULL,
                    first_seen DATETIME NOT NULL,
                    last_seen DATETIME NOT NULL,
                    UNIQUE (kind, value)
                );
                CREATE INDEX identity_customer ON identity (customer_id);

                CREATE TABLE web_visitor (
                    id TEXT PRIMARY KEY,
                    channel_id TEXT NOT NULL,
                    token TEXT NOT NULL UNIQUE,
                    created_at DATETIME NOT NULL
                );

                CREATE TABLE conversation (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    customer_id INTEGER NOT NULL REFERENCES customer(id),
                    channel_id TEXT NOT NULL,
                    thread_key TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'open',
                    created_at DATETIME NOT NULL,
                    last_message_at DATETIME NOT NULL,
                    UNIQUE (channel_id, thread_key)
                );
                CREATE INDEX conversation_customer ON conversation (customer_id);

                CREATE TABLE message (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    conversation_id INTEGER NOT NULL REFERENCES conversation(id),
                    channel_id TEXT NOT NULL,
                    direction TEXT NOT NULL,
                    author_role TEXT NOT NULL,
                    author_name TEXT,
                    parts TEXT NOT NULL,
                    status TEXT NOT NULL,
                    provider_message_id TEXT,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL
                );
                CREATE INDEX message_conversation ON message (conversation_id, id);

                CREATE TABLE timeline_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    customer_id INTEGER NOT NULL REFERENCES customer(id),
                    channel_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    occurred_at_ms INTEGER NOT NULL,
                    conversation_id INTEGER,
                    message_id INTEGER,
                    summary TEXT NOT NULL
                );
                CREATE INDEX timeline_customer ON timeline_event (customer_id, occurred_at_ms DESC, id DESC);

                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    message_id INTEGER NOT NULL UNIQUE REFERENCES message(id),
                    channel_id TEXT NOT NULL,
                    state TEXT NOT NULL DEFAULT 'pending',
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at DATETIME NOT NULL,
                    last_error TEXT,
                    idempotency_key TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL
                );
                CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

                CREATE VIRTUAL TABLE message_fts USING fts5 (body, tokenize = 'unicode61 remove_diacritics 2');
                """)
    }
}
