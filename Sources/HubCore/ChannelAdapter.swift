import struct Foundation.Date

/// One channel instance from the manifest, able to verify, decode and send.
///
/// The hub calls an adapter in the order of DESIGN.md: ``verify(_:)`` before the
/// raw payload is written to the inbox, ``decode(_:)`` when the inbox entry is
/// processed, ``send(_:)`` from the outbox dispatcher.
public protocol ChannelAdapter: Sendable {
    /// The channel id from the manifest.
    var channelID: ChannelID { get }
    /// What the channel can carry.
    var capabilities: ChannelCapabilities { get }

    /// Checks that an inbound request really comes from the provider (signature,
    /// timestamp, origin). Throws ``HubError`` with kind `.unauthorized` when not.
    func verify(_ request: InboundRequest) throws(HubError)

    /// The provider's idempotency key for a verified request, or `nil` when the
    /// payload has none (the hub then treats every delivery as new).
    func dedupeKey(for request: InboundRequest) throws(HubError) -> String?

    /// Decodes a raw payload that passed ``verify(_:)`` into inbound events.
    func decode(_ raw: RawInbound) throws(HubError) -> [InboundEvent]

    /// Delivers one outbound message. Throws ``SendFailure`` when the channel
    /// refused it, saying whether a retry could succeed.
    func send(_ message: OutboundMessage) async throws(SendFailure) -> SendReceipt

    /// Answers a provider's `GET` on the webhook URL (WeChat's server URL check).
    /// Throws `.notFound` when the channel has no such check.
    func answerVerification(_ request: InboundRequest) throws(HubError) -> WebhookReply

    /// The body the provider expects once its delivery is durable; `nil` for the
    /// hub's JSON acknowledgement.
    func acknowledgement(for request: InboundRequest, outcome: WebhookOutcome) -> WebhookReply?

    /// What the delivery is when only its headers say so (Shopify's `X-Shopify-Topic`);
    /// stored with the payload and handed back to ``decode(_:)``.
    func topic(for request: InboundRequest) -> String?

    /// Checks a delivery and says how to store it, in one pass: adapters that must parse
    /// (or decrypt) a payload to check it hand over the events too, so that the first
    /// processing does not parse it again. The default runs ``verify(_:)``,
    /// ``dedupeKey(for:)`` and ``topic(for:)``.
    func accept(_ request: InboundRequest) throws(HubError) -> AcceptedDelivery
}

/// A delivery an adapter accepted.
public struct AcceptedDelivery: Sendable {
    public var dedupeKey: String?
    public var topic: String?
    /// The payload's events, when checking it already decoded them; `nil` to decode the stored payload.
    public var events: [InboundEvent]?
    /// The answer to this delivery once it is stored, when checking it already said what that is;
    /// `nil` to ask ``ChannelAdapter/acknowledgement(for:outcome:)``.
    public var reply: WebhookReply?

    public init(dedupeKey: String?, topic: String? = nil, events: [InboundEvent]? = nil, reply: WebhookReply? = nil) {
        self.dedupeKey = dedupeKey
        self.topic = topic
        self.events = events
        self.reply = reply
    }
}

extension ChannelAdapter {
    public func answerVerification(_ request: InboundRequest) throws(HubError) -> WebhookReply {
        throw HubError.notFound("no_verification", "channel '\(channelID)' does not answer GET on its webhook URL")
    }

    public func acknowledgement(for request: InboundRequest, outcome: WebhookOutcome) -> WebhookReply? {
        nil
    }

    public func topic(for request: InboundRequest) -> String? {
        nil
    }

    public func accept(_ request: InboundRequest) throws(HubError) -> AcceptedDelivery {
        try verify(request)
        return AcceptedDelivery(dedupeKey: try dedupeKey(for: request), topic: topic(for: request))
    }
}

/// An inbound HTTP request as an adapter sees it: transport-neutral, body collected.
public struct InboundRequest: Sendable {
    public var method: String
    /// The URL the provider called, built from the manifest's `public_url`, so that
    /// signatures over the URL verify behind a proxy.
    public var publicURL: String
    public var query: [String: String]
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: [UInt8]
    public var receivedAt: Date

    public init(
        method: String,
        publicURL: String,
        query: [String: String],
        headers: [String: String],
        body: [UInt8],
        receivedAt: Date
    ) {
        self.method = method
        self.publicURL = publicURL
        self.query = query
        self.headers = headers
        self.body = body
        self.receivedAt = receivedAt
    }
}

/// A raw payload as stored in the inbox, what ``ChannelAdapter/decode(_:)`` reads.
public struct RawInbound: Sendable {
    public var channelID: ChannelID
    public var body: [UInt8]
    public var contentType: String?
    /// What the delivery's headers said it is (``ChannelAdapter/topic(for:)``).
    public var topic: String?
    public var receivedAt: Date

    public init(channelID: ChannelID, body: [UInt8], contentType: String?, topic: String? = nil, receivedAt: Date) {
        self.channelID = channelID
        self.body = body
        self.contentType = contentType
        self.topic = topic
        self.receivedAt = receivedAt
    }
}

/// One message the hub asks an adapter to deliver.
public struct OutboundMessage: Sendable {
    public var outboxID: OutboxID
    public var messageID: MessageID
    public var conversationID: ConversationID
    /// The conversation's thread key on the channel (visitor id, chat id, mail thread).
    public var threadKey: String
    /// Parts already degraded to the channel's capabilities.
    public var parts: [MessagePart]
    public var author: Author
    public var createdAt: Date
    /// Stable across retries of this outbox entry, for providers that dedupe sends.
    public var idempotencyKey: String
    /// For mail: the recipient and the thread to reply under.
    public var mailContext: MailReplyContext?

    public init(
        outboxID: OutboxID,
        messageID: MessageID,
        conversationID: ConversationID,
        threadKey: String,
        parts: [MessagePart],
        author: Author,
        createdAt: Date,
        idempotencyKey: String,
        mailContext: MailReplyContext? = nil
    ) {
        self.outboxID = outboxID
        self.messageID = messageID
        self.conversationID = conversationID
        self.threadKey = threadKey
        self.parts = parts
        self.author = author
        self.createdAt = createdAt
        self.idempotencyKey = idempotencyKey
        self.mailContext = mailContext
    }
}

/// What a channel answered to a successful send.
public struct SendReceipt: Sendable, Hashable {
    public var providerMessageID: String?
    /// `.sent` when the provider accepted it, `.delivered` when it reached the customer.
    public var status: DeliveryStatus

    public init(providerMessageID: String?, status: DeliveryStatus) {
        self.providerMessageID = providerMessageID
        self.status = status
    }
}

/// Why a send did not go through, and whether trying again may help.
public struct SendFailure: Error, Sendable, Hashable {
    /// A short machine-readable reason, e.g. the provider's error code.
    public var code: String
    public var message: String
    /// False for errors a retry cannot fix (invalid recipient, opted out).
    public var retryable: Bool
    /// The provider's requested wait (`Retry-After`), when it gave one.
    public var retryAfter: Duration?

    public init(code: String, message: String, retryable: Bool, retryAfter: Duration? = nil) {
        self.code = code
        self.message = message
        self.retryable = retryable
        self.retryAfter = retryAfter
    }
}
