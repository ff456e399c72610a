import GRDB

extension HubMigrations {
    /// `v16 erased customers`: when a customer was anonymised (`tributary customers erase`).
    static func v16Erasure(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE customer ADD COLUMN erased_at DATETIME")
    }
}
