import GRDB

extension HubMigrations {
    /// `v19 analytics rollups`: the hour facts summed per single dimension (channel, team, agent,
    /// intent, or `all`), by hour and by UTC day, so that a report reads a few thousand rows
    /// instead of every combination; and the hours whose facts changed since they were rolled up.
    static func v19AnalyticsRollups(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE metric_rollup (
                    measure TEXT NOT NULL,
                    -- 'hour' (hours since the epoch) or 'day' (UTC days since the epoch)
                    grain TEXT NOT NULL,
                    dimension TEXT NOT NULL,
                    value TEXT NOT NULL,
                    bucket INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    sum_ms INTEGER NOT NULL,
                    business_ms INTEGER NOT NULL,
                    PRIMARY KEY (measure, grain, dimension, bucket, value)
                ) WITHOUT ROWID;
                CREATE TABLE metric_rollup_histogram (
                    measure TEXT NOT NULL,
                    grain TEXT NOT NULL,
                    dimension TEXT NOT NULL,
                    value TEXT NOT NULL,
                    bucket INTEGER NOT NULL,
                    clock TEXT NOT NULL,
                    slot INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (measure, clock, grain, dimension, bucket, value, slot)
                ) WITHOUT ROWID;
                CREATE TABLE metric_dirty (hour INTEGER PRIMARY KEY);
                """)
    }
}
