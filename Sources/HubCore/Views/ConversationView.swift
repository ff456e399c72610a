package import struct Foundation.Date

/// A conversation's header.
package struct ConversationSummary: Sendable, Hashable, Codable {
    package var id: ConversationID
    package var customerID: CustomerID
    package var channelID: ChannelID
    package var threadKey: String
    package var status: String
    package var createdAt: Date
    package var lastMessageAt: Date
    /// For mail: the subject of the mail that started it.
    package var subject: String?

    package init(
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
package struct OutboxEntry: Sendable, Hashable, Codable {
    package var id: OutboxID
    package var messageID: MessageID
    package var channelID: ChannelID
    package var state: OutboxState
    package var attempts: Int
    package var nextAttemptAt: Date
    package var lastError: String?
    package var createdAt: Date
    package var updatedAt: Date

    package init(
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
