import GRDB

extension HubMigrations {
    /// `v4 orders, fulfilments, sync state`.
    static func v4OrdersFulfilmentsSyncState(_ db: Database) throws {
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
}
