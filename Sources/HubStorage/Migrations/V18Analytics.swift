import GRDB

extension HubMigrations {
    /// `v18 analytics`: pre-aggregated metric facts by UTC hour and by channel, team, agent and
    /// intent, written in the transaction of the change that causes them; response and resolution
    /// times as raw durations first (aggregated, with their business time, within a second); and
    /// each conversation's current response cycle.
    static func v18Analytics(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE metric_hour (
                    measure TEXT NOT NULL,
                    -- hours since 1970-01-01T00:00Z
                    hour INTEGER NOT NULL,
                    channel TEXT NOT NULL,
                    team TEXT NOT NULL,
                    agent TEXT NOT NULL,
                    intent TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    sum_ms INTEGER NOT NULL DEFAULT 0,
                    business_ms INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (measure, hour, channel, team, agent, intent)
                ) WITHOUT ROWID;
                CREATE TABLE metric_histogram (
                    measure TEXT NOT NULL,
                    hour INTEGER NOT NULL,
                    channel TEXT NOT NULL,
                    team TEXT NOT NULL,
                    agent TEXT NOT NULL,
                    intent TEXT NOT NULL,
                    -- 'wall' or 'business'
                    clock TEXT NOT NULL,
                    bucket INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (measure, hour, clock, bucket, channel, team, agent, intent)
                ) WITHOUT ROWID;
                CREATE TABLE metric_duration (
                    id INTEGER PRIMARY KEY,
                    measure TEXT NOT NULL,
                    conversation_id INTEGER NOT NULL,
                    started_at_ms INTEGER NOT NULL,
                    ended_at_ms INTEGER NOT NULL,
                    channel TEXT NOT NULL,
                    team TEXT NOT NULL,
                    agent TEXT NOT NULL,
                    intent TEXT NOT NULL,
                    aggregated BOOLEAN NOT NULL DEFAULT 0
                );
                CREATE INDEX metric_duration_waiting ON metric_duration (id) WHERE aggregated = 0;
                -- The response cycle: from the first customer message people must answer (after a
                -- hand-off, or after a reopen) to the first human reply, and on to the resolution.
                ALTER TABLE conversation ADD COLUMN cycle_started_at_ms INTEGER;
                ALTER TABLE conversation ADD COLUMN cycle_responded BOOLEAN NOT NULL DEFAULT 0;
                """)
    }
}
