package import struct Foundation.Date

/// What an adapter decodes from one raw inbound payload.
///
/// The processing stage applies a payload's events in order and in one savepoint: a
/// message joins (or starts) its conversation and customer by its thread key and
/// identities; an order or shipment lands on the customer its identities name; a delivery
/// report moves an outbound message's status forward, never back. A payload may carry
/// several (a Shopify order with its customer and shipments) or none.
///
/// ```swift
/// func decode(_ raw: RawInbound) throws(HubError) -> [InboundEvent] {
///     let chat = try AcmeChat(raw.body)
///     return [
///         .message(InboundMessage(
///             providerMessageID: chat.id, threadKey: chat.from,
///             identities: [IdentityHint(kind: .phone, value: chat.from, verified: false)], senderName: chat.name,
///             parts: [.text(chat.text)], sentAt: chat.sentAt ?? raw.receivedAt))
///     ]
/// }
/// ```
package enum InboundEvent: Sendable, Hashable {
    /// A message from a customer.
    case message(InboundMessage)
    /// Something a customer did that is not a message (followed an account, clicked
    /// a menu): a timeline event, never a chat bubble.
    case activity(CustomerActivity)
    /// The provider's news about an outbound message (delivered, undelivered, read).
    case deliveryReport(DeliveryReport)
    /// The customer asked to stop (or resume) receiving messages on this channel.
    case contactPreference(ContactPreferenceChange)
    /// A shop's order, at the version the shop reported.
    case order(OrderSnapshot)
    /// A shipment of an order, reported on its own (`fulfillments/update`).
    case fulfillment(FulfillmentSnapshot)
    /// A shop's customer record: identifiers only, no timeline entry.
    case shopCustomer(ShopCustomer)
    /// A tracking provider's trace of a parcel.
    case tracking(TrackingUpdate)
}

/// A message a customer sent on a channel, before it is tied to a customer record.
package struct InboundMessage: Sendable, Hashable {
    /// The provider's id for the message, when it has one.
    package var providerMessageID: String?
    /// The channel's key for the thread this message belongs to (a visitor, a mail
    /// thread, a chat id); messages with the same key share a conversation.
    package var threadKey: String
    /// Identifiers of the sender, strongest first.
    package var identities: [IdentityHint]
    /// The sender's display name, when the channel gives one.
    package var senderName: String?
    package var parts: [MessagePart]
    /// When the customer sent it, per the provider; the hub's receive time otherwise.
    package var sentAt: Date
    /// For mail: the signals the store threads by; `threadKey` is then only the fallback
    /// for a message that starts a new conversation.
    package var mailThreading: MailThreading?

    package init(
        providerMessageID: String?,
        threadKey: String,
        identities: [IdentityHint],
        senderName: String?,
        parts: [MessagePart],
        sentAt: Date,
        mailThreading: MailThreading? = nil
    ) {
        self.providerMessageID = providerMessageID
        self.threadKey = threadKey
        self.identities = identities
        self.senderName = senderName
        self.parts = parts
        self.sentAt = sentAt
        self.mailThreading = mailThreading
    }
}
