package import struct Foundation.Date

/// An agent as routing sees them at one instant.
package struct RoutableAgent: Sendable, Hashable {
    package var id: Int64
    /// Presence after the socket grace (``Presence/effective(set:openSockets:socketLeftAt:now:grace:)``).
    package var presence: Presence
    package var active: Bool
    package var teams: [String]
    package var skills: Skills
    package var capacity: Capacity
    /// Conversations of each kind they hold now (open or pending).
    package var load: [WorkKind: Int]
    package var lastAssignedAt: Date?

    package init(
        id: Int64, presence: Presence, active: Bool = true, teams: [String] = [], skills: Skills = Skills(),
        capacity: Capacity = Capacity(), load: [WorkKind: Int] = [:], lastAssignedAt: Date? = nil
    ) {
        self.id = id
        self.presence = presence
        self.active = active
        self.teams = teams
        self.skills = skills
        self.capacity = capacity
        self.load = load
        self.lastAssignedAt = lastAssignedAt
    }

    /// Share of the capacity of `kind` in use, 0...1 (1 when the capacity is 0).
    package func occupancy(_ kind: WorkKind) -> Double {
        let limit = capacity[kind]
        return limit > 0 ? Double(load[kind, default: 0]) / Double(limit) : 1
    }

    /// Whether this agent may be offered `work` from `queue`: online, under capacity, in
    /// the queue's team, and with the skills the work needs.
    package func isEligible(for work: WorkItem, in queue: QueueConfig) -> Bool {
        active && presence == .online && load[work.kind, default: 0] < capacity[work.kind] && hasSkills(for: work, in: queue)
    }

    /// The team and skill part of eligibility, whatever the agent's presence and load.
    package func hasSkills(for work: WorkItem, in queue: QueueConfig) -> Bool {
        if let team = queue.team, !teams.contains(team) { return false }
        if !skills.channels.isEmpty && !skills.channels.contains(work.channelID) { return false }
        if let language = work.language, !skills.languages.isEmpty, !Self.speaks(skills.languages, language) { return false }
        if let intent = work.intent, !skills.topics.isEmpty, !skills.topics.contains(intent) { return false }
        return true
    }

    /// A mixed-language message suits anyone who reads either language.
    static func speaks(_ languages: [String], _ language: String) -> Bool {
        languages.contains(language) || (language == "mix" && (languages.contains("zh") || languages.contains("en")))
    }
}

/// A conversation waiting for an agent.
package struct WorkItem: Sendable, Hashable {
    package var conversationID: ConversationID
    package var channelID: ChannelID
    package var kind: WorkKind
    package var language: String?
    package var labels: [String]
    package var intent: String?
    package var priority: ConversationPriority
    /// The queue it sits in; `nil` until routing matched one.
    package var queueID: String?
    /// A team it was transferred to: only that team's members are eligible.
    package var team: String?
    package var queuedAt: Date
    /// Agents who let an offer of it lapse; they are passed over while someone else is eligible.
    package var declinedBy: Set<Int64>

    package init(
        conversationID: ConversationID, channelID: ChannelID, kind: WorkKind, language: String? = nil, labels: [String] = [],
        intent: String? = nil, priority: ConversationPriority = .normal, queueID: String? = nil, team: String? = nil,
        queuedAt: Date, declinedBy: Set<Int64> = []
    ) {
        self.conversationID = conversationID
        self.channelID = channelID
        self.kind = kind
        self.language = language
        self.labels = labels
        self.intent = intent
        self.priority = priority
        self.queueID = queueID
        self.team = team
        self.queuedAt = queuedAt
        self.declinedBy = declinedBy
    }
}

/// One decision of a routing round.
package struct Assignment: Sendable, Hashable {
    package var conversationID: ConversationID
    package var agentID: Int64
    package var queueID: String
}

