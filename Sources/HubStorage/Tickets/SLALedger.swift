package import Foundation
import GRDB
package import HubCore

/// The SLA policies and the calendars they count in.
package struct SLASetup: Sendable {
    package var settings: TicketSettings
    package var calendars: [String: BusinessCalendar]

    package init(settings: TicketSettings, calendars: [BusinessCalendar]) {
        self.settings = settings
        self.calendars = Dictionary(calendars.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func calendar(of policy: SLAPolicy) -> BusinessCalendar {
        policy.calendar.flatMap { calendars[$0] } ?? .aroundTheClock
    }
}

/// Each calendar's days worked out once for a batch of clocks.
final class CalendarDays {
    let setup: SLASetup
    private var byCalendar: [String: BusinessDays] = [:]

    init(_ setup: SLASetup) {
        self.setup = setup
    }

    func days(of policy: SLAPolicy) -> BusinessDays {
        let key = policy.calendar ?? ""
        if let known = byCalendar[key] { return known }
        let days = BusinessDays(setup.calendar(of: policy))
        byCalendar[key] = days
        return days
    }
}

/// What one pass of the SLA service did.
package struct SLAPass: Sendable, Hashable {
    package var recomputed = 0
    package var warnings = 0
    package var breaches = 0
    package var followUps = 0
    package var closed = 0

    package init() {}
}

/// The SLA clocks inside the caller's transaction: derived from ticket facts, their summary
/// stored for lists, warnings and breaches raised once each, follow-ups and auto-closing.
enum SLALedger {
    /// The policy matching ticket `id` as it now is, and its report at `now`.
    static func report(_ id: Int64, setup: SLASetup, days: CalendarDays? = nil, now: Date, in db: Database) throws -> (
        SLAPolicy, SLAReport
    )? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT priority, type, channel_id, tags FROM ticket WHERE id = ?"), arguments: [id])
        else { return nil }
        let labels = try TicketQueries.labels(id, tags: row["tags"], in: db)
        guard
            let policy = setup.settings.policy(
                priority: ConversationPriority(rawValue: row["priority"]) ?? .normal,
                type: (row["type"] as String?).flatMap(TicketType.init(rawValue:)), channel: row["channel_id"], labels: labels)
        else { return nil }
        let facts = try TicketQueries.facts(id, in: db)
        let days = (days ?? CalendarDays(setup)).days(of: policy)
        return (policy, SLAClock.report(facts: facts, policy: policy, days: days, now: now))
    }

    /// Derives the clocks of ticket `id` from its facts and stores them.
    static func recompute(_ id: Int64, setup: SLASetup, days: CalendarDays? = nil, now: Date, in db: Database) throws {
        let found = try report(id, setup: setup, days: days, now: now, in: db)
        var nextDue: Date?
        var nextWarn: Date?
        var breached = false
        var kept: [String] = []
        if let (_, report) = found {
            for (target, state) in report.targets {
                kept.append("\(target.rawValue)#\(state.cycle)")
                // Older cycles of next_response ended with the reply that started nothing new.
                try db.execute(
                    sql: """
                        UPDATE ticket_sla SET alert_at = NULL, state = CASE WHEN breached_at IS NOT NULL THEN 'breached' ELSE 'met' END
                        WHERE ticket_id = ? AND target = ? AND cycle < ?
                        """, arguments: [id, target.rawValue, state.cycle])
                let previous = try Row.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT warned_at, breached_at FROM ticket_sla WHERE ticket_id = ? AND target = ? AND cycle = ?"),
                    arguments: [id, target.rawValue, state.cycle])
                let warnedAt: Date? = previous?["warned_at"]
                let breachedAt: Date? = previous?["breached_at"]
                let alert = alertAt(state, warnedAt: warnedAt, breachedAt: breachedAt)
                try db.cachedStatement(
                    sql: """
                        INSERT INTO ticket_sla (ticket_id, target, cycle, state, due_at, warn_at, met_at, started_at, remaining_seconds, alert_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (ticket_id, target, cycle) DO UPDATE SET state = excluded.state, due_at = excluded.due_at,
                            warn_at = excluded.warn_at, met_at = excluded.met_at, started_at = excluded.started_at,
                            remaining_seconds = excluded.remaining_seconds, alert_at = excluded.alert_at
                        """
                ).execute(arguments: [
                    id, target.rawValue, state.cycle, state.state.rawValue, state.dueAt, state.warnAt, state.metAt, state.startedAt,
                    state.remainingSeconds, alert,
                ])
                if state.state == .breached { breached = true }
                if state.state == .running, let due = state.dueAt {
                    nextDue = min(nextDue ?? due, due)
                    let warn = state.warnAt ?? due.addingTimeInterval(-900)
                    nextWarn = min(nextWarn ?? warn, warn)
                }
            }
        }
        // Targets the policy no longer sets (the ticket now matches another) raise nothing more.
        let current = try Row.fetchAll(
            db, sql: "SELECT target, cycle FROM ticket_sla WHERE ticket_id = ? AND alert_at IS NOT NULL", arguments: [id])
        for row in current where !kept.contains("\(row[0] as String)#\(row[1] as Int)") {
            try db.execute(
                sql: "UPDATE ticket_sla SET alert_at = NULL WHERE ticket_id = ? AND target = ? AND cycle = ?",
                arguments: [id, row[0], row[1]])
        }
        try db.cachedStatement(
            sql: """
                UPDATE ticket SET sla_policy = ?, sla_dirty = 0, sla_breached = ?, sla_next_due_at = ?, sla_next_warn_at = ? WHERE id = ?
                """
        ).execute(arguments: [found?.0.id, breached, nextDue, nextWarn, id])
    }

    /// The clocks of `ids` as last derived, brought to `now` without replaying facts: a running
    /// target counts down (in business time) to its stored due time. What lists show.
    static func stored(_ ids: [Int64], setup: SLASetup, now: Date, in db: Database) throws -> [Int64: TicketView.SLA] {
        guard !ids.isEmpty else { return [:] }
        let marks = ids.map { _ in "?" }.joined(separator: ", ")
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT s.ticket_id, s.target, s.state, s.due_at, s.warn_at, s.met_at, s.started_at, s.remaining_seconds, s.cycle, t.sla_policy
                FROM ticket_sla s JOIN ticket t ON t.id = s.ticket_id
                WHERE s.ticket_id IN (\(marks)) AND t.sla_policy IS NOT NULL
                  AND s.cycle = (SELECT MAX(cycle) FROM ticket_sla l WHERE l.ticket_id = s.ticket_id AND l.target = s.target)
                """, arguments: StatementArguments(ids))
        var result: [Int64: TicketView.SLA] = [:]
        let days = CalendarDays(setup)
        for row in rows {
            let id: Int64 = row["ticket_id"]
            let policyID: String = row["sla_policy"]
            guard let target = SLATarget(rawValue: row["target"]), var state = SLAState(rawValue: row["state"]),
                let policy = setup.settings.policies.first(where: { $0.id == policyID })
            else { continue }
            let due: Date? = row["due_at"]
            var remaining: Int = row["remaining_seconds"]
            if state == .running || state == .breached, (row["met_at"] as Date?) == nil, let due {
                let calendar = days.days(of: policy)
                if due > now {
                    remaining = Int(calendar.businessSeconds(from: now, to: due).rounded())
                } else {
                    remaining = -Int(calendar.businessSeconds(from: due, to: now).rounded())
                    if state == .running, now > due { state = .breached }
                }
            }
            let report = SLATargetReport(
                state: state, dueAt: due, warnAt: row["warn_at"], remainingSeconds: remaining, startedAt: row["started_at"],
                metAt: row["met_at"], cycle: row["cycle"])
            var sla = result[id] ?? TicketView.SLA(SLAReport(policy: policyID, targets: [:], pauses: []))
            switch target {
            case .firstResponse: sla.firstResponse = report
            case .nextResponse: sla.nextResponse = report
            case .resolution: sla.resolution = report
            }
            result[id] = sla
        }
        return result
    }

    /// The next moment the service must look at a target: its warning, or its breach, each until raised.
    static func alertAt(_ state: SLATargetReport, warnedAt: Date?, breachedAt: Date?) -> Date? {
        var moments: [Date] = []
        if warnedAt == nil, breachedAt == nil, state.state == .running, let warn = state.warnAt { moments.append(warn) }
        if breachedAt == nil, let due = state.dueAt, state.metAt.map({ $0 > due }) ?? true, state.state != .met { moments.append(due) }
        return moments.min()
    }

    /// Recomputes up to `limit` tickets whose facts changed; returns how many.
    static func refresh(setup: SLASetup, limit: Int, now: Date, in db: Database) throws -> Int {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM ticket WHERE sla_dirty = 1 LIMIT ?", arguments: [limit])
        let days = CalendarDays(setup)
        for id in ids { try recompute(id, setup: setup, days: days, now: now, in: db) }
        return ids.count
    }

    /// Raises the warnings and breaches due at `now`, each once.
    static func alerts(setup: SLASetup, limit: Int, now: Date, in db: Database) throws -> (warnings: Int, breaches: Int) {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT s.ticket_id, s.target, s.cycle, t.sla_dirty FROM ticket_sla s JOIN ticket t ON t.id = s.ticket_id
                WHERE s.alert_at IS NOT NULL AND s.alert_at <= ? ORDER BY s.alert_at LIMIT ?
                """, arguments: [now, limit])
        var warnings = 0
        var breaches = 0
        for row in rows {
            let id: Int64 = row["ticket_id"]
            let target: String = row["target"]
            let cycle: Int = row["cycle"]
            // A ticket whose facts changed since is recomputed first (its reply may have met the target).
            if row["sla_dirty"] as Bool { try recompute(id, setup: setup, now: now, in: db) }
            guard
                let fresh = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT s.state, s.due_at, s.warn_at, s.met_at, s.warned_at, s.breached_at, t.sla_policy
                        FROM ticket_sla s JOIN ticket t ON t.id = s.ticket_id WHERE s.ticket_id = ? AND s.target = ? AND s.cycle = ?
                        """,
                    arguments: [id, target, cycle])
            else { continue }
            let due: Date? = fresh["due_at"]
            let warn: Date? = fresh["warn_at"]
            let met: Date? = fresh["met_at"]
            var warnedAt: Date? = fresh["warned_at"]
            var breachedAt: Date? = fresh["breached_at"]
            let policy: String = fresh["sla_policy"] ?? ""
            if breachedAt == nil, let due, now > due, met.map({ $0 > due }) ?? true {
                breachedAt = now
                warnedAt = warnedAt ?? now
                try db.execute(
                    sql:
                        "UPDATE ticket_sla SET breached_at = ?, warned_at = COALESCE(warned_at, ?) WHERE ticket_id = ? AND target = ? AND cycle = ?",
                    arguments: [now, now, id, target, cycle])
                try db.execute(sql: "UPDATE ticket SET sla_breached = 1 WHERE id = ?", arguments: [id])
                try TicketLedger.event(
                    .slaBreached, id, actor: "sla", changes: [],
                    extra: [
                        "target": target, "policy": policy, "due_at": JSONText.timestamp(due, truncating: false), "cycle": String(cycle),
                    ],
                    now: now, in: db)
                try TicketLedger.notify(
                    try TicketLedger.watchers(of: id, supervisors: true, in: db), kind: "sla.breached", ticketID: id,
                    text: "\(TicketNumber.text(id)): \(target.replacingOccurrences(of: "_", with: " ")) breached (policy \(policy))",
                    now: now,
                    in: db)
                try escalate(id, policy: policy, setup: setup, now: now, in: db)
                breaches += 1
            } else if warnedAt == nil, breachedAt == nil, let warn, warn <= now, fresh["state"] == SLAState.running.rawValue {
                warnedAt = now
                try db.execute(
                    sql: "UPDATE ticket_sla SET warned_at = ? WHERE ticket_id = ? AND target = ? AND cycle = ?",
                    arguments: [now, id, target, cycle])
                try TicketLedger.event(
                    .slaWarning, id, actor: "sla", changes: [],
                    extra: [
                        "target": target, "policy": policy, "due_at": due.map { JSONText.timestamp($0, truncating: false) } ?? "",
                        "cycle": String(cycle),
                    ],
                    now: now, in: db)
                var watchers = try TicketLedger.watchers(of: id, supervisors: false, in: db)
                if watchers.isEmpty { watchers = try TicketLedger.watchers(of: id, supervisors: true, in: db) }
                try TicketLedger.notify(
                    watchers, kind: "sla.warning", ticketID: id,
                    text: "\(TicketNumber.text(id)): \(target.replacingOccurrences(of: "_", with: " ")) due soon", now: now, in: db)
                warnings += 1
            }
            let state = SLATargetReport(
                state: SLAState(rawValue: fresh["state"]) ?? .running, dueAt: due, warnAt: warn, remainingSeconds: 0, startedAt: now,
                metAt: met, cycle: cycle)
            try db.execute(
                sql: "UPDATE ticket_sla SET alert_at = ? WHERE ticket_id = ? AND target = ? AND cycle = ?",
                arguments: [alertAt(state, warnedAt: warnedAt, breachedAt: breachedAt), id, target, cycle])
        }
        return (warnings, breaches)
    }

    /// The policy's escalation on a breach: a higher priority, another team.
    static func escalate(_ id: Int64, policy: String, setup: SLASetup, now: Date, in db: Database) throws {
        guard let escalation = setup.settings.policies.first(where: { $0.id == policy })?.escalation,
            let row = try Row.fetchOne(db, sql: "SELECT priority, team FROM ticket WHERE id = ?", arguments: [id])
        else { return }
        var changes: [TicketChange] = []
        let priority = ConversationPriority(rawValue: row["priority"]) ?? .normal
        if let raise = escalation.priority, raise > priority {
            try db.execute(sql: "UPDATE ticket SET priority = ?, sla_dirty = 1 WHERE id = ?", arguments: [raise.rawValue, id])
            changes.append(TicketChange(field: "priority", old: priority.rawValue, new: raise.rawValue))
        }
        if let team = escalation.team, team != row["team"] as String? {
            try db.execute(sql: "UPDATE ticket SET team = ?, sla_dirty = 1 WHERE id = ?", arguments: [team, id])
            changes.append(TicketChange(field: "team", old: row["team"], new: team))
        }
        guard !changes.isEmpty else { return }
        try db.execute(sql: "UPDATE ticket SET updated_at = ? WHERE id = ?", arguments: [now, id])
        try TicketLedger.history(id, actor: "sla escalation", changes, now: now, in: db)
        try TicketLedger.event(.ticketUpdated, id, actor: "sla escalation", changes: changes, now: now, in: db)
    }

    /// Follow-ups due at `now`: the ticket is back on its agent's list (open again) with a notification.
    static func followUps(limit: Int, now: Date, in db: Database) throws -> Int {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, status, follow_up_note FROM ticket
                WHERE follow_up_at IS NOT NULL AND follow_up_fired_at IS NULL AND follow_up_at <= ? ORDER BY follow_up_at LIMIT ?
                """, arguments: [now, limit])
        for row in rows {
            let id: Int64 = row["id"]
            try db.execute(sql: "UPDATE ticket SET follow_up_fired_at = ?, updated_at = ? WHERE id = ?", arguments: [now, now, id])
            var changes = [TicketChange(field: "follow_up", old: nil, new: "due")]
            if [TicketStatus.pending.rawValue, TicketStatus.onHold.rawValue].contains(row["status"] as String),
                let change = try TicketLedger.setStatus(id, to: .open, actor: "follow-up", at: now, now: now, in: db)
            {
                changes.append(change)
            }
            try TicketLedger.history(id, actor: "follow-up", [changes[0]], now: now, in: db)
            let note: String? = row["follow_up_note"]
            try TicketLedger.notify(
                try TicketLedger.watchers(of: id, supervisors: false, in: db), kind: "ticket.follow_up", ticketID: id,
                text: "\(TicketNumber.text(id)): follow-up due" + (note.map { ": \($0)" } ?? ""), now: now, in: db)
            try TicketLedger.event(.ticketFollowUp, id, actor: "follow-up", changes: changes, now: now, in: db)
        }
        return rows.count
    }

    /// Solved tickets whose customer stayed silent for `after` close.
    static func autoClose(after: Duration, limit: Int, now: Date, in db: Database) throws -> Int {
        let ids = try Int64.fetchAll(
            db, sql: "SELECT id FROM ticket WHERE status = 'solved' AND solved_at <= ? ORDER BY solved_at LIMIT ?",
            arguments: [now.addingTimeInterval(-after.timeInterval), limit])
        for id in ids {
            guard let change = try TicketLedger.setStatus(id, to: .closed, actor: "auto-close", at: now, now: now, in: db) else { continue }
            try TicketLedger.event(.ticketUpdated, id, actor: "auto-close", changes: [change], now: now, in: db)
        }
        return ids.count
    }
}
