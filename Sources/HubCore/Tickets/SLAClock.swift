package import Foundation

/// One thing that happened to a ticket that moves its SLA clocks.
package struct SLAFact: Sendable, Hashable, Codable {
    package enum Kind: String, Sendable, Hashable, Codable {
        case created
        case status
        case customerMessage = "customer_message"
        case agentReply = "agent_reply"
    }

    package var at: Date
    package var kind: Kind
    /// The status entered, for `.status`.
    package var status: TicketStatus?

    package init(at: Date, kind: Kind, status: TicketStatus? = nil) {
        self.at = at
        self.kind = kind
        self.status = status
    }
}

/// Where one target stands.
package enum SLAState: String, Sendable, Hashable, Codable {
    case running, paused, met, breached
}

/// One target of a ticket's SLA, as its API shows it.
package struct SLATargetReport: Sendable, Hashable, Codable {
    package var state: SLAState
    /// When the target is (or was) due; `nil` while paused with time left.
    package var dueAt: Date?
    /// When the warning is (or was) due; `nil` when the policy warns not, or while paused.
    package var warnAt: Date?
    /// Business seconds left, negative once breached.
    package var remainingSeconds: Int
    package var startedAt: Date
    package var metAt: Date?
    /// For `next_response`: which customer message cycle this is, 1 for the first.
    package var cycle: Int

    package init(
        state: SLAState, dueAt: Date?, warnAt: Date?, remainingSeconds: Int, startedAt: Date, metAt: Date?, cycle: Int
    ) {
        self.state = state
        self.dueAt = dueAt
        self.warnAt = warnAt
        self.remainingSeconds = remainingSeconds
        self.startedAt = startedAt
        self.metAt = metAt
        self.cycle = cycle
    }

    private enum CodingKeys: String, CodingKey {
        case state, cycle
        case dueAt = "due_at"
        case warnAt = "warn_at"
        case remainingSeconds = "remaining_seconds"
        case startedAt = "started_at"
        case metAt = "met_at"
    }
}

/// A stretch of time the ticket waited on someone else (`pending`, `on_hold`).
package struct SLAPause: Sendable, Hashable, Codable {
    package var status: TicketStatus
    package var from: Date
    package var to: Date?

    package init(status: TicketStatus, from: Date, to: Date?) {
        self.status = status
        self.from = from
        self.to = to
    }
}

/// A ticket's SLA at one instant.
package struct SLAReport: Sendable, Hashable {
    package var policy: String
    package var targets: [SLATarget: SLATargetReport]
    package var pauses: [SLAPause]

    package init(policy: String, targets: [SLATarget: SLATargetReport], pauses: [SLAPause]) {
        self.policy = policy
        self.targets = targets
        self.pauses = pauses
    }
}