/// The routing decision, pure: which queued conversation goes to which agent now.
package struct RoutingPlanner: Sendable {
    package var queues: [QueueConfig]

    package init(settings: RoutingSettings) {
        self.queues = settings.effectiveQueues
    }

    package init(queues: [QueueConfig]) {
        self.queues = queues
    }

    /// The first queue (by priority, then manifest order) whose match takes `work`; the last
    /// queue catches what none matches.
    package func queue(for work: WorkItem) -> QueueConfig {
        queues.first { $0.match.matches(work) } ?? queues[queues.count - 1]
    }

    package func queue(id: String?) -> QueueConfig? {
        queues.first { $0.id == id }
    }

    /// The queue `work` sits in, with a transfer's team in place of the queue's.
    func effectiveQueue(for work: WorkItem) -> QueueConfig {
        var queue = queue(id: work.queueID) ?? queue(for: work)
        if let team = work.team { queue.team = team }
        return queue
    }

    /// The order waiting work is served in: higher conversation priority first, then the
    /// higher queue, then the one that has waited longest.
    package func servingOrder(_ work: [WorkItem]) -> [WorkItem] {
        let rank = Dictionary(queues.enumerated().map { ($0.element.id, $0.element.priority) }, uniquingKeysWith: { first, _ in first })
        return work.sorted { left, right in
            if left.priority != right.priority { return left.priority > right.priority }
            let leftQueue = rank[left.queueID ?? ""] ?? 0
            let rightQueue = rank[right.queueID ?? ""] ?? 0
            if leftQueue != rightQueue { return leftQueue > rightQueue }
            if left.queuedAt != right.queuedAt { return left.queuedAt < right.queuedAt }
            return left.conversationID < right.conversationID
        }
    }

    /// Offers as much waiting work as eligible agents can take, in serving order. Each
    /// offer counts against the agent's capacity at once, so one round never overfills anyone.
    package func plan(waiting: [WorkItem], agents: [RoutableAgent], now: Date) -> [Assignment] {
        var agents = agents
        var assignments: [Assignment] = []
        for work in servingOrder(waiting) {
            let queue = effectiveQueue(for: work)
            guard queue.policy != .manual, let index = choose(for: work, in: queue, among: agents) else { continue }
            agents[index].load[work.kind, default: 0] += 1
            agents[index].lastAssignedAt = now
            assignments.append(Assignment(conversationID: work.conversationID, agentID: agents[index].id, queueID: queue.id))
        }
        return assignments
    }

    /// The agent `queue`'s policy picks for `work`, by index; `nil` when nobody is eligible.
    package func choose(for work: WorkItem, in queue: QueueConfig, among agents: [RoutableAgent]) -> Int? {
        let eligible = agents.indices.filter { agents[$0].isEligible(for: work, in: queue) }
        let fresh = eligible.filter { !work.declinedBy.contains(agents[$0].id) }
        let candidates = fresh.isEmpty ? eligible : fresh
        let idleSince = { (index: Int) in agents[index].lastAssignedAt ?? .distantPast }
        switch queue.policy {
        case .manual:
            return nil
        case .roundRobin:
            return candidates.min { (idleSince($0), agents[$0].id) < (idleSince($1), agents[$1].id) }
        case .leastLoaded:
            return candidates.min { left, right in
                let a = agents[left].occupancy(work.kind)
                let b = agents[right].occupancy(work.kind)
                if a != b { return a < b }
                return (idleSince(left), agents[left].id) < (idleSince(right), agents[right].id)
            }
        }
    }

    /// The next conversation `agent` may take from `queueID` on demand, ignoring the policy
    /// (`POST /queues/{id}/next`): the first in serving order they are eligible for.
    package func next(for agent: RoutableAgent, queueID: String, waiting: [WorkItem]) -> WorkItem? {
        servingOrder(waiting).first { work in
            let queue = effectiveQueue(for: work)
            return queue.id == queueID && agent.isEligible(for: work, in: queue)
        }
    }
}
