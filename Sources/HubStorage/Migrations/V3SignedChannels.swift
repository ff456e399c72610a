import GRDB

extension HubMigrations {
    /// `v3 signed channels: contact windows and opt-outs, delivery reports`.
    static func v3SignedChannels(_ db: Database) throws {
        try db.execute(
            sql: """
                -- Per customer thread on a channel: what decides whether the hub may write
                -- (WeChat's 48-hour window and reply quota, SMS STOP).
                CREATE TABLE channel_contact (
                    channel_id TEXT NOT NULL,
                    thread_key TEXT NOT NULL,
                    last_message_at DATETIME,
                    replies_since_message INTEGER NOT NULL DEFAULT 0,
                    last_activity_at DATETIME,
                    replies_since_activity INTEGER NOT NULL DEFAULT 0,
                    opted_out BOOLEAN NOT NULL DEFAULT 0,
                    opted_out_reason TEXT,
                    updated_at DATETIME NOT NULL,
                    PRIMARY KEY (channel_id, thread_key)
                );

                -- The best status report per provider message, kept even when it arrives
                -- before the send's own response recorded the provider id.
                CREATE TABLE delivery_report (
                    channel_id TEXT NOT NULL,
                    provider_message_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    rank INTEGER NOT NULL,
                    detail TEXT NOT NULL,
                    reported_at DATETIME NOT NULL,
                    PRIMARY KEY (channel_id, provider_message_id)
                );

                ALTER TABLE message ADD COLUMN delivery_detail TEXT;
                ALTER TABLE message ADD COLUMN delivery_rank INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX message_provider_id ON message (channel_id, provider_message_id) WHERE provider_message_id IS NOT NULL;
                """)
    }
}
