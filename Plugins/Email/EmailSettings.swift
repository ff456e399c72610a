package import HubCore

/// The settings of an `email` channel, decoded once from the manifest.
package struct EmailSettings: ChannelKindSettings {
    package static let schema = SettingsSchema([
        SettingSpec("imap_url", .url(schemes: ["imap", "imaps"]), required: true),
        SettingSpec("smtp_url", .url(schemes: ["smtp", "smtps"]), required: true),
        SettingSpec("username", .string, required: true),
        SettingSpec("password", .secret, required: true),
        SettingSpec("from", .string, required: true),
        SettingSpec("reply_to", .string),
        SettingSpec("mailbox", .string, default: .string("INBOX")),
        SettingSpec("starttls", .boolean, default: .boolean(false)),
        SettingSpec("ca_file", .string),
        SettingSpec("poll_interval", .duration, default: .duration(.seconds(30))),
        SettingSpec("batch", .integer(1...500), default: .integer(50)),
    ])

    /// May name the mailbox in its path (RFC 5092).
    var imapURL: String
    var smtpURL: String
    var username: String
    var password: String
    /// `Support <support@example.com>`.
    var from: String
    /// A `Reply-To` template; `{conversation}` becomes the thread's token.
    var replyTo: String?
    var mailbox: String
    var startTLS: Bool
    var caFile: String?
    var pollInterval: Duration
    /// Messages fetched per poll.
    var batch: Int

    enum CodingKeys: String, CodingKey {
        case imapURL = "imap_url"
        case smtpURL = "smtp_url"
        case username, password, from
        case replyTo = "reply_to"
        case mailbox
        case startTLS = "starttls"
        case caFile = "ca_file"
        case pollInterval = "poll_interval"
        case batch
    }
}
