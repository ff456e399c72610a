import GRDB

extension HubMigrations {
    /// `v20 analytics queue`: the queue a conversation waits in becomes a fifth dimension of the
    /// facts. The hour tables are rebuilt with it in their key; earlier facts have no queue (`''`)
    /// and their hours are marked for the rollups to be redone with it.
    static func v20AnalyticsQueue(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE metric_hour_v20 (
                    measure TEXT NOT NULL,
                    hour INTEGER NOT NULL,
                    channel TEXT NOT NULL,
                    team TEXT NOT NULL,
                    agent TEXT NOT NULL,
                    intent TEXT NOT NULL,
                    queue TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    sum_ms INTEGER NOT NULL DEFAULT 0,
                    business_ms INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (measure, hour, channel, team, agent, intent, queue)
                ) WITHOUT ROWID;
                INSERT INTO metric_hour_v20
                    SELECT measure, hour, channel, team, agent, intent, '', count, sum_ms, business_ms FROM metric_hour;
                DROP TABLE metric_hour;
                ALTER TABLE metric_hour_v20 RENAME TO metric_hour;
                CREATE TABLE metric_histogram_v20 (
                    measure TEXT NOT NULL,
                    hour INTEGER NOT NULL,
                    channel TEXT NOT NULL,
                    team TEXT NOT NULL,
                    agent TEXT NOT NULL,
                    intent TEXT NOT NULL,
                    queue TEXT NOT NULL,
                    clock TEXT NOT NULL,
                    bucket INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (measure, hour, clock, bucket, channel, team, agent, intent, queue)
                ) WITHOUT ROWID;
                INSERT INTO metric_histogram_v20
                    SELECT measure, hour, channel, team, agent, intent, '', clock, bucket, count FROM metric_histogram;
                DROP TABLE metric_histogram;
                ALTER TABLE metric_histogram_v20 RENAME TO metric_histogram;
                ALTER TABLE metric_duration ADD COLUMN queue TEXT NOT NULL DEFAULT '';
                -- The rollups gain a queue dimension: every hour is redone (in the background, a page at a time).
                INSERT OR IGNORE INTO metric_dirty (hour) SELECT DISTINCT hour FROM metric_hour;
                """)
    }
}
