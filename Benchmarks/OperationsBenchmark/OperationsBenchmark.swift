import Foundation
import GRDB
import HubCore
import HubStorage

// Operations at scale, on a real SQLite file:
// 1. reports over two years of facts for 10 M messages in 1 M conversations (6 channels, 3 teams,
//    50 agents, 14 intents; 10 messages, a first response and a resolution per conversation),
//    written in the shape MetricFacts and DurationAggregator write them: the p50/p95 of a 30-day
//    report by channel and by agent, and of a 2-year report by day;
// 2. `audit verify` over N audit rows chained as the hub chains them;
// 3. a backup of that database with SQLite's backup API.
// Prints figures; asserts nothing. Usage: ops-bench [conversations=1000000] [audit rows=10000000]

@main
struct OperationsBenchmark {
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func percentiles(_ values: [Double]) -> String {
        let sorted = values.sorted()
        func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
        return String(format: "p50 %.1f ms  p95 %.1f ms  max %.1f ms  (n=%d)", at(0.5), at(0.95), sorted.last! * 1000, sorted.count)
    }

    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
        let conversations = arguments.first ?? 1_000_000
        let auditRows = arguments.dropFirst().first ?? 10_000_000
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ops-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("hub.sqlite").path
        let database = try HubDatabase.open(path: path)
        print(
            "ops-bench: \(conversations) conversations (\(conversations * 10) messages) over 2 years, \(auditRows) audit rows, \(ProcessInfo.processInfo.activeProcessorCount) cores"
        )

