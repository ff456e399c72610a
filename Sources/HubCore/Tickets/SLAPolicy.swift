/// The targets an SLA sets.
package enum SLATarget: String, Sendable, Hashable, Codable, CaseIterable {
    /// From the ticket's creation to the first agent reply.
    case firstResponse = "first_response"
    /// From each customer message (after the first response) to the agent reply that answers it.
    case nextResponse = "next_response"
    /// From the ticket's creation to its solution.
    case resolution
}

/// When a warning is raised ahead of a target: a fixed lead of business time, or once a share
/// of the target has passed.
package enum SLAWarning: Sendable, Hashable {
    case before(seconds: Int)
    /// `0.8` warns when 80 % of the target has passed.
    case share(Double)

    /// The lead in business seconds for a target of `budget` seconds.
    package func lead(budget: Int) -> Int {
        switch self {
        case .before(let seconds): return seconds
        case .share(let share): return budget - Int((Double(budget) * share).rounded())
        }
    }
}

/// Which tickets a policy applies to; an empty list matches anything.
package struct SLAMatch: Sendable, Hashable {
    package var priorities: [ConversationPriority] = []
    package var types: [TicketType] = []
    package var channels: [ChannelID] = []
    /// Any one of these labels on the ticket or its customer's conversations.
    package var labels: [String] = []

    package init(
        priorities: [ConversationPriority] = [], types: [TicketType] = [], channels: [ChannelID] = [], labels: [String] = []
    ) {
        self.priorities = priorities
        self.types = types
        self.channels = channels
        self.labels = labels
    }

    package func matches(priority: ConversationPriority, type: TicketType?, channel: ChannelID?, labels: Set<String>) -> Bool {
        (priorities.isEmpty || priorities.contains(priority))
            && (types.isEmpty || type.map(types.contains) == true)
            && (channels.isEmpty || channel.map(channels.contains) == true)
            && (self.labels.isEmpty || self.labels.contains(where: labels.contains))
    }
}

/// What to do when a target is breached, besides the event and the notifications.
package struct SLAEscalation: Sendable, Hashable {
    /// Raise the ticket's priority to this (never lowers it).
    package var priority: ConversationPriority?
    /// Move the ticket to this team.
    package var team: String?

    package init(priority: ConversationPriority? = nil, team: String? = nil) {
        self.priority = priority
        self.team = team
    }
}

/// One entry of the manifest's `sla:`: which tickets, the calendar, the targets in business
/// seconds, the warning lead and the escalation on a breach.
package struct SLAPolicy: Sendable, Hashable {
    package var id: String
    /// The `calendars:` entry business time is counted in; `nil` counts every hour of every day.
    package var calendar: String?
    package var match: SLAMatch
    package var targets: [SLATarget: Int]
    package var warning: SLAWarning?
    package var escalation: SLAEscalation?

    package init(
        id: String, calendar: String? = nil, match: SLAMatch = SLAMatch(), targets: [SLATarget: Int] = [:], warning: SLAWarning? = nil,
        escalation: SLAEscalation? = nil
    ) {
        self.id = id
        self.calendar = calendar
        self.match = match
        self.targets = targets
        self.warning = warning
        self.escalation = escalation
    }
}

extension BusinessCalendar {
    /// Every hour of every day, in UTC: the calendar of a policy that names none.
    package static let aroundTheClock = BusinessCalendar(
        id: "24x7", timeZone: "UTC", weekly: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, [Period(start: 0, end: 1_440)]) }))
}
