package import struct Foundation.Date

/// One channel instance from the manifest, able to verify, decode and send.
///
/// The hub calls an adapter in the order of DESIGN.md:
/// 1. ``accept(_:)`` (by default ``verify(_:)``, ``dedupeKey(for:)`` and ``topic(for:)``)
///    on the request path, before the raw payload is written to the inbox. It must be fast
///    and do no I/O: the provider is waiting for its 2xx.
/// 2. ``acknowledgement(for:outcome:)`` once the payload is durable (or was a duplicate).
/// 3. ``decode(_:)`` when the processing stage takes the inbox entry, possibly after a
///    restart and on a stored payload, so it may read nothing but `raw`.
/// 4. ``send(_:)`` from the outbox dispatcher, retried per the manifest's `outbox:` policy.
///
/// An adapter is a value: it holds its settings and what the hub lent it
/// (``AdapterServices``), never global state. Errors are typed so that the HTTP layer can
/// answer each exactly (401 for a bad signature, 400 for a malformed body).
///
/// ```swift
/// struct AcmeAdapter: ChannelAdapter {
///     let channelID: ChannelID
///     let secret: String
///     let curl: CurlClient
///     var capabilities: ChannelCapabilities { ChannelCapabilities(partKinds: [.text], maxTextLength: 1000) }
///
///     func verify(_ request: InboundRequest) throws(HubError) {
///         guard ConstantTime.equals(request.headers["x-acme-secret"] ?? "", secret) else {
///             throw HubError.unauthorized("bad_signature", "X-Acme-Secret does not match")
///         }
///     }
///     func dedupeKey(for request: InboundRequest) throws(HubError) -> String? { request.headers["x-acme-event"] }
///     func decode(_ raw: RawInbound) throws(HubError) -> [InboundEvent] { [.message(try AcmePayload(raw.body).message)] }
///     func send(_ message: OutboundMessage) async throws(SendFailure) -> SendReceipt { try await post(message) }
/// }
/// ```
package protocol ChannelAdapter: Sendable {
    /// The channel id from the manifest; the webhook URL is `/hooks/{channelID}`.
    var channelID: ChannelID { get }
    /// What the channel can carry; the hub degrades outbound parts to it before ``send(_:)``
    /// and refuses a reply outside its reply window.
    var capabilities: ChannelCapabilities { get }

    /// Checks that an inbound request really comes from the provider (signature,
    /// timestamp, origin).
    /// - Parameter request: the request as received, with the body collected.
    /// - Throws: ``HubError`` `.unauthorized` when the request is not the provider's (the
    ///   hub answers 401 and stores nothing), `.badRequest` when it is too malformed to check.
    func verify(_ request: InboundRequest) throws(HubError)

    /// The provider's idempotency key for a verified request.
    /// - Parameter request: a request that passed ``verify(_:)``.
    /// - Returns: the key that is the same on every retry of this delivery (an event id, a
    ///   message id), or `nil` when the payload has none: every delivery is then new.
    /// - Throws: ``HubError`` `.badRequest` when the payload cannot be read for its key.
    func dedupeKey(for request: InboundRequest) throws(HubError) -> String?

    /// Decodes a stored payload into inbound events.
    /// - Parameter raw: the payload exactly as stored when it was accepted, with its topic.
    /// - Returns: what it says, in order; empty for a delivery that carries nothing the hub
    ///   keeps (a provider's ping).
    /// - Throws: ``HubError`` when the payload cannot be decoded; the entry is then retried
    ///   and, out of attempts, marked failed and listed, never dropped.
    func decode(_ raw: RawInbound) throws(HubError) -> [InboundEvent]

    /// Delivers one outbound message.
    /// - Parameter message: parts already degraded to ``capabilities``, with a stable
    ///   ``OutboundMessage/idempotencyKey`` for providers that dedupe sends.
    /// - Returns: the provider's id for the message and how far it got.
    /// - Throws: ``SendFailure`` when the provider refused it or could not be reached,
    ///   saying whether a retry could succeed and when the provider asked to be retried.
    func send(_ message: OutboundMessage) async throws(SendFailure) -> SendReceipt

    /// Answers a provider's `GET` on the webhook URL (WeChat's server URL check).
    /// - Parameter request: the `GET` as received.
    /// - Returns: the exact body the provider expects back.
    /// - Throws: ``HubError`` `.notFound` (the default) when the channel has no such check,
    ///   `.unauthorized` when the check's signature is wrong.
    func answerVerification(_ request: InboundRequest) throws(HubError) -> WebhookReply

    /// The body the provider expects once its delivery is durable.
    /// - Parameters:
    ///   - request: the delivery being answered.
    ///   - outcome: whether it was stored now or was a duplicate of one stored earlier.
    /// - Returns: the provider's expected answer (WeChat's `success`, TwiML), or `nil` (the
    ///   default) for the hub's JSON acknowledgement.
    func acknowledgement(for request: InboundRequest, outcome: WebhookOutcome) -> WebhookReply?

    /// What the delivery is when only its headers say so (Shopify's `X-Shopify-Topic`);
    /// stored with the payload and handed back to ``decode(_:)`` in ``RawInbound/topic``.
    /// - Returns: `nil` (the default) when the body says what it is.
    func topic(for request: InboundRequest) -> String?

    /// Checks a delivery and says how to store it, in one pass: adapters that must parse
    /// (or decrypt) a payload to check it hand over the events too, so that the first
    /// processing does not parse it again.
    /// - Parameter request: the request as received.
    /// - Returns: its dedupe key and topic, and optionally its events and answer. The
    ///   default runs ``verify(_:)``, ``dedupeKey(for:)`` and ``topic(for:)``.
    /// - Throws: what ``verify(_:)`` and ``dedupeKey(for:)`` throw.
    func accept(_ request: InboundRequest) throws(HubError) -> AcceptedDelivery
}

