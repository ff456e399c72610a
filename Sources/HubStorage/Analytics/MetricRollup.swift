import GRDB

/// Rollups of the hour facts per single dimension, by hour and by UTC day: what reports read.
/// An hour's rollup is recomputed whole from its facts (so a late fact is never counted twice),
/// then its day's from the day's hours.
enum MetricRollup {
    static let dimensions = ["channel", "team", "agent", "intent", "queue"]
    /// Every measure facts are kept for: listed so that an hour's rows are read through the key.
    static let measures = [
        "conversations", "bot_conversations", "messages_in", "messages_out", "bot_answers", "bot_handoffs", "resolved", "bot_contained",
        "first_response", "resolution", "agent_load",
    ]
    static let measureList = measures.map { "'\($0)'" }.joined(separator: ", ")
    /// Every rollup's key begins with measure, grain and dimension: naming them all lets SQLite
    /// seek instead of scanning the table.
    static let keyPrefix =
        "measure IN (\(measureList)) AND dimension IN ('channel', 'team', 'agent', 'intent', 'queue', 'all')"
    static let histogramKeyPrefix =
        "measure IN ('first_response', 'resolution') AND clock IN ('wall', 'business') AND dimension IN ('channel', 'team', 'agent', 'intent', 'queue', 'all')"

    /// Redoes every dirty hour and its day; returns how many hours.
    static func redoDirty(in db: Database, limit: Int = 200) throws -> Int {
        let hours = try Int64.fetchAll(db, sql: "SELECT hour FROM metric_dirty ORDER BY hour LIMIT ?", arguments: [limit])
        var days = Set<Int64>()
        for hour in hours {
            try redo(hour: hour, in: db)
            days.insert(hour >= 0 ? hour / 24 : (hour - 23) / 24)
            try db.execute(sql: "DELETE FROM metric_dirty WHERE hour = ?", arguments: [hour])
        }
        for day in days { try redo(day: day, in: db) }
        return hours.count
    }

    static func redo(hour: Int64, in db: Database) throws {
        try db.execute(sql: "DELETE FROM metric_rollup WHERE \(keyPrefix) AND grain = 'hour' AND bucket = ?", arguments: [hour])
        try db.execute(
            sql: "DELETE FROM metric_rollup_histogram WHERE \(histogramKeyPrefix) AND grain = 'hour' AND bucket = ?", arguments: [hour])
        for (dimension, column) in dimensions.map({ ($0, $0) }) + [("all", "''")] {
            try db.execute(
                sql: """
                    INSERT INTO metric_rollup (measure, grain, dimension, value, bucket, count, sum_ms, business_ms)
                    SELECT measure, 'hour', ?, \(column), hour, SUM(count), SUM(sum_ms), SUM(business_ms)
                    FROM metric_hour WHERE measure IN (\(measureList)) AND hour = ? GROUP BY measure, \(column)
                    """, arguments: [dimension, hour])
            try db.execute(
                sql: """
                    INSERT INTO metric_rollup_histogram (measure, grain, dimension, value, bucket, clock, slot, count)
                    SELECT measure, 'hour', ?, \(column), hour, clock, bucket, SUM(count)
                    FROM metric_histogram WHERE measure IN ('first_response', 'resolution') AND hour = ? GROUP BY measure, clock, bucket, \(column)
                    """, arguments: [dimension, hour])
        }
    }

    static func redo(day: Int64, in db: Database) throws {
        try db.execute(sql: "DELETE FROM metric_rollup WHERE \(keyPrefix) AND grain = 'day' AND bucket = ?", arguments: [day])
        try db.execute(
            sql: "DELETE FROM metric_rollup_histogram WHERE \(histogramKeyPrefix) AND grain = 'day' AND bucket = ?", arguments: [day])
        try db.execute(
            sql: """
                INSERT INTO metric_rollup (measure, grain, dimension, value, bucket, count, sum_ms, business_ms)
                SELECT measure, 'day', dimension, value, ?1, SUM(count), SUM(sum_ms), SUM(business_ms) FROM metric_rollup
                WHERE \(keyPrefix) AND grain = 'hour' AND bucket >= ?1 * 24 AND bucket < ?1 * 24 + 24
                GROUP BY measure, dimension, value
                """, arguments: [day])
        try db.execute(
            sql: """
                INSERT INTO metric_rollup_histogram (measure, grain, dimension, value, bucket, clock, slot, count)
                SELECT measure, 'day', dimension, value, ?1, clock, slot, SUM(count) FROM metric_rollup_histogram
                WHERE \(histogramKeyPrefix) AND grain = 'hour' AND bucket >= ?1 * 24 AND bucket < ?1 * 24 + 24
                GROUP BY measure, clock, dimension, value, slot
                """, arguments: [day])
    }
}
