import GRDB

extension HubMigrations {
    /// `v15 the audit trail`.
    static func v15Audit(_ db: Database) throws {
        try db.execute(
            sql: """
                -- Who did what, when, from where, with what outcome. Append-only: each row carries the
                -- SHA-256 of the previous row's hash and its own content (HubCore's AuditChain).
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY,
                    at_ms INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT,
                    outcome TEXT NOT NULL,
                    source_ip TEXT,
                    detail TEXT,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE INDEX audit_actor ON audit (actor, at_ms);
                CREATE INDEX audit_action ON audit (action, at_ms);
                -- The chain's ends: the newest row's hash (deleting rows from the end shows), and the
                -- hash and id that pruning kept of the rows it removed.
                CREATE TABLE audit_chain (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    head_id INTEGER NOT NULL,
                    head_hash TEXT NOT NULL,
                    anchor_id INTEGER NOT NULL,
                    anchor_hash TEXT NOT NULL
                );
                """)
    }
}
