import GRDB

extension HubMigrations {
    /// `v14 cc on a mail reply`.
    static func v14ReplyCc(_ db: Database) throws {
        try db.execute(
            sql: """
                -- Addresses an agent copied on a mail reply, space-separated; the send puts them in Cc
                -- and in the envelope. NULL for every other reply.
                ALTER TABLE outbox ADD COLUMN cc TEXT;
                """)
    }
}
