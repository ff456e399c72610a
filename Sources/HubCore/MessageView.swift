import struct Foundation.Date

/// A stored message as agents, visitors and the bot read it.
public struct MessageView: Sendable, Hashable, Codable {
    public var id: MessageID
    public var conversationID: ConversationID
    public var channelID: ChannelID
    public var direction: MessageDirection
    public var author: Author
    public var parts: [MessagePart]
    public var text: String
    public var status: DeliveryStatus
    public var providerMessageID: String?
    public var createdAt: Date
    /// The provider's last delivery report, e.g. `undelivered (30003)`, or why a send failed.
    public var deliveryDetail: String?
    /// For mail: the message's subject.
    public var subject: String?

    public init(
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
        case subject
    }
}
