package import struct Foundation.Date

/// A stored message as agents, visitors and the bot read it.
package struct MessageView: Sendable, Hashable, Codable {
    package var id: MessageID
    package var conversationID: ConversationID
    package var channelID: ChannelID
    package var direction: MessageDirection
    package var author: Author
    package var parts: [MessagePart]
    package var text: String
    package var status: DeliveryStatus
    package var providerMessageID: String?
    package var createdAt: Date
    /// The provider's last delivery report, e.g. `undelivered (30003)`, or why a send failed.
    package var deliveryDetail: String?
    /// For mail: the message's subject.
    package var subject: String?
    /// What assist read in a customer's message, once it has.
    package var analysis: MessageAnalysis?

    package init(
        id: MessageID,
        conversationID: ConversationID,
        channelID: ChannelID,
        direction: MessageDirection,
        author: Author,
        parts: [MessagePart],
        status: DeliveryStatus,
        providerMessageID: String?,
        createdAt: Date,
        deliveryDetail: String? = nil,
        subject: String? = nil
    ) {
        self.subject = subject
        self.id = id
        self.conversationID = conversationID
        self.channelID = channelID
        self.direction = direction
        self.author = author
        self.parts = parts
        self.text = parts.plainText
        self.status = status
        self.providerMessageID = providerMessageID
        self.createdAt = createdAt
        self.deliveryDetail = deliveryDetail
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case conversationID = "conversation"
        case channelID = "channel"
        case direction, author, parts, text, status
        case providerMessageID = "provider_message_id"
        case createdAt = "created_at"
        case deliveryDetail = "delivery_detail"
        case subject, analysis
    }
}
