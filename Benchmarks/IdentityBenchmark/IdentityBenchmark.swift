import Foundation
import GRDB
import HubCore
import HubStorage

// Identity graph at scale: imports 100,000 customers with 300,000 identifiers through
// the real CSV import, adds 1,000,000 timeline events, merges and undoes, and reads
// timelines. Prints figures; asserts nothing. Usage: identity-bench [customers] [events]

@main @MainActor
struct IdentityBenchmark {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func percentiles(_ values: [Double]) -> String {
        let sorted = values.sorted()
        func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
        return String(format: "p50 %.3f ms  p99 %.3f ms  (n=%d)", at(0.5), at(0.99), sorted.count)
    }

    static func measure(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        return seconds(ContinuousClock.now - start)
    }

    static func main() async throws {
        let arguments = CommandLine.arguments
        let customerCount = arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000
        let eventCount = arguments.count > 2 ? Int(arguments[2]) ?? 1_000_000 : 1_000_000
        let groups = customerCount / 100  // groups of four customers merged into one
        let samples = 2_000

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("identity-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try HubDatabase.open(path: directory.appendingPathComponent("hub.sqlite").path)
        let policy = IdentityPolicy(IdentitySettings(defaultRegion: "CN"))
        print("identity benchmark: \(customerCount) customers, \(eventCount) timeline events, SQLite WAL synchronous=FULL")

        // 1. A CRM export: name, email, phone, id — three identifiers a row.
        var csv = "name,email,phone,external_id\n"
        csv.reserveCapacity(customerCount * 64)
        for index in 0..<customerCount {
            csv += "Customer \(index),c\(index)@example.com,+86 139 \(String(format: "%08d", index)),\(index)\n"
        }
        var parsed: CustomerCSV.Parsed?
        let parseTime = try await measure {
            parsed = try CustomerCSV.parse(csv, normaliser: policy.normaliser, source: "crm", verified: true)
        }
        var summary = CustomerImporter.Summary()
        let importTime = try await measure {
            summary = try CustomerImporter(database: database, policy: policy).importRows(parsed!.rows, source: "import:bench.csv")
        }
        let identities = try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM identity") ?? 0 }
        print(
            String(
                format:
                    "import: %d rows (%d identifiers) parsed in %.2f s, imported in %.2f s: %.0f customers/s, %.0f identifiers/s; created %d",
                summary.rows, identities, parseTime, importTime, Double(summary.rows) / importTime, Double(identities) / importTime,
                summary.created))

        // 2. Timeline events spread over a year, inserted in bulk.
        var generator = SystemRandomNumberGenerator()
        let yearStart: Int64 = 1_767_225_600_000
        let insertTime = try await measure {
            try await database.writer.write { db in
                var generator = SystemRandomNumberGenerator()
                let statement = try db.makeStatement(
                    sql: """
                        INSERT INTO timeline_event (customer_id, root_id, channel_id, kind, occurred_at_ms, summary)
                        VALUES (?1, ?1, ?2, 'note', ?3, ?4)
                        """)
                let channels = ["web", "mail", "sms", "wechat", "shop"]
                for index in 0..<eventCount {
                    let customer = Int64(index % customerCount) + 1
                    let at = yearStart + Int64.random(in: 0..<31_536_000_000, using: &generator)
                    try statement.execute(arguments: [customer, channels[index % channels.count], at, "event \(index)"])
                }
            }
        }
        print(String(format: "events: %d inserted in %.2f s (%.0f/s)", eventCount, insertTime, Double(eventCount) / insertTime))

        // 3. Merge groups of four customers into one: three merges each.
        let graph = IdentityGraphStore(database: database)
        var shuffled = Array(Int64(1)...Int64(customerCount))
        shuffled.shuffle(using: &generator)
        var mergeTimes: [Double] = []
        var mergeIDs: [Int64] = []
        var mergedRoots: [Int64] = []
        for group in 0..<groups {
            let members = Array(shuffled[(group * 4)..<(group * 4 + 4)])
            for other in members.dropFirst() {
                var outcome: MergeOutcome?
                mergeTimes.append(
                    try await measure {
                        outcome = try await graph.merge(members[0], with: other, actor: "bench", reason: nil, now: Date())
                    })
                if let id = outcome?.merge?.id { mergeIDs.append(id) }
            }
            mergedRoots.append(members[0])
        }
        print("merge (customers of ~\(eventCount / customerCount) events into a growing group): \(percentiles(mergeTimes))")
        let unmerged = Array(shuffled[(groups * 4)...])

        // 4. Timeline reads: the newest 50 events, against a plain indexed query measured in the same run.
        let customers = CustomerStore(database: database)
        let plain = PlainReads(database: database)
        var results: [String: [Double]] = [:]
        for round in 0..<samples {
            let single = unmerged.randomElement(using: &generator)!
            let merged = mergedRoots.randomElement(using: &generator)!
            // A merged-away id: reads must answer with the survivor's timeline.
            let absorbed = shuffled[Int.random(in: 0..<groups, using: &generator) * 4 + 1 + round % 3]
            results["floor: plain query, one customer_id", default: []].append(
                try await measure { try await plain.newest(column: "customer_id", key: single) })
            results["floor: plain query, one root_id (merged, ~40 rows)", default: []].append(
                try await measure { try await plain.newest(column: "root_id", key: merged) })
            results["store.timeline, not merged", default: []].append(
                try await measure { _ = try await customers.timeline(customerID: single, limit: 50, before: nil) })
            results["store.timeline, merged 3 times", default: []].append(
                try await measure { _ = try await customers.timeline(customerID: merged, limit: 50, before: nil) })
            results["store.timeline, by a merged-away id", default: []].append(
                try await measure { _ = try await customers.timeline(customerID: absorbed, limit: 50, before: nil) })
            results["naive: customer_id IN group (no root column)", default: []].append(
                try await measure { try await plain.newestWithoutRootColumn(root: merged) })
        }
        func p50(_ key: String) -> Double { results[key]!.sorted()[results[key]!.count / 2] }
        for key in results.keys.sorted() { print("read \(key): \(percentiles(results[key]!))") }
        print(
            String(
                format: "ratio merged store read / plain one-key query of the same rows (p50): %.2f; not merged: %.2f",
                p50("store.timeline, merged 3 times") / p50("floor: plain query, one root_id (merged, ~40 rows)"),
                p50("store.timeline, not merged") / p50("floor: plain query, one customer_id")))

        // 5. Undo a third of the merges, in random order (inner and outer ones alike).
        var undoTimes: [Double] = []
        for id in mergeIDs.shuffled(using: &generator).prefix(mergeIDs.count / 3) {
            undoTimes.append(try await measure { _ = try await graph.undo(mergeID: id, actor: "bench", now: Date()) })
        }
        print("undo: \(percentiles(undoTimes))")
        let size = (try? FileManager.default.attributesOfItem(atPath: database.path)[.size] as? Int) ?? 0
        print(String(format: "database file: %.1f MB", Double(size) / 1_048_576))
    }
}

/// The floor: plain indexed queries, called like the store is (a nonisolated async
/// method reading from the pool), so that both pay the same executor hops.
struct PlainReads: Sendable {
    let database: HubDatabase

    func newest(column: String, key: Int64) async throws {
        _ = try await database.writer.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, customer_id, channel_id, kind, occurred_at_ms, conversation_id, message_id, summary FROM timeline_event
                        WHERE \(column) = ? ORDER BY occurred_at_ms DESC, id DESC LIMIT 50
                        """), arguments: [key])
        }
    }

    /// What a merged read would cost without the denormalised root column.
    func newestWithoutRootColumn(root: Int64) async throws {
        _ = try await database.writer.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, customer_id, channel_id, kind, occurred_at_ms, conversation_id, message_id, summary FROM timeline_event
                        WHERE customer_id IN (SELECT id FROM customer WHERE root_id = ?) ORDER BY occurred_at_ms DESC, id DESC LIMIT 50
                        """), arguments: [root])
        }
    }
}
