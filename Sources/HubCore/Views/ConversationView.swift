import struct Foundation.Date

/// A conversation's header.
public struct ConversationSummary: Sendable, Hashable, Codable {
    public var id: ConversationID
    public var customerID: CustomerID
    public var channelID: ChannelID
    public var threadKey: String
    public var status: String
    public var createdAt: Date
    public var lastMessageAt: Date
    /// For mail: the subject of the mail that started it.
    public var subject: String?

    public init(
        id: ConversationID, customerID: CustomerID, channelID: ChannelID, threadKey: String, status: String, createdAt: Date,
        lastMessageAt: Date, subject: String? = nil
    ) {
        self.subject = subject
        self.id = id
        self.customerID = customerID
        self.channelID = channelID
        self.threadKey = threadKey
        self.status = status
        self.createdAt = createdAt
        self.lastMessageAt = lastMessageAt
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case customerID = "customer"
        case channelID = "channel"
        case threadKey = "thread"
        case status
        case createdAt = "created_at"
        case lastMessageAt = "last_message_at"
        case subject
    }
}

/// An outbox entry as the API lists it.
public struct OutboxEntry: Sendable, Hashable, Codable {
    public var id: OutboxID
    public var messageID: MessageID
    public var channelID: ChannelID
    public var state: OutboxState
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: OutboxID, messageID: MessageID, channelID: ChannelID, state: OutboxState, attempts: Int, nextAttemptAt: Date,
        lastError: String?, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.messageID = messageID
        self.channelID = channelID
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case messageID = "message"
        case channelID = "channel"
        case state, attempts
        case nextAttemptAt = "next_attempt_at"
        case lastError = "last_error"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
