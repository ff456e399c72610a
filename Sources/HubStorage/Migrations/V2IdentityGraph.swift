import GRDB

extension HubMigrations {
    /// `v2 identity graph: roots, merges, proposals, attributes`.
    static func v2IdentityGraph(_ db: Database) throws {
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
}
