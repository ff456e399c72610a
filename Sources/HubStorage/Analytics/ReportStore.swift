import Foundation
import GRDB
package import HubCore

/// The reports, read from the pre-aggregated hour buckets (volume, response and resolution times,
/// the bot), from tickets (SLA, CSAT: far fewer rows, read exactly) or from the state now
/// (backlog, agents' load). A range is read by UTC hour; days are the report time zone's.
package struct ReportStore: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    package func answer(_ request: ReportRequest) async throws -> ReportAnswer {
        try await database.writer.read { db in
            let rows = try Self.rows(request, in: db)
            var overall = request
            overall.grouping = .none
            let total = try Self.rows(overall, in: db).first ?? ReportRow(group: "total", figures: Self.empty(request.name))
            return ReportAnswer(request: request, rows: rows, total: ReportRow(group: "total", figures: total.figures))
        }
    }

    static func rows(_ request: ReportRequest, in db: Database) throws -> [ReportRow] {
        switch request.name {
        case .volume:
            let sums = try Self.sums(["conversations", "messages_in", "messages_out"], request, in: db)
            return sums.keys.sorted().map { group in
                let figures = sums[group] ?? [:]
                return ReportRow(
                    group: group,
                    figures: ["conversations", "messages_in", "messages_out"].map { ($0, Double(figures[$0]?.count ?? 0)) })
            }
        case .firstResponse, .resolution:
            let measure = request.name == .firstResponse ? "first_response" : "resolution"
            let sums = try Self.sums([measure], request, in: db)
            let wall = try Self.histograms(measure, clock: "wall", request, in: db)
            let business = try Self.histograms(measure, clock: "business", request, in: db)
            return Set(sums.keys).union(wall.keys).sorted().map { group in
                let sum = sums[group]?[measure] ?? Sum()
                let average = { (milliseconds: Int64) -> Double? in sum.count == 0 ? nil : Double(milliseconds) / 1000 / Double(sum.count) }
                return ReportRow(
                    group: group,
                    figures: [
                        ("count", Double(sum.count)), ("avg_seconds", average(sum.milliseconds)),
                        ("p50_seconds", DurationBuckets.percentile(0.5, counts: wall[group] ?? [:])),
                        ("p90_seconds", DurationBuckets.percentile(0.9, counts: wall[group] ?? [:])),
                        ("business_avg_seconds", average(sum.businessMilliseconds)),
                        ("business_p50_seconds", DurationBuckets.percentile(0.5, counts: business[group] ?? [:])),
                        ("business_p90_seconds", DurationBuckets.percentile(0.9, counts: business[group] ?? [:])),
                    ])
            }
        case .bot:
            let names = ["bot_conversations", "bot_contained", "bot_handoffs", "bot_answers"]
            let sums = try Self.sums(names, request, in: db)
            return sums.keys.sorted().map { group in
                let count = { (name: String) in Double(sums[group]?[name]?.count ?? 0) }
                let conversations = count("bot_conversations")
                return ReportRow(
                    group: group,
                    figures: [
                        ("conversations", conversations), ("contained", count("bot_contained")), ("handoffs", count("bot_handoffs")),
                        ("answers", count("bot_answers")),
                        ("containment_rate", conversations == 0 ? nil : count("bot_contained") / conversations),
                        ("handoff_rate", conversations == 0 ? nil : count("bot_handoffs") / conversations),
                    ])
            }
        case .sla:
            return try Self.sla(request, in: db)
        case .csat:
            return try Self.csat(request, in: db)
        case .backlog:
            return try Self.backlog(request, in: db)
        case .agents:
            return try Self.agents(request, in: db)
        }
    }

    /// A report's figures over nothing: counts 0, rates and times unknown.
    static func empty(_ name: ReportName) -> [(String, Double?)] {
        let counts: [String]
        let rates: [String]
        switch name {
        case .volume: (counts, rates) = (["conversations", "messages_in", "messages_out"], [])
        case .firstResponse, .resolution:
            (counts, rates) = (
                ["count"],
                ["avg_seconds", "p50_seconds", "p90_seconds", "business_avg_seconds", "business_p50_seconds", "business_p90_seconds"]
            )
        case .bot: (counts, rates) = (["conversations", "contained", "handoffs", "answers"], ["containment_rate", "handoff_rate"])
        case .sla: (counts, rates) = (["met", "breached"], ["met_rate"])
        case .csat: (counts, rates) = (["surveys", "answers", "good"], ["csat", "response_rate", "avg_score"])
        case .backlog: (counts, rates) = (["bot", "queued", "open", "pending", "snoozed", "total"], [])
        case .agents:
            return [
                ("replies", 0), ("first_responses", 0), ("avg_first_response_seconds", nil), ("resolved", 0), ("occupancy", nil),
                ("open_now", 0), ("occupancy_now", nil),
            ]
        }
        return counts.map { ($0, 0) } + rates.map { ($0, nil) }
    }

    struct Sum {
        var count = 0
        var milliseconds: Int64 = 0
        var businessMilliseconds: Int64 = 0
    }

    /// The ranges of rollup buckets that cover the request's hours: whole UTC days as day rows, the
    /// hours at either edge as hour rows; a report by local day reads hours only.
    static func spans(_ request: ReportRequest) -> [(grain: String, range: Range<Int64>)] {
        let hours = request.hours
        guard request.grouping != .day else { return [("hour", hours)] }
        let firstDay = (hours.lowerBound + 23) / 24
        let endDay = hours.upperBound / 24
        guard firstDay < endDay else { return [("hour", hours)] }
        return [("hour", hours.lowerBound..<firstDay * 24), ("day", firstDay..<endDay), ("hour", endDay * 24..<hours.upperBound)]
            .filter { !$0.1.isEmpty }
    }

    /// The dimension a grouping reads from the rollups (`all` for none and for days).
    static func dimension(_ grouping: ReportGrouping) -> String {
        switch grouping {
        case .channel, .team, .agent, .intent, .queue: grouping.rawValue
        case .day, .none: "all"
        }
    }

    /// The rollups' sums per group and measure.
    static func sums(_ measures: [String], _ request: ReportRequest, in db: Database) throws -> [String: [String: Sum]] {
        let marks = measures.map { _ in "?" }.joined(separator: ", ")
        let byDay = request.grouping == .day
        var result: [String: [String: Sum]] = [:]
        for span in spans(request) {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT measure, \(byDay ? "bucket" : "value") AS grp, SUM(count), SUM(sum_ms), SUM(business_ms) FROM metric_rollup
                    WHERE measure IN (\(marks)) AND grain = ? AND dimension = ? AND bucket >= ? AND bucket < ? GROUP BY measure, grp
                    """,
                arguments: StatementArguments(
                    measures.map { $0 as any DatabaseValueConvertible }
                        + [span.grain, dimension(request.grouping), span.range.lowerBound, span.range.upperBound]))
            for row in rows {
                let group = Self.group(row["grp"], request)
                let measure: String = row[0]
                var sum = result[group, default: [:]][measure] ?? Sum()
                sum.count += row[2] as Int
                sum.milliseconds += row[3] as Int64
                sum.businessMilliseconds += row[4] as Int64
                result[group, default: [:]][measure] = sum
            }
        }
        return result
    }

    static func histograms(_ measure: String, clock: String, _ request: ReportRequest, in db: Database) throws -> [String: [Int: Int]] {
        let byDay = request.grouping == .day
        var result: [String: [Int: Int]] = [:]
        for span in spans(request) {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT slot, \(byDay ? "bucket" : "value") AS grp, SUM(count) FROM metric_rollup_histogram
                    WHERE measure = ? AND clock = ? AND grain = ? AND dimension = ? AND bucket >= ? AND bucket < ? GROUP BY slot, grp
                    """,
                arguments: [measure, clock, span.grain, dimension(request.grouping), span.range.lowerBound, span.range.upperBound])
            for row in rows {
                result[Self.group(row["grp"], request), default: [:]][row[0] as Int, default: 0] += row[2] as Int
            }
        }
        return result
    }

    static func group(_ value: DatabaseValue, _ request: ReportRequest) -> String {
        switch request.grouping {
        case .day: return request.day(ofHour: Int64.fromDatabaseValue(value) ?? 0)
        case .none: return "total"
        default:
            let text = String.fromDatabaseValue(value) ?? Int64.fromDatabaseValue(value).map(String.init) ?? ""
            return text.isEmpty ? "none" : text
        }
    }

    /// A ticket's grouping column (`intent` groups by the ticket's type, `queue` by its first
    /// conversation's queue) and the local day of a moment.
    static func ticketGroup(_ row: Row, at column: String, _ request: ReportRequest) -> String {
        switch request.grouping {
        case .none: return "total"
        case .day:
            let moment: Date = row[column]
            return request.day(ofHour: MetricFacts.hour(moment))
        case .channel: return (row["channel_id"] as String?) ?? "none"
        case .team: return (row["team"] as String?) ?? "none"
        case .agent: return (row["assignee_id"] as Int64?).map(String.init) ?? "none"
        case .intent: return (row["type"] as String?) ?? "none"
        case .queue: return (row["queue_id"] as String?) ?? "none"
        }
    }

    static func sla(_ request: ReportRequest, in db: Database) throws -> [ReportRow] {
        var met: [String: Int] = [:]
        var breached: [String: Int] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT s.met_at, s.breached_at, s.due_at, t.channel_id, t.team, t.assignee_id, t.type,
                    (SELECT c.queue_id FROM ticket_conversation tc JOIN conversation c ON c.id = tc.conversation_id
                    WHERE tc.ticket_id = t.id ORDER BY tc.conversation_id LIMIT 1) AS queue_id FROM ticket_sla s
                JOIN ticket t ON t.id = s.ticket_id
                WHERE (s.met_at >= ?1 AND s.met_at < ?2) OR (s.breached_at >= ?1 AND s.breached_at < ?2)
                """, arguments: [request.from, request.to])
        {
            let breachedAt: Date? = row["breached_at"]
            let metAt: Date? = row["met_at"]
            let due: Date? = row["due_at"]
            if let breachedAt, breachedAt >= request.from, breachedAt < request.to {
                breached[ticketGroup(row, at: "breached_at", request), default: 0] += 1
            } else if let metAt, breachedAt == nil, due.map({ metAt <= $0 }) ?? true {
                met[ticketGroup(row, at: "met_at", request), default: 0] += 1
            }
        }
        return Set(met.keys).union(breached.keys).sorted().map { group in
            let metCount = Double(met[group] ?? 0)
            let breachedCount = Double(breached[group] ?? 0)
            return ReportRow(
                group: group,
                figures: [
                    ("met", metCount), ("breached", breachedCount),
                    ("met_rate", metCount + breachedCount == 0 ? nil : metCount / (metCount + breachedCount)),
                ])
        }
    }

    static func csat(_ request: ReportRequest, in db: Database) throws -> [ReportRow] {
        var sent: [String: Int] = [:]
        var answered: [String: [Int]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT t.survey_sent_at, t.csat_at, t.csat_score, t.channel_id, t.team, t.assignee_id, t.type,
                    (SELECT c.queue_id FROM ticket_conversation tc JOIN conversation c ON c.id = tc.conversation_id
                    WHERE tc.ticket_id = t.id ORDER BY tc.conversation_id LIMIT 1) AS queue_id FROM ticket t
                WHERE (survey_sent_at >= ?1 AND survey_sent_at < ?2) OR (csat_at >= ?1 AND csat_at < ?2)
                """, arguments: [request.from, request.to])
        {
            if let sentAt = row["survey_sent_at"] as Date?, sentAt >= request.from, sentAt < request.to {
                sent[ticketGroup(row, at: "survey_sent_at", request), default: 0] += 1
            }
            if let answeredAt = row["csat_at"] as Date?, answeredAt >= request.from, answeredAt < request.to,
                let score = row["csat_score"] as Int?
            {
                answered[ticketGroup(row, at: "csat_at", request), default: []].append(score)
            }
        }
        return Set(sent.keys).union(answered.keys).sorted().map { group in
            let scores = answered[group] ?? []
            let good = Double(scores.filter { $0 >= 4 }.count)
            let surveys = Double(sent[group] ?? 0)
            return ReportRow(
                group: group,
                figures: [
                    ("surveys", surveys), ("answers", Double(scores.count)), ("good", good),
                    ("csat", scores.isEmpty ? nil : good / Double(scores.count)),
                    ("response_rate", surveys == 0 ? nil : Double(scores.count) / surveys),
                    ("avg_score", scores.isEmpty ? nil : Double(scores.reduce(0, +)) / Double(scores.count)),
                ])
        }
    }

    /// The backlog now (the range does not apply): conversations waiting, open and pending.
    static func backlog(_ request: ReportRequest, in db: Database) throws -> [ReportRow] {
        let column: String
        switch request.grouping {
        case .channel: column = "channel_id"
        case .team: column = "team"
        case .agent: column = "assignee_id"
        case .intent: column = "intent"
        case .queue: column = "queue_id"
        case .day, .none: column = "'total'"
        }
        var counts: [String: [String: Double]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT \(column) AS grp, status, COUNT(*) FROM conversation
                WHERE status IN ('bot', 'queued', 'open', 'pending', 'snoozed') GROUP BY 1, 2
                """)
        {
            let value = row["grp"] as DatabaseValue
            let group = String.fromDatabaseValue(value) ?? Int64.fromDatabaseValue(value).map(String.init) ?? "none"
            counts[group, default: [:]][row[1] as String] = Double(row[2] as Int)
        }
        return counts.keys.sorted().map { group in
            let figures = counts[group] ?? [:]
            let statuses = ["bot", "queued", "open", "pending", "snoozed"]
            return ReportRow(
                group: group,
                figures: statuses.map { ($0, figures[$0] ?? 0) } + [("total", statuses.reduce(0) { $0 + (figures[$1] ?? 0) })])
        }
    }

    /// Per agent: replies, first responses and resolutions in the range, and the occupancy of the
    /// load samples taken while they were online (``AgentLoadSampler``); open work and occupancy now.
    static func agents(_ request: ReportRequest, in db: Database) throws -> [ReportRow] {
        var byAgent = request
        byAgent.grouping = request.grouping == .none ? .none : .agent
        let sums = try Self.sums(["messages_out", "first_response", "resolved", "agent_load"], byAgent, in: db)
        var load: [String: (open: Double, capacity: Double)] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT a.id, a.capacity_chat + a.capacity_async AS capacity,
                    (SELECT COUNT(*) FROM conversation c WHERE c.assignee_id = a.id AND c.status IN ('open', 'pending')) AS open
                FROM agent a WHERE a.active = 1
                """)
        {
            let group = byAgent.grouping == .none ? "total" : String(row["id"] as Int64)
            var entry = load[group] ?? (0, 0)
            entry.open += Double(row["open"] as Int)
            entry.capacity += Double(row["capacity"] as Int)
            load[group] = entry
        }
        return Set(sums.keys).union(load.keys).filter { $0 != "none" }.sorted().map { group in
            let figures = sums[group] ?? [:]
            let responses = figures["first_response"] ?? Sum()
            let entry = load[group]
            return ReportRow(
                group: group,
                figures: [
                    ("replies", Double(figures["messages_out"]?.count ?? 0)), ("first_responses", Double(responses.count)),
                    (
                        "avg_first_response_seconds",
                        responses.count == 0 ? nil : Double(responses.milliseconds) / 1000 / Double(responses.count)
                    ),
                    ("resolved", Double(figures["resolved"]?.count ?? 0)),
                    (
                        "occupancy",
                        figures["agent_load"].flatMap { load in
                            load.businessMilliseconds == 0 ? nil : Double(load.milliseconds) / Double(load.businessMilliseconds)
                        }
                    ),
                    ("open_now", entry?.open ?? 0), ("occupancy_now", entry.map { $0.capacity == 0 ? nil : $0.open / $0.capacity } ?? nil),
                ])
        }
    }
}
