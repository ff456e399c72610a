import GRDB

extension HubMigrations {
    /// `v5 parcel tracking`.
    static func v5ParcelTracking(_ db: Database) throws {
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
}