/// A delivery an adapter accepted.
package struct AcceptedDelivery: Sendable {
    package var dedupeKey: String?
    package var topic: String?
    /// The payload's events, when checking it already decoded them; `nil` to decode the stored payload.
    package var events: [InboundEvent]?
    /// The answer to this delivery once it is stored, when checking it already said what that is;
    /// `nil` to ask ``ChannelAdapter/acknowledgement(for:outcome:)``.
    package var reply: WebhookReply?

    package init(dedupeKey: String?, topic: String? = nil, events: [InboundEvent]? = nil, reply: WebhookReply? = nil) {
        self.dedupeKey = dedupeKey
        self.topic = topic
        self.events = events
        self.reply = reply
    }
}

extension ChannelAdapter {
    package func answerVerification(_ request: InboundRequest) throws(HubError) -> WebhookReply {
        throw HubError.notFound("no_verification", "channel '\(channelID)' does not answer GET on its webhook URL")
    }

    package func acknowledgement(for request: InboundRequest, outcome: WebhookOutcome) -> WebhookReply? {
        nil
    }

    package func topic(for request: InboundRequest) -> String? {
        nil
    }

    package func accept(_ request: InboundRequest) throws(HubError) -> AcceptedDelivery {
        try verify(request)
        return AcceptedDelivery(dedupeKey: try dedupeKey(for: request), topic: topic(for: request))
    }
}

/// An inbound HTTP request as an adapter sees it: transport-neutral, body collected.
package struct InboundRequest: Sendable {
    package var method: String
    /// The URL the provider called, built from the manifest's `public_url`, so that
    /// signatures over the URL verify behind a proxy.
    package var publicURL: String
    package var query: [String: String]
    /// Header names lower-cased.
    package var headers: [String: String]
    package var body: [UInt8]
    package var receivedAt: Date

    package init(
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
package struct RawInbound: Sendable {
    package var channelID: ChannelID
    package var body: [UInt8]
    package var contentType: String?
    /// What the delivery's headers said it is (``ChannelAdapter/topic(for:)``).
    package var topic: String?
    package var receivedAt: Date

    package init(channelID: ChannelID, body: [UInt8], contentType: String?, topic: String? = nil, receivedAt: Date) {
        self.channelID = channelID
        self.body = body
        self.contentType = contentType
        self.topic = topic
        self.receivedAt = receivedAt
    }
}

/// One message the hub asks an adapter to deliver.
package struct OutboundMessage: Sendable {
    package var outboxID: OutboxID
    package var messageID: MessageID
    package var conversationID: ConversationID
    /// The conversation's thread key on the channel (visitor id, chat id, mail thread).
    package var threadKey: String
    /// Parts already degraded to the channel's capabilities.
    package var parts: [MessagePart]
    package var author: Author
    package var createdAt: Date
    /// Stable across retries of this outbox entry, for providers that dedupe sends.
    package var idempotencyKey: String
    /// For mail: the recipient and the thread to reply under.
    package var mailContext: MailReplyContext?

    package init(
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
package struct SendReceipt: Sendable, Hashable {
    package var providerMessageID: String?
    /// `.sent` when the provider accepted it, `.delivered` when it reached the customer.
    package var status: DeliveryStatus

    package init(providerMessageID: String?, status: DeliveryStatus) {
        self.providerMessageID = providerMessageID
        self.status = status
    }
}

/// Why a send did not go through, and whether trying again may help.
package struct SendFailure: Error, Sendable, Hashable {
    /// A short machine-readable reason, e.g. the provider's error code.
    package var code: String
    package var message: String
    /// False for errors a retry cannot fix (invalid recipient, opted out).
    package var retryable: Bool
    /// The provider's requested wait (`Retry-After`), when it gave one.
    package var retryAfter: Duration?

    package init(code: String, message: String, retryable: Bool, retryAfter: Duration? = nil) {
        self.code = code
        self.message = message
        self.retryable = retryable
        self.retryAfter = retryAfter
    }
}
