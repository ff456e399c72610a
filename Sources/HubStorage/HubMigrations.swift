import GRDB

/// The schema, as an append-only list of migrations: a shipped migration is never
/// edited, a change is a new one.
public enum HubMigrations {
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 inbox, customers, conversations, messages, timeline, outbox") { db in
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
        migrator.registerMigration("v2 identity graph: roots, merges, proposals, attributes") { db in
            try db.execute(
                sql: """
                    ALTER TABLE customer ADD COLUMN root_id INTEGER;
                    ALTER TABLE customer ADD COLUMN merged_into INTEGER REFERENCES customer(id);
                    ALTER TABLE customer ADD COLUMN merge_id INTEGER;
                    UPDATE customer SET root_id = id;
                    CREATE INDEX customer_root ON customer (root_id);
                    CREATE INDEX customer_merged_into ON customer (merged_into) WHERE merged_into IS NOT NULL;

                    -- One identifier may now be held by several customers (a typed email and the
                    -- verified mailbox), each row staying with the customer it was recorded on.
                    CREATE TABLE identity_v2 (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        customer_id INTEGER NOT NULL REFERENCES customer(id),
                        kind TEXT NOT NULL,
                        value TEXT NOT NULL,
                        comparable BOOLEAN NOT NULL DEFAULT 1,
                        channel_id TEXT NOT NULL,
                        verified BOOLEAN NOT NULL,
                        first_seen DATETIME NOT NULL,
                        last_seen DATETIME NOT NULL,
                        UNIQUE (kind, value, customer_id)
                    );
                    INSERT INTO identity_v2 (id, customer_id, kind, value, channel_id, verified, first_seen, last_seen)
                        SELECT id, customer_id, kind, value, channel_id, verified, first_seen, last_seen FROM identity;
                    DROP TABLE identity;
                    ALTER TABLE identity_v2 RENAME TO identity;
                    CREATE INDEX identity_customer ON identity (customer_id);

                    ALTER TABLE timeline_event ADD COLUMN root_id INTEGER;
                    UPDATE timeline_event SET root_id = customer_id;
                    CREATE INDEX timeline_root ON timeline_event (root_id, occurred_at_ms DESC, id DESC);

                    CREATE TABLE customer_attribute (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        customer_id INTEGER NOT NULL REFERENCES customer(id),
                        name TEXT NOT NULL,
                        value TEXT NOT NULL,
                        source TEXT NOT NULL,
                        updated_at DATETIME NOT NULL,
                        UNIQUE (customer_id, name, source)
                    );
                    INSERT INTO customer_attribute (customer_id, name, value, source, updated_at)
                        SELECT c.id, 'name', c.display_name, COALESCE((SELECT channel_id FROM identity i WHERE i.customer_id = c.id ORDER BY id LIMIT 1), 'hub'), c.updated_at
                        FROM customer c WHERE c.display_name IS NOT NULL AND c.display_name <> '';

                    CREATE TABLE customer_merge (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        survivor_id INTEGER NOT NULL REFERENCES customer(id),
                        absorbed_id INTEGER NOT NULL REFERENCES customer(id),
                        rule TEXT,
                        evidence TEXT,
                        actor TEXT NOT NULL,
                        reason TEXT,
                        created_at DATETIME NOT NULL,
                        undone_at DATETIME,
                        undone_by TEXT
                    );
                    CREATE INDEX customer_merge_survivor ON customer_merge (survivor_id);
                    CREATE INDEX customer_merge_absorbed ON customer_merge (absorbed_id);

                    CREATE TABLE merge_proposal (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        customer_low INTEGER NOT NULL REFERENCES customer(id),
                        customer_high INTEGER NOT NULL REFERENCES customer(id),
                        rule TEXT NOT NULL,
                        evidence TEXT NOT NULL,
                        state TEXT NOT NULL DEFAULT 'open',
                        created_at DATETIME NOT NULL,
                        decided_at DATETIME,
                        decided_by TEXT,
                        merge_id INTEGER REFERENCES customer_merge(id)
                    );
                    CREATE UNIQUE INDEX merge_proposal_open ON merge_proposal (customer_low, customer_high) WHERE state = 'open';
                    CREATE INDEX merge_proposal_state ON merge_proposal (state, id);
                    """)
        }
        migrator.registerMigration("v3 signed channels: contact windows and opt-outs, delivery reports") { db in
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
        migrator.registerMigration("v4 orders, fulfilments, sync state") { db in
            try db.execute(
                sql: """
                    -- What kind of delivery a stored payload is (a Shopify topic), from its headers.
                    ALTER TABLE inbox ADD COLUMN topic TEXT;

                    -- Orders are upserted by (channel, order id); shop_updated_at_ms is the version.
                    CREATE TABLE shop_order (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        channel_id TEXT NOT NULL,
                        order_id TEXT NOT NULL,
                        customer_id INTEGER NOT NULL REFERENCES customer(id),
                        name TEXT NOT NULL,
                        financial_status TEXT,
                        fulfillment_status TEXT NOT NULL,
                        cancelled_at DATETIME,
                        currency TEXT NOT NULL,
                        total_price TEXT NOT NULL,
                        line_items TEXT NOT NULL,
                        created_at DATETIME NOT NULL,
                        shop_updated_at_ms INTEGER NOT NULL,
                        stored_at DATETIME NOT NULL,
                        UNIQUE (channel_id, order_id)
                    );
                    CREATE INDEX shop_order_customer ON shop_order (customer_id, created_at DESC);

                    CREATE TABLE fulfillment (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        channel_id TEXT NOT NULL,
                        fulfillment_id TEXT NOT NULL,
                        order_id TEXT NOT NULL,
                        status TEXT NOT NULL,
                        shipment_status TEXT,
                        tracking_company TEXT,
                        tracking_number TEXT,
                        tracking_url TEXT,
                        shop_updated_at_ms INTEGER NOT NULL,
                        UNIQUE (channel_id, fulfillment_id)
                    );
                    CREATE INDEX fulfillment_order ON fulfillment (channel_id, order_id);
                    CREATE INDEX fulfillment_tracking ON fulfillment (tracking_number) WHERE tracking_number IS NOT NULL;

                    -- Where a polling channel is: the committed cursor, the watermark and its health.
                    CREATE TABLE sync_state (
                        channel_id TEXT PRIMARY KEY,
                        cursor TEXT,
                        watermark DATETIME,
                        last_poll_started_at DATETIME,
                        last_success_at DATETIME,
                        last_error TEXT,
                        last_error_at DATETIME,
                        updated_at DATETIME NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v5 parcel tracking") { db in
            try db.execute(
                sql: """
                    -- Every scan of a parcel once: the provider resends the whole trace each time.
                    CREATE TABLE tracking_event (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        tracking_number TEXT NOT NULL,
                        carrier TEXT NOT NULL,
                        occurred_at_ms INTEGER NOT NULL,
                        stage TEXT,
                        text TEXT NOT NULL,
                        area TEXT,
                        UNIQUE (tracking_number, occurred_at_ms, text)
                    );

                    -- Parcels to follow, from fulfilments with a tracking number.
                    CREATE TABLE tracking_subscription (
                        tracking_number TEXT PRIMARY KEY,
                        carrier_name TEXT,
                        state TEXT NOT NULL DEFAULT 'pending',
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at DATETIME NOT NULL,
                        last_error TEXT,
                        stage TEXT,
                        created_at DATETIME NOT NULL,
                        updated_at DATETIME NOT NULL
                    );
                    CREATE INDEX tracking_subscription_due ON tracking_subscription (state, next_attempt_at);
                    """)
        }
        migrator.registerMigration("v6 mail threading") { db in
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
        migrator.registerMigration("v7 mail participants") { db in
            // Everyone a customer's mail went to (To and Cc), space-separated: a cc'd colleague
            // answering joins the conversation, a stranger does not.
            try db.execute(sql: "ALTER TABLE mail_envelope ADD COLUMN recipients TEXT NOT NULL DEFAULT ''")
        }
        migrator.registerMigration("v8 staged processing, event log, outbound webhooks, subjects") { db in
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
        return migrator
    }
}
