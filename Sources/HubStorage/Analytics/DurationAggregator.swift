package import Foundation
import GRDB
import HubCore

/// Folds raw response and resolution durations into their hour's bucket and histogram, in wall-clock
/// and business time (the calendar is the caller's: storage knows no calendar), a page at a time.
package struct DurationAggregator: Sendable {
    let database: HubDatabase
    /// Business seconds between two instants; wall-clock seconds when the hub has no calendar.
    let businessSeconds: @Sendable (Date, Date) -> TimeInterval

    package init(database: HubDatabase, businessSeconds: @escaping @Sendable (Date, Date) -> TimeInterval) {
        self.database = database
        self.businessSeconds = businessSeconds
    }

    package var bell: EventBell { database.events }

    /// One pass: folds waiting durations, then redoes the dirty hours' rollups. Each is a write
    /// transaction only when a read finds work for it. Returns whether a page limit was reached
    /// (there may be more).
    package func pass(durations: Int = 500, hours: Int = 200) async throws -> Bool {
        let (waitingDurations, dirtyHours) = try await database.writer.read { db in
            (
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM metric_duration WHERE aggregated = 0)") ?? false,
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM metric_dirty)") ?? false
            )
        }
        let folded = waitingDurations ? try await step(limit: durations) : 0
        let rolled = dirtyHours || folded > 0 ? try await rollUp(limit: hours) : 0
        return folded == durations || rolled == hours
    }

    /// Aggregates up to `limit` waiting durations; returns how many.
    package func step(limit: Int = 500) async throws -> Int {
        let businessSeconds = businessSeconds
        return try await database.writer.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, measure, started_at_ms, ended_at_ms, channel, team, agent, intent, queue FROM metric_duration
                    WHERE aggregated = 0 ORDER BY id LIMIT ?
                    """, arguments: [limit])
            for row in rows {
                let startMilliseconds: Int64 = row["started_at_ms"]
                let endMilliseconds: Int64 = row["ended_at_ms"]
                let start = Date(timeIntervalSince1970: Double(startMilliseconds) / 1000)
                let end = Date(timeIntervalSince1970: Double(endMilliseconds) / 1000)
                let wall = Double(endMilliseconds - startMilliseconds) / 1000
                let business = min(wall, max(0, businessSeconds(start, end)))
                let measure: String = row["measure"]
                let dimensions: [any DatabaseValueConvertible] = [
                    row["channel"] as String, row["team"] as String, row["agent"] as String, row["intent"] as String,
                    row["queue"] as String,
                ]
                let hour = MetricFacts.hour(end)
                try db.cachedStatement(
                    sql: """
                        INSERT INTO metric_hour (measure, hour, channel, team, agent, intent, queue, count, sum_ms, business_ms)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
                        ON CONFLICT (measure, hour, channel, team, agent, intent, queue) DO UPDATE SET
                            count = count + 1, sum_ms = sum_ms + excluded.sum_ms, business_ms = business_ms + excluded.business_ms
                        """
                ).execute(arguments: StatementArguments([measure, hour] + dimensions + [Int64(wall * 1000), Int64(business * 1000)]))
                for (clock, seconds) in [("wall", wall), ("business", business)] {
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO metric_histogram (measure, hour, clock, bucket, channel, team, agent, intent, queue, count)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                            ON CONFLICT (measure, hour, clock, bucket, channel, team, agent, intent, queue) DO UPDATE SET count = count + 1
                            """
                    ).execute(
                        arguments: StatementArguments([measure, hour, clock, DurationBuckets.bucket(seconds: seconds)] + dimensions))
                }
                try db.cachedStatement(sql: "UPDATE metric_duration SET aggregated = 1 WHERE id = ?").execute(arguments: [row["id"]])
            }
            return rows.count
        }
    }

    /// Redoes the rollups of every hour whose facts changed, and of their days.
    package func rollUp(limit: Int = 200) async throws -> Int {
        try await database.writer.write { db in try MetricRollup.redoDirty(in: db, limit: limit) }
    }
}
