import GRDB

extension HubMigrations {
    /// `v6 mail threading`.
    static func v6MailThreading(_ db: Database) throws {
        try db.execute(
            sql: """
                -- The headers a mail message threads by, and a reply needs.
                CREATE TABLE mail_envelope (
                    message_id INTEGER PRIMARY KEY REFERENCES message(id),
                    conversation_id INTEGER NOT NULL REFERENCES conversation(id),
                    rfc_message_id TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    base_subject TEXT NOT NULL,
                    sender TEXT NOT NULL,
                    refs TEXT NOT NULL,
                    automated BOOLEAN NOT NULL DEFAULT 0
                );
                CREATE INDEX mail_envelope_conversation ON mail_envelope (conversation_id, message_id);
                CREATE INDEX mail_envelope_subject ON mail_envelope (base_subject);
                """)
    }
}
