import Foundation
import GRDB
import HubCore
import HubStorage

// SLA clocks at scale: 100,000 open tickets under 10 policies and 3 calendars (split shifts with
// holidays and 调休, a US calendar across DST, round the clock). Measures the SLA service's pass
// (the first one recomputes every clock, as after a start; then steady passes), peak memory, the
// time from due moments to their breach events with the service ticking every second, and the
// ticket list with filters. Prints figures; asserts nothing. Usage: sla-bench [tickets]

@main
struct SLABenchmark {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func percentiles(_ values: [Double], unit: String = "ms", scale: Double = 1000) -> String {
        let sorted = values.sorted()
        func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * scale }
        return String(format: "p50 %.2f %@  p99 %.2f %@  max %.2f %@  (n=%d)", at(0.5), unit, at(0.99), unit, sorted.last! * scale, unit, sorted.count)
    }

    static func peakMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func calendars() -> [BusinessCalendar] {
        let office: [BusinessCalendar.Period] = [.init(start: 540, end: 720), .init(start: 810, end: 1080)]
        let china = BusinessCalendar(
            id: "cn-office", timeZone: "Asia/Shanghai", weekly: [1: office, 2: office, 3: office, 4: office, 5: office, 6: [.init(start: 600, end: 960)]],
            holidays: Set((1...7).map { "2026-10-0\($0)" } + ["2026-12-25"]), workingDays: ["2026-09-20", "2026-10-10"])
        let us = BusinessCalendar(
            id: "us-support", timeZone: "America/New_York", weekly: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, [BusinessCalendar.Period(start: 540, end: 1020)]) }),
            holidays: ["2026-11-26", "2026-12-25"])
        var always = BusinessCalendar.aroundTheClock
        always.id = "always"
        return [china, us, always]
    }

    static func policies() -> [SLAPolicy] {
        let calendars = ["cn-office", "us-support", "always"]
        var policies: [SLAPolicy] = [
            // The breach-latency probe: round the clock, a one-minute first response.
            SLAPolicy(id: "probe", calendar: "always", match: SLAMatch(channels: ["probe"]), targets: [.firstResponse: 60], warning: .before(seconds: 20))
        ]
        let priorities: [ConversationPriority] = [.urgent, .high, .normal, .low]
        let types: [TicketType] = [.complaint, .afterSales]
        for (index, priority) in priorities.enumerated() {
            for (offset, type) in types.enumerated() where policies.count < 9 {
                policies.append(
                    SLAPolicy(
                        id: "\(priority.rawValue)-\(type.rawValue)", calendar: calendars[(index + offset) % 3],
                        match: SLAMatch(priorities: [priority], types: [type]),
                        targets: [.firstResponse: 1_800 * (index + 1), .nextResponse: 3_600 * (index + 1), .resolution: 28_800 * (index + 1)],
                        warning: index % 2 == 0 ? .before(seconds: 600) : .share(0.8)))
            }
        }
        policies.append(
            SLAPolicy(id: "default", calendar: "cn-office", targets: [.firstResponse: 14_400, .nextResponse: 14_400, .resolution: 144_000], warning: .share(0.8)))
        return policies
    }

    static func main() async throws {
        let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 100_000 : 100_000
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sla-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try HubDatabase.open(path: directory.appendingPathComponent("hub.sqlite").path)
        var settings = TicketSettings()
        settings.policies = policies()
        let setup = SLASetup(settings: settings, calendars: calendars())
        let store = TicketStore(database: database, setup: setup, teams: ["care", "returns", "vip"])
        print("SLA benchmark: \(count) open tickets, \(settings.policies.count) policies, 3 calendars, SQLite WAL synchronous=FULL")

        // Seed: 2,000 customers, the tickets with their creation (and for some a pause and a reply) as facts.
        let now = Date()
        let seedStart = ContinuousClock.now
        try await database.writer.write { db in
            for index in 0..<2_000 {
                try db.execute(
                    sql: "INSERT INTO customer (id, display_name, created_at, updated_at, root_id) VALUES (?, ?, ?, ?, ?)",
                    arguments: [index + 1, "Customer \(index)", now, now, index + 1])
            }
            var random = SystemRandomNumberGenerator()
            let statuses = ["new", "open", "open", "open", "pending", "on_hold"]
            let priorities = ["low", "normal", "normal", "high", "urgent"]
            let types = ["inquiry", "complaint", "after_sales", "marketing"]
            let channels = ["wx", "mail", "sms", "web"]
            let teams = ["care", "returns", "vip"]
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO ticket (subject, type, status, priority, customer_id, team, channel_id, created_by, created_at, updated_at, sla_dirty)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?, 1)
                    """)
            let fact = try db.makeStatement(sql: "INSERT INTO ticket_fact (ticket_id, at, kind, status) VALUES (?, ?, ?, ?)")
            for index in 0..<count {
                let created = now.addingTimeInterval(-Double(Int.random(in: 60...(6 * 86_400), using: &random)))
                let status = statuses[index % statuses.count]
                try insert.execute(arguments: [
                    "Ticket \(index)", types[index % types.count], status, priorities[index % priorities.count], index % 2_000 + 1,
                    teams[index % teams.count], channels[index % channels.count], created, created,
                ])
                let id = db.lastInsertedRowID
                try fact.execute(arguments: [id, created, "created", nil])
                if status != "new" {
                    try fact.execute(arguments: [id, created.addingTimeInterval(900), "agent_reply", nil])
                    try fact.execute(arguments: [id, created.addingTimeInterval(900), "status", "open"])
                }
                if status == "pending" || status == "on_hold" {
                    try fact.execute(arguments: [id, created.addingTimeInterval(1_800), "status", status])
                }
            }
        }
        print(String(format: "seed: %d tickets in %.1f s", count, seconds(ContinuousClock.now - seedStart)))

        // 1. After a start every clock is recomputed from its facts, a bounded share per pass so that
        //    what is due still fires each tick: passes back to back until none is left.
        let coldStart = ContinuousClock.now
        var cold = SLAPass()
        var coldPasses: [Double] = []
        repeat {
            let start = ContinuousClock.now
            let pass = try await store.pass(now: Date())
            coldPasses.append(seconds(ContinuousClock.now - start))
            cold.recomputed += pass.recomputed
            cold.warnings += pass.warnings
            cold.breaches += pass.breaches
            if pass.recomputed == 0 { break }
        } while true
        let coldTime = seconds(ContinuousClock.now - coldStart)
        print(
            String(
                format:
                    "recompute every clock (as after a start): %.2f s for %d tickets (%.0f tickets/s) in %d passes, each %@; %d warnings, %d breaches raised; peak RSS %.0f MB",
                coldTime, cold.recomputed, Double(cold.recomputed) / coldTime, coldPasses.count, percentiles(coldPasses), cold.warnings,
                cold.breaches, peakMegabytes()))

        // 2. Steady passes: nothing changed, only what is due is looked at.
        var steady: [Double] = []
        for _ in 0..<50 {
            let start = ContinuousClock.now
            _ = try await store.pass(now: Date())
            steady.append(seconds(ContinuousClock.now - start))
        }
        print("steady pass (nothing due): \(percentiles(steady))")

        // 3. Due moments to breach events: 1,000 probe tickets due over the next 30 s, the service ticking every second.
        let probeStart = Date()
        try await database.writer.write { db in
            for index in 0..<1_000 {
                let created = probeStart.addingTimeInterval(-60 + 2 + Double(index) * 0.028)
                try db.execute(
                    sql: """
                        INSERT INTO ticket (subject, status, priority, customer_id, channel_id, created_by, created_at, updated_at, sla_dirty)
                        VALUES (?, 'new', 'normal', 1, 'probe', 'bench', ?, ?, 1)
                        """, arguments: ["Probe \(index)", created, created])
                try db.execute(
                    sql: "INSERT INTO ticket_fact (ticket_id, at, kind) VALUES (?, ?, 'created')", arguments: [db.lastInsertedRowID, created])
            }
        }
        var passes: [Double] = []
        var breaches = 0
        let until = probeStart.addingTimeInterval(35)
        while Date() < until {
            let start = ContinuousClock.now
            let pass = try await store.pass(now: Date())
            breaches += pass.breaches
            passes.append(seconds(ContinuousClock.now - start))
            try await Task.sleep(for: .seconds(1))
        }
        let lateness = try await database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.due_at, s.breached_at FROM ticket_sla s JOIN ticket t ON t.id = s.ticket_id
                    WHERE t.channel_id = 'probe' AND s.breached_at IS NOT NULL
                    """
            ).map { row -> Double in (row[1] as Date).timeIntervalSince(row[0] as Date) }
        }
        print("due moment to sla.breached, ticking every 1 s: \(percentiles(lateness, unit: "s", scale: 1)); \(breaches) breaches during the run")
        print("pass while probes came due: \(percentiles(passes))")

        // 4. The ticket list with filters (50 a page, each ticket's clocks computed at the request).
        let viewer = Viewer(agentID: nil, teams: [], seesAll: true)
        let agentViewer = Viewer(agentID: 7, teams: ["care"], seesAll: false)
        var filters: [(String, TicketFilter, Viewer)] = []
        func filter(_ change: (inout TicketFilter) -> Void) -> TicketFilter {
            var filter = TicketFilter()
            change(&filter)
            return filter
        }
        filters.append(("all", TicketFilter(), viewer))
        filters.append(("status=open", filter { $0.status = .open }, viewer))
        filters.append(("status=open&team=care&type=complaint", filter { $0.status = .open; $0.team = "care"; $0.type = .complaint }, viewer))
        filters.append(("sla=breached", filter { $0.sla = .breached }, viewer))
        filters.append(("sla=due_soon", filter { $0.sla = .dueSoon }, viewer))
        filters.append(("assignee=none&status=new", filter { $0.assignee = 0; $0.status = .new }, viewer))
        filters.append(("q=T-004242", filter { $0.query = "T-004242" }, viewer))
        filters.append(("customer=42", filter { $0.customer = 42 }, viewer))
        filters.append(("agent of team care", TicketFilter(), agentViewer))
        var everything: [Double] = []
        for (name, filter, viewer) in filters {
            var times: [Double] = []
            var rows = 0
            for _ in 0..<100 {
                let start = ContinuousClock.now
                rows = try await store.list(filter, viewer: viewer, now: Date()).items.count
                times.append(seconds(ContinuousClock.now - start))
            }
            everything += times
            print("list \(name): \(rows) rows, \(percentiles(times))")
        }
        print("list, all filters: \(percentiles(everything))")
        print(String(format: "peak RSS %.0f MB", peakMegabytes()))
    }
}
