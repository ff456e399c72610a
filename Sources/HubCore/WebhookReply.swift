/// The HTTP answer to a provider's webhook, when the provider expects a particular
/// one: WeChat's `success` or an encrypted passive reply, Twilio's empty TwiML.
package struct WebhookReply: Sendable, Hashable {
    package var status: Int
    package var contentType: String
    package var body: [UInt8]

    package init(status: Int = 200, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// A plain-text answer.
    package static func text(_ text: String, status: Int = 200) -> WebhookReply {
        WebhookReply(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
    }
}

/// What happened to a verified delivery, for ``ChannelAdapter/acknowledgement(for:outcome:)``.
package enum WebhookOutcome: Sendable, Hashable {
    /// Stored durably; the processing stage takes it from there.
    case accepted
    /// Seen before; nothing new stored.
    case duplicate
}
