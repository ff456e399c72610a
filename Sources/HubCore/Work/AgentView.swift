package import struct Foundation.Date

/// An agent account as the API shows it: never its password hash or TOTP seed.
package struct AgentView: Sendable, Hashable, Codable {
    package var id: Int64
    package var email: String
    package var name: String
    package var role: Role
    package var active: Bool
    package var teams: [String]
    package var languages: [String]
    package var channels: [ChannelID]
    package var topics: [String]
    package var capacity: Capacity
    package var presence: Presence
    package var totpEnabled: Bool
    package var locked: Bool
    package var createdAt: Date

    package init(
        id: Int64, email: String, name: String, role: Role, active: Bool, teams: [String], skills: Skills, capacity: Capacity,
        presence: Presence, totpEnabled: Bool, locked: Bool, createdAt: Date
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.active = active
        self.teams = teams
        self.languages = skills.languages
        self.channels = skills.channels
        self.topics = skills.topics
        self.capacity = capacity
        self.presence = presence
        self.totpEnabled = totpEnabled
        self.locked = locked
        self.createdAt = createdAt
    }

    package var skills: Skills { Skills(languages: languages, channels: channels, topics: topics) }

    private enum CodingKeys: String, CodingKey {
        case id, email, name, role, active, teams, languages, channels, topics, capacity, presence, locked
        case totpEnabled = "totp_enabled"
        case createdAt = "created_at"
    }
}

/// A conversation as work: its header with who holds it and where it waits.
package struct WorkItemView: Sendable, Hashable, Codable {
    package var id: ConversationID
    package var customer: CustomerID
    package var customerName: String?
    package var channel: ChannelID
    package var status: ConversationStatus
    package var priority: ConversationPriority
    package var labels: [String]
    package var assignee: Int64?
    package var assigneeName: String?
    package var team: String?
    package var queue: String?
    package var language: String?
    package var subject: String?
    package var lastMessage: String?
    package var lastMessageAt: Date
    /// Customer messages since an agent last wrote.
    package var unread: Int
    /// Seconds since the oldest customer message nobody has answered; 0 when answered.
    package var waitingSeconds: Int
    package var snoozedUntil: Date?
    package var createdAt: Date
    /// What assist read: the latest topical intent, the latest tone, and the conversation's
    /// type (inquiry, complaint, after_sales, marketing); `typeSetBy` once an agent set it.
    package var intent: String?
    package var sentiment: String?
    package var type: String?
    package var typeSetBy: String?

    package init(
        id: ConversationID, customer: CustomerID, customerName: String?, channel: ChannelID, status: ConversationStatus,
        priority: ConversationPriority, labels: [String], assignee: Int64?, assigneeName: String?, team: String?, queue: String?,
        language: String?, subject: String?, lastMessage: String?, lastMessageAt: Date, unread: Int, waitingSeconds: Int,
        snoozedUntil: Date?, createdAt: Date
    ) {
        self.id = id
        self.customer = customer
        self.customerName = customerName
        self.channel = channel
        self.status = status
        self.priority = priority
        self.labels = labels
        self.assignee = assignee
        self.assigneeName = assigneeName
        self.team = team
        self.queue = queue
        self.language = language
        self.subject = subject
        self.lastMessage = lastMessage
        self.lastMessageAt = lastMessageAt
        self.unread = unread
        self.waitingSeconds = waitingSeconds
        self.snoozedUntil = snoozedUntil
        self.createdAt = createdAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, customer, channel, status, priority, labels, assignee, team, queue, language, subject, unread, intent, sentiment, type
        case typeSetBy = "type_set_by"
        case customerName = "customer_name"
        case assigneeName = "assignee_name"
        case lastMessage = "last_message"
        case lastMessageAt = "last_message_at"
        case waitingSeconds = "waiting_seconds"
        case snoozedUntil = "snoozed_until"
        case createdAt = "created_at"
    }
}

/// A private note on a conversation.
package struct NoteView: Sendable, Hashable, Codable {
    package var id: Int64
    package var conversation: ConversationID
    package var author: String
    package var text: String
    package var createdAt: Date

    package init(id: Int64, conversation: ConversationID, author: String, text: String, createdAt: Date) {
        self.id = id
        self.conversation = conversation
        self.author = author
        self.text = text
        self.createdAt = createdAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, conversation, author, text
        case createdAt = "created_at"
    }
}

/// One queue's state for `GET /api/v1/queues`.
package struct QueueStatus: Sendable, Hashable, Codable {
    package var id: String
    package var team: String?
    package var policy: RoutingPolicy
    package var waiting: Int
    package var longestWaitSeconds: Int
    package var agentsAvailable: Int
    package var agentsOnline: Int
    /// The wait a conversation entering now would be told, in minutes; `nil` when nobody eligible is online.
    package var estimateMinutes: [Int]?

    package init(
        id: String, team: String?, policy: RoutingPolicy, waiting: Int, longestWaitSeconds: Int, agentsAvailable: Int,
        agentsOnline: Int, estimateMinutes: [Int]?
    ) {
        self.id = id
        self.team = team
        self.policy = policy
        self.waiting = waiting
        self.longestWaitSeconds = longestWaitSeconds
        self.agentsAvailable = agentsAvailable
        self.agentsOnline = agentsOnline
        self.estimateMinutes = estimateMinutes
    }

    private enum CodingKeys: String, CodingKey {
        case id, team, policy, waiting
        case longestWaitSeconds = "longest_wait_seconds"
        case agentsAvailable = "agents_available"
        case agentsOnline = "agents_online"
        case estimateMinutes = "estimate_minutes"
    }
}