        // 1. Facts.
        var started = ContinuousClock.now
        let hours = 2 * 8_760
        let end = Date()
        let firstHour = Int64(end.timeIntervalSince1970 / 3600) - Int64(hours)
        var random = SystemRandomNumberGenerator()
        let channels = ["web", "wx", "sms", "telegram", "shop", "mail"]
        let teams = ["cn", "en", "vip"]
        let intents = [
            "order_status", "logistics_tracking", "refund_return", "cancel_order", "change_address", "product_question", "payment_issue",
            "coupon_promotion", "complaint", "account_login", "invoice", "human_agent", "greeting", "other",
        ]
        let perHour = Double(conversations) / Double(hours)
        var written = 0
        var hour = 0
        while hour < hours {
            let batchEnd = min(hours, hour + 24 * 7)
            let batchStart = hour
            written += try await database.writer.write { db -> Int in
                var random = SystemRandomNumberGenerator()
                var inserted = 0
                let count = try db.cachedStatement(
                    sql: """
                        INSERT INTO metric_hour (measure, hour, channel, team, agent, intent, queue, count, sum_ms, business_ms)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (measure, hour, channel, team, agent, intent, queue) DO UPDATE SET count = count + excluded.count,
                            sum_ms = sum_ms + excluded.sum_ms, business_ms = business_ms + excluded.business_ms
                        """)
                let histogram = try db.cachedStatement(
                    sql: """
                        INSERT INTO metric_histogram (measure, hour, clock, bucket, channel, team, agent, intent, queue, count)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                        ON CONFLICT (measure, hour, clock, bucket, channel, team, agent, intent, queue) DO UPDATE SET count = count + 1
                        """)
                for h in batchStart..<batchEnd {
                    let bucketHour = firstHour + Int64(h)
                    try db.execute(sql: "INSERT OR IGNORE INTO metric_dirty (hour) VALUES (?)", arguments: [bucketHour])
                    let n = Int(perHour) + (Double.random(in: 0..<1, using: &random) < perHour - Double(Int(perHour)) ? 1 : 0)
                    for _ in 0..<n {
                        // A queue per team and language, as routing makes them.
                        let team = teams.randomElement(using: &random)!
                        let dims: [any DatabaseValueConvertible] = [
                            channels.randomElement(using: &random)!, team, String(Int.random(in: 1...50, using: &random)),
                            intents.randomElement(using: &random)!, "\(team)-\(["zh", "en"].randomElement(using: &random)!)",
                        ]
                        for (measure, amount) in [("conversations", 1), ("messages_in", 6), ("messages_out", 4), ("resolved", 1)] {
                            try count.execute(arguments: StatementArguments([measure, bucketHour] + dims + [amount, 0, 0]))
                        }
                        for measure in ["first_response", "resolution"] {
                            let wall = Double.random(in: 5...(measure == "first_response" ? 7_200 : 172_800), using: &random)
                            let business = wall * Double.random(in: 0.3...1, using: &random)
                            try count.execute(
                                arguments: StatementArguments(
                                    [measure, bucketHour] + dims + [1, Int64(wall * 1000), Int64(business * 1000)]))
                            for (clock, value) in [("wall", wall), ("business", business)] {
                                try histogram.execute(
                                    arguments: StatementArguments(
                                        [measure, bucketHour, clock, DurationBuckets.bucket(seconds: value)] + dims))
                            }
                        }
                        inserted += 1
                    }
                }
                return inserted
            }
            hour = batchEnd
        }
        let factRows = try await database.writer.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metric_hour") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metric_histogram") ?? 0
            )
        }
        print(
            String(
                format: "facts: %d conversations written in %.1f s: %d hour rows, %d histogram rows", written, seconds(since: started),
                factRows.0, factRows.1))

        started = ContinuousClock.now
        let aggregator = DurationAggregator(database: database) { start, end in end.timeIntervalSince(start) * 0.4 }
        var rolled = 0
        while true {
            let hours = try await aggregator.rollUp()
            if hours == 0 { break }
            rolled += hours
        }
        let rollupRows = try await database.writer.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metric_rollup") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metric_rollup_histogram") ?? 0
            )
        }
        print(
            String(
                format: "rollups: %d hours rolled up in %.1f s (%.1f ms an hour): %d rows, %d histogram rows", rolled,
                seconds(since: started),
                seconds(since: started) * 1000 / Double(max(rolled, 1)), rollupRows.0, rollupRows.1))
        let reports = ReportStore(database: database)
        let utc = TimeZone(identifier: "UTC")!
        for (label, name, grouping, days, runs) in [
            ("30-day volume by channel", ReportName.volume, ReportGrouping.channel, 30, 200),
            ("30-day first response by agent", .firstResponse, .agent, 30, 200),
            ("30-day resolution by channel", .resolution, .channel, 30, 100),
            ("2-year volume by day (Asia/Shanghai)", .volume, .day, 729, 20),
            ("2-year first response by channel", .firstResponse, .channel, 729, 20),
        ] {
            var timings: [Double] = []
            var rows = 0
            for _ in 0..<runs {
                let offset = days >= 700 ? 0 : Double(Int.random(in: 0..<(729 - days), using: &random)) * 86_400
                let to = end.addingTimeInterval(-offset)
                let request = try ReportRequest(
                    name: name, from: to.addingTimeInterval(-Double(days) * 86_400), to: to, grouping: grouping,
                    timeZone: grouping == .day ? TimeZone(identifier: "Asia/Shanghai")! : utc)
                let start = ContinuousClock.now
                rows = try await reports.answer(request).rows.count
                timings.append(seconds(since: start))
            }
            print("report \(label): \(rows) rows; \(percentiles(timings))")
        }

        guard auditRows > 0 else { return }
        // 2. The audit chain.
        started = ContinuousClock.now
        var previous = AuditChain.genesis
        var id: Int64 = 0
        let base = Int64(end.timeIntervalSince1970 * 1000) - 400 * 86_400_000
        while id < Int64(auditRows) {
            let batch = min(Int64(auditRows) - id, 100_000)
            previous = try await database.writer.write { [previous, id] db in
                var hash = previous
                let insert = try db.cachedStatement(
                    sql:
                        "INSERT INTO audit (id, at_ms, actor, action, target, outcome, source_ip, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                )
                for offset in 1...batch {
                    let rowID = id + offset
                    let at = base + rowID * 3
                    let entry = AuditEntry(
                        at: Date(timeIntervalSince1970: Double(at) / 1000), actor: "agent:\(rowID % 50 + 1)", action: "conversation.claim",
                        target: "conversation:\(rowID)", sourceIP: "10.0.\(rowID % 255).\(rowID % 251)")
                    let next = AuditChain.hash(previous: hash, id: rowID, entry, atMilliseconds: at)
                    try insert.execute(arguments: [
                        rowID, at, entry.actor, entry.action, entry.target, "ok", entry.sourceIP, nil, hash, next,
                    ])
                    hash = next
                }
                try db.execute(
                    sql: """
                        INSERT INTO audit_chain (singleton, head_id, head_hash, anchor_id, anchor_hash) VALUES (1, ?1, ?2, 0, ?3)
                        ON CONFLICT (singleton) DO UPDATE SET head_id = ?1, head_hash = ?2
                        """, arguments: [id + batch, hash, AuditChain.genesis])
                return hash
            }
            id += batch
        }
        print(String(format: "audit: %d rows chained and written in %.1f s", auditRows, seconds(since: started)))
        started = ContinuousClock.now
        let verdict = try await AuditStore(database: database).verify()
        print(String(format: "audit verify: %@ in %.1f s", "\(verdict)", seconds(since: started)))

        // 3. Backup.
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        started = ContinuousClock.now
        let summary = try DatabaseCopy.backup(from: path, to: directory.appendingPathComponent("backup.sqlite").path)
        print(
            String(
                format: "backup: %.0f MB database copied in %.1f s (%.0f MB/s), %d audit rows in the copy", Double(size) / 1e6,
                seconds(since: started), Double(size) / 1e6 / seconds(since: started), summary.auditRows))
    }
}
