import GRDB

extension HubMigrations {
    /// `v8 staged processing, event log, outbound webhooks, subjects`.
    static func v8StagedProcessingAndEventLog(_ db: Database) throws {
        try db.execute(
            sql: """
                -- Processing is a stage of its own: pending rows wait here, in order of arrival;
                -- a failed attempt waits until next_attempt_at.
                ALTER TABLE inbox ADD COLUMN next_attempt_at DATETIME;
                -- Set on rows that were being processed when the hub stopped: each is then tried
                -- alone, so that one whose processing stops the hub again is found and failed.
                ALTER TABLE inbox ADD COLUMN isolated BOOLEAN NOT NULL DEFAULT 0;
                DROP INDEX inbox_pending;
                CREATE INDEX inbox_queue ON inbox (id) WHERE state = 'pending';
                CREATE INDEX inbox_failed ON inbox (id) WHERE state = 'failed';

                -- Everything someone could react to, in commit order. seq is assigned by the single
                -- writer as MAX(seq) + 1 inside the transaction that made the change, so it has no gaps
                -- (on PostgreSQL: a counter row updated in the same transaction).
                CREATE TABLE event (
                    seq INTEGER PRIMARY KEY,
                    type TEXT NOT NULL,
                    occurred_at DATETIME NOT NULL,
                    inbox_id INTEGER,
                    data TEXT NOT NULL
                );
                CREATE INDEX event_type ON event (type, seq);

                -- Where each consumer of the log is: the last seq it has handled for good.
                CREATE TABLE event_cursor (
                    consumer TEXT PRIMARY KEY,
                    seq INTEGER NOT NULL,
                    updated_at DATETIME NOT NULL
                );

                -- One row per (outbound webhook, event): its attempts until delivered or dead.
                CREATE TABLE webhook_delivery (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    webhook_id TEXT NOT NULL,
                    event_seq INTEGER NOT NULL,
                    event_type TEXT NOT NULL,
                    state TEXT NOT NULL DEFAULT 'pending',
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at DATETIME NOT NULL,
                    last_status INTEGER,
                    last_error TEXT,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    delivered_at DATETIME,
                    UNIQUE (webhook_id, event_seq)
                );
                CREATE INDEX webhook_delivery_due ON webhook_delivery (webhook_id, state, next_attempt_at);

                ALTER TABLE message ADD COLUMN subject TEXT;
                ALTER TABLE conversation ADD COLUMN subject TEXT;
                -- The client id of the first message a visitor sent before holding a token, so that
                -- resending it with the token is recognised as the same message.
                ALTER TABLE web_visitor ADD COLUMN first_client_id TEXT;
                CREATE INDEX web_visitor_first_client ON web_visitor (channel_id, first_client_id) WHERE first_client_id IS NOT NULL;
                """)
    }
}