/// The SLA clocks of a ticket, derived from its stored facts alone: no timer holds any truth,
/// so a restart or a clock jump gives the same answer.
///
/// - A target's clock counts business time of the policy's calendar while the ticket is `new`
///   or `open`; `pending`, `on_hold` and `solved` stop it.
/// - `first_response` starts at creation and is met by the first agent reply; `resolution`
///   starts at creation and is met by solving, and a reopen resumes it where it stopped;
///   `next_response` starts at a customer message once the first response was given and no
///   cycle is waiting, and is met by the next agent reply.
/// - A target is due at the instant its counted time reaches the target. It is breached when
///   it is not met by then (a reply at that very instant meets it). A target met while its clock
///   ran shows the due time it had then; one met while paused shows none (unless already passed).
package enum SLAClock {
    struct Cycle {
        var budget: Double
        var startedAt: Date
        var consumed: Double = 0
        var runningSince: Date?
        var metAt: Date?
        var number = 1
        /// The instants the counted time reaches the warning threshold and the budget.
        var warnAt: Date?
        var dueAt: Date?
        var warnThreshold: Double?
    }

    /// The report at `now` for `facts` (in any order; sorted by time, stable) under `policy`.
    package static func report(facts: [SLAFact], policy: SLAPolicy, calendar: BusinessCalendar, now: Date) -> SLAReport {
        report(facts: facts, policy: policy, days: BusinessDays(calendar), now: now)
    }

    /// ``report(facts:policy:calendar:now:)`` on days already worked out (a batch of clocks shares them).
    package static func report(facts: [SLAFact], policy: SLAPolicy, days calendar: BusinessDays, now: Date) -> SLAReport {
        let ordered = facts.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        var status = TicketStatus.new
        var cycles: [SLATarget: Cycle] = [:]
        var pauses: [SLAPause] = []
        var nextNumber = 0

        func advance(to time: Date) {
            for key in cycles.keys {
                guard let since = cycles[key]?.runningSince, time > since else { continue }
                cycles[key]!.consumed += calendar.businessSeconds(from: since, to: time)
                cycles[key]!.runningSince = time
            }
        }

        func newCycle(_ target: SLATarget, at time: Date, number: Int = 1) -> Cycle? {
            guard let budget = policy.targets[target] else { return nil }
            let lead = policy.warning.map { Double($0.lead(budget: budget)) }
            return Cycle(
                budget: Double(budget), startedAt: time, number: number, warnThreshold: lead.map { max(0, Double(budget) - $0) })
        }

        func settle(at time: Date) {
            for key in cycles.keys {
                var cycle = cycles[key]!
                let runs = cycle.metAt == nil && status.clockRuns
                if runs {
                    if cycle.runningSince == nil { cycle.runningSince = time }
                    let since = cycle.runningSince!
                    if cycle.consumed < cycle.budget {
                        cycle.dueAt = calendar.adding(cycle.budget - cycle.consumed, to: since)
                    }
                    if let threshold = cycle.warnThreshold, cycle.consumed < threshold {
                        cycle.warnAt = calendar.adding(threshold - cycle.consumed, to: since)
                    } else if cycle.warnThreshold != nil, cycle.warnAt == nil {
                        cycle.warnAt = since
                    }
                } else {
                    cycle.runningSince = nil
                    // A paused clock's due time is unknown until it runs again; a met one keeps the due
                    // time it had when it was met.
                    if cycle.metAt == nil, cycle.consumed < cycle.budget { cycle.dueAt = nil }
                    if let threshold = cycle.warnThreshold, cycle.consumed < threshold { cycle.warnAt = nil }
                }
                cycles[key] = cycle
            }
        }

        for fact in ordered {
            advance(to: fact.at)
            switch fact.kind {
            case .created:
                cycles[.firstResponse] = newCycle(.firstResponse, at: fact.at)
                cycles[.resolution] = newCycle(.resolution, at: fact.at)
            case .status:
                guard let next = fact.status, next != status else { break }
                if status.isPause, let last = pauses.indices.last, pauses[last].to == nil { pauses[last].to = fact.at }
                if next.isPause { pauses.append(SLAPause(status: next, from: fact.at, to: nil)) }
                if next == .solved, cycles[.resolution]?.metAt == nil { cycles[.resolution]?.metAt = fact.at }
                if status == .solved, next == .open { cycles[.resolution]?.metAt = nil }
                status = next
            case .customerMessage:
                let answeredFirst = cycles[.firstResponse].map { $0.metAt != nil } ?? true
                let waiting = cycles[.nextResponse].map { $0.metAt == nil } ?? false
                if answeredFirst, !waiting {
                    nextNumber += 1
                    if let cycle = newCycle(.nextResponse, at: fact.at, number: nextNumber) { cycles[.nextResponse] = cycle }
                }
            case .agentReply:
                for key in [SLATarget.firstResponse, .nextResponse] where cycles[key] != nil && cycles[key]!.metAt == nil {
                    cycles[key]!.metAt = fact.at
                }
            }
            settle(at: fact.at)
        }
        advance(to: now)

        var targets: [SLATarget: SLATargetReport] = [:]
        for (key, cycle) in cycles {
            let deadline = cycle.metAt ?? now
            let breached = cycle.dueAt.map { deadline > $0 } ?? false
            let state: SLAState =
                breached ? .breached : cycle.metAt != nil ? .met : cycle.runningSince != nil ? .running : .paused
            targets[key] = SLATargetReport(
                state: state, dueAt: cycle.dueAt, warnAt: cycle.warnAt, remainingSeconds: Int((cycle.budget - cycle.consumed).rounded()),
                startedAt: cycle.startedAt, metAt: cycle.metAt, cycle: cycle.number)
        }
        return SLAReport(policy: policy.id, targets: targets, pauses: pauses)
    }
}
