package import struct Foundation.Date

/// A customer action that belongs on the timeline but is not a message: a WeChat
/// follow, unfollow, menu click or QR scan.
package struct CustomerActivity: Sendable, Hashable {
    /// The channel's thread for this customer (an openid), where a reply would go.
    package var threadKey: String
    package var identities: [IdentityHint]
    package var senderName: String?
    /// A namespaced kind, e.g. `wechat.subscribe`; the timeline event's kind.
    package var kind: String
    /// One line for the timeline, e.g. "Followed the account (QR scene 42)".
    package var summary: String
    package var occurredAt: Date
    /// Whether the action lets the hub write to the customer for a while (WeChat:
    /// a menu click or a follow opens a short reply window).
    package var opensReplyWindow: Bool

    package init(
        threadKey: String, identities: [IdentityHint], senderName: String? = nil, kind: String, summary: String, occurredAt: Date,
        opensReplyWindow: Bool
    ) {
        self.threadKey = threadKey
        self.identities = identities
        self.senderName = senderName
        self.kind = kind
        self.summary = summary
        self.occurredAt = occurredAt
        self.opensReplyWindow = opensReplyWindow
    }
}
