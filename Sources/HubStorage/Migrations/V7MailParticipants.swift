import GRDB

extension HubMigrations {
    /// `v7 mail participants`.
    static func v7MailParticipants(_ db: Database) throws {
        // Everyone a customer's mail went to (To and Cc), space-separated: a cc'd colleague
        // answering joins the conversation, a stranger does not.
        try db.execute(sql: "ALTER TABLE mail_envelope ADD COLUMN recipients TEXT NOT NULL DEFAULT ''")
    }
}
