import GRDB

extension HubMigrations {
    /// `v9 agents, sessions, conversation workflow, routing`.
    static func v9AgentsAndRouting(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE agent (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    email TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    -- pbkdf2-sha256$<rounds>$<salt, base64>$<key, base64>
                    password_hash TEXT NOT NULL,
                    active BOOLEAN NOT NULL DEFAULT 1,
                    teams TEXT NOT NULL DEFAULT '[]',
                    languages TEXT NOT NULL DEFAULT '[]',
                    channels TEXT NOT NULL DEFAULT '[]',
                    topics TEXT NOT NULL DEFAULT '[]',
                    capacity_chat INTEGER NOT NULL DEFAULT 5,
                    capacity_async INTEGER NOT NULL DEFAULT 20,
                    presence TEXT NOT NULL DEFAULT 'offline',
                    presence_at DATETIME,
                    -- A base32 TOTP seed; confirmed once the agent proved a code from it.
                    totp_secret TEXT,
                    totp_confirmed BOOLEAN NOT NULL DEFAULT 0,
                    failed_logins INTEGER NOT NULL DEFAULT 0,
                    -- The earliest next login attempt after repeated failures.
                    login_allowed_at DATETIME,
                    locked BOOLEAN NOT NULL DEFAULT 0,
                    last_assigned_at DATETIME,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL
                );

                -- Only the SHA-256 of a session token is kept: the token itself is shown once.
                CREATE TABLE agent_session (
                    token_hash TEXT PRIMARY KEY,
                    agent_id INTEGER NOT NULL REFERENCES agent(id),
                    created_at DATETIME NOT NULL,
                    expires_at DATETIME NOT NULL,
                    last_seen_at DATETIME NOT NULL
                );
                CREATE INDEX agent_session_agent ON agent_session (agent_id);

                -- A conversation is work: who holds it, where it waits, what it is.
                -- `current` marks the conversation a thread continues; a closed one leaves it, so that
                -- the customer's next message starts a new conversation on the same thread.
                CREATE TABLE conversation_v9 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    customer_id INTEGER NOT NULL REFERENCES customer(id),
                    channel_id TEXT NOT NULL,
                    thread_key TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'queued',
                    created_at DATETIME NOT NULL,
                    last_message_at DATETIME NOT NULL,
                    subject TEXT,
                    current BOOLEAN NOT NULL DEFAULT 1,
                    assignee_id INTEGER REFERENCES agent(id),
                    team TEXT,
                    queue_id TEXT,
                    priority TEXT NOT NULL DEFAULT 'normal',
                    labels TEXT NOT NULL DEFAULT '[]',
                    language TEXT,
                    intent TEXT,
                    snoozed_until DATETIME,
                    queued_at DATETIME,
                    assigned_at DATETIME,
                    -- When the assignee accepted the offer (claimed it or answered); NULL while offered.
                    accepted_at DATETIME,
                    resolved_at DATETIME,
                    -- The last customer message no agent has answered yet; NULL once answered.
                    waiting_since DATETIME,
                    -- Agents whose offer lapsed, as a JSON list: passed over while someone else can take it.
                    declined_by TEXT NOT NULL DEFAULT '[]',
                    -- The place and range last told to the customer; -1 when none is owed.
                    wait_notice_position INTEGER,
                    wait_notice_range TEXT,
                    updated_at DATETIME
                );
                INSERT INTO conversation_v9 (id, customer_id, channel_id, thread_key, status, created_at, last_message_at, subject,
                                             queued_at, waiting_since, wait_notice_position, updated_at)
                    SELECT id, customer_id, channel_id, thread_key, 'queued', created_at, last_message_at, subject,
                           last_message_at, last_message_at, -1, last_message_at
                    FROM conversation;
                DROP TABLE conversation;
                ALTER TABLE conversation_v9 RENAME TO conversation;
                CREATE UNIQUE INDEX conversation_thread ON conversation (channel_id, thread_key) WHERE current = 1;
                CREATE INDEX conversation_thread_all ON conversation (channel_id, thread_key, id);
                CREATE INDEX conversation_customer ON conversation (customer_id);
                CREATE INDEX conversation_queue ON conversation (queued_at, id) WHERE status = 'queued';
                CREATE INDEX conversation_assignee ON conversation (assignee_id, status);
                CREATE INDEX conversation_activity ON conversation (last_message_at DESC, id DESC);

                CREATE TABLE conversation_note (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    conversation_id INTEGER NOT NULL REFERENCES conversation(id),
                    author TEXT NOT NULL,
                    agent_id INTEGER,
                    text TEXT NOT NULL,
                    created_at DATETIME NOT NULL
                );
                CREATE INDEX conversation_note_conversation ON conversation_note (conversation_id, id);

                CREATE TABLE canned_response (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    shortcut TEXT NOT NULL UNIQUE,
                    text TEXT NOT NULL,
                    created_at DATETIME NOT NULL
                );
                """)
    }
}
