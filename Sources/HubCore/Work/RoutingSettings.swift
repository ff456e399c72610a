/// The manifest's `teams:` and `routing:` sections.
package struct RoutingSettings: Sendable, Hashable {
    package var teams: [Team]
    package var queues: [QueueConfig]
    /// How long after resolving a customer's message reopens the conversation (else starts a new one).
    package var reopenWindow: Duration
    /// How long an agent's console socket may be gone before they count as away.
    package var presenceGrace: Duration
    /// Whether the customer is told their place and wait when no agent takes them at once.
    package var waitMessages: Bool

    package init(
        teams: [Team] = [], queues: [QueueConfig] = [], reopenWindow: Duration = .seconds(7 * 86_400),
        presenceGrace: Duration = .seconds(60), waitMessages: Bool = true
    ) {
        self.teams = teams
        self.queues = queues
        self.reopenWindow = reopenWindow
        self.presenceGrace = presenceGrace
        self.waitMessages = waitMessages
    }

    /// The queues routing uses: the declared ones, highest priority first (manifest order
    /// among equals), or one default queue that takes everything.
    package var effectiveQueues: [QueueConfig] {
        guard !queues.isEmpty else { return [QueueConfig(id: "default")] }
        return queues.enumerated().sorted { ($0.element.priority, -$0.offset) > ($1.element.priority, -$1.offset) }.map(\.element)
    }

    /// The languages routing and assist label messages with.
    package static let languages = AssistLabels.languages

    /// The intent labels of `../shared/ASSIST.md`, which a queue's `match.intents` and an agent's topics may name.
    package static let intents = AssistLabels.intents + [AssistLabels.otherIntent]

    package func team(_ id: String) -> Team? {
        teams.first { $0.id == id }
    }
}

/// A group of agents (`teams: [{ id: cn, name: 中文组 }]`).
package struct Team: Sendable, Hashable, Codable {
    package var id: String
    package var name: String

    package init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// How a queue picks among eligible agents.
package enum RoutingPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// The agent with the lowest occupancy of that kind of work; ties go to the one idle longest.
    case leastLoaded = "least_loaded"
    /// The eligible agent assigned longest ago.
    case roundRobin = "round_robin"
    /// Nobody is offered work; agents take it with `POST /queues/{id}/next` or a claim.
    case manual
}

/// One entry of `routing.queues`.
package struct QueueConfig: Sendable, Hashable, Codable {
    package var id: String
    /// Only this team's members are eligible; `nil` means every agent.
    package var team: String?
    package var match: QueueMatch
    /// Higher is matched first and served first.
    package var priority: Int
    package var policy: RoutingPolicy
    /// An offer nobody answered within this goes back to the queue.
    package var answerWithin: Duration

    package init(
        id: String, team: String? = nil, match: QueueMatch = QueueMatch(), priority: Int = 0, policy: RoutingPolicy = .leastLoaded,
        answerWithin: Duration = .seconds(300)
    ) {
        self.id = id
        self.team = team
        self.match = match
        self.priority = priority
        self.policy = policy
        self.answerWithin = answerWithin
    }
}

/// Which conversations a queue takes: every list that is not empty must match.
package struct QueueMatch: Sendable, Hashable, Codable {
    package var channels: [ChannelID]
    package var languages: [String]
    /// Any one of these labels on the conversation.
    package var labels: [String]
    /// Any one of these intents (set by assist).
    package var intents: [String]

    package init(channels: [ChannelID] = [], languages: [String] = [], labels: [String] = [], intents: [String] = []) {
        self.channels = channels
        self.languages = languages
        self.labels = labels
        self.intents = intents
    }

    package func matches(_ work: WorkItem) -> Bool {
        (channels.isEmpty || channels.contains(work.channelID))
            && (languages.isEmpty || work.language.map(languages.contains) == true)
            && (labels.isEmpty || !Set(labels).isDisjoint(with: work.labels))
            && (intents.isEmpty || work.intent.map(intents.contains) == true)
    }
}
