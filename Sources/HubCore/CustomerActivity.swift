import struct Foundation.Date

/// A customer action that belongs on the timeline but is not a message: a WeChat
/// follow, unfollow, menu click or QR scan.
public struct CustomerActivity: Sendable, Hashable {
    /// The channel's thread for this customer (an openid), where a reply would go.
    public var threadKey: String
    public var identities: [IdentityHint]
    public var senderName: String?
    /// A namespaced kind, e.g. `wechat.subscribe`; the timeline event's kind.
    public var kind: String
    /// One line for the timeline, e.g. "Followed the account (QR scene 42)".
    public var summary: String
    public var occurredAt: Date
    /// Whether the action lets the hub write to the customer for a while (WeChat:
    /// a menu click or a follow opens a short reply window).
    public var opensReplyWindow: Bool

    public init(
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
