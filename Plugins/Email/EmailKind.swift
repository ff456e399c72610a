import HubCore
import HubCurl

/// `kind: email`: one mailbox, IMAP in and SMTP out.
public enum EmailKind: ChannelKind {
    public static let name = "email"

    public static let settingsSchema = SettingsSchema([
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

    public static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError) -> any ChannelAdapter {
        let settings = channel.settings
        guard let from = MailAddress.list(settings.string("from")).first else {
            throw HubError(
                .badRequest, code: "invalid_setting",
                message: "channel '\(channel.id)': 'from' must be an address, e.g. Support <support@example.com>")
        }
        var imap = settings.string("imap_url") ?? ""
        if imap.hasSuffix("/") { imap.removeLast() }
        let interval = settings.duration("poll_interval") ?? .seconds(30)
        return EmailAdapter(
            channelID: channel.id, imapURL: imap, mailbox: settings.string("mailbox") ?? "INBOX",
            smtpURL: settings.string("smtp_url") ?? "",
            username: settings.string("username") ?? "", password: settings.string("password") ?? "", from: from,
            replyToTemplate: settings.string("reply_to"),
            messageIDDomain: String(from.address.split(separator: "@").last ?? "tributary.local"),
            tls: settings.boolean("starttls") == true ? .required : .none, caFile: settings.string("ca_file"),
            batch: settings.integer("batch") ?? 50,
            pollInterval: interval == .zero ? nil : interval, curl: CurlClient(workers: 1))
    }
}
