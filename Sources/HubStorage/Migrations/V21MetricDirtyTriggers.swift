import GRDB

extension HubMigrations {
    /// `v21 metric dirty triggers`: a changed hour of facts marks itself for the rollups to be
    /// redone, inside SQLite, rather than by one more statement from each writer of facts (the
    /// ingest path writes one per message). Not `INSERT OR IGNORE`: inside a trigger the firing
    /// statement's conflict policy would override it.
    static func v21MetricDirtyTriggers(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TRIGGER metric_hour_inserted AFTER INSERT ON metric_hour BEGIN
                    INSERT INTO metric_dirty (hour) SELECT NEW.hour WHERE NOT EXISTS (SELECT 1 FROM metric_dirty WHERE hour = NEW.hour);
                END;
                CREATE TRIGGER metric_hour_updated AFTER UPDATE ON metric_hour BEGIN
                    INSERT INTO metric_dirty (hour) SELECT NEW.hour WHERE NOT EXISTS (SELECT 1 FROM metric_dirty WHERE hour = NEW.hour);
                END;
                """)
    }
}
