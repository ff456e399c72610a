import GRDB

extension HubMigrations {
    /// `v17 the data key's check value`: a known text sealed with the data key, so that a start
    /// with another key is refused before any secret is read with it.
    static func v17DataKeyCheck(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE data_key_check (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    sealed TEXT NOT NULL,
                    updated_at DATETIME NOT NULL
                );
                """)
    }
}
