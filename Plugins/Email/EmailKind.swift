import Foundation
import HubCore
import HubCurl
import HubMail

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

    /// `imap_url: imap://host/Support` names the mailbox in its path, as RFC 5092 has it; the
    /// path is then the mailbox, and a different `mailbox:` beside it is a manifest problem.
    public static func settingProblems(_ settings: ChannelSettings) -> [(key: String, message: String)] {
        guard let url = settings.string("imap_url"), let inPath = mailbox(inURL: url) else { return [] }
        let mailbox = settings.string("mailbox") ?? "INBOX"
        guard mailbox == "INBOX" || mailbox == inPath else {
            return [
                (
                    "imap_url",
                    "names mailbox '\(inPath)' in its path while mailbox: says '\(mailbox)'; keep one (the server part in imap_url, the mailbox in mailbox:)"
                )
            ]
        }
        return []
    }

    /// The mailbox an IMAP URL names in its path (`imap://host:143/INBOX` → `INBOX`), if any.
    static func mailbox(inURL url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        var path = String(rest[rest.index(after: slash)...])
        if let query = path.firstIndex(where: { $0 == "?" || $0 == ";" }) { path = String(path[..<query]) }
        while path.hasSuffix("/") { path.removeLast() }
        guard !path.isEmpty else { return nil }
        return path.removingPercentEncoding ?? path
    }

    /// The server part of an IMAP URL, without a path.
    static func server(ofURL url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return url }
        return String(url[..<slash])
    }

    public static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError) -> any ChannelAdapter {
        let settings = channel.settings
        guard let from = MailAddress.list(settings.string("from")).first else {
            throw HubError(
                .badRequest, code: "invalid_setting",
                message: "channel '\(channel.id)': 'from' must be an address, e.g. Support <support@example.com>")
        }
        let written = settings.string("imap_url") ?? ""
        let mailbox = mailbox(inURL: written) ?? settings.string("mailbox") ?? "INBOX"
        let imap = server(ofURL: written)
        let interval = settings.duration("poll_interval") ?? .seconds(30)
        return EmailAdapter(
            channelID: channel.id, imapURL: imap, mailbox: mailbox,
            smtpURL: settings.string("smtp_url") ?? "",
            username: settings.string("username") ?? "", password: settings.string("password") ?? "", from: from,
            replyToTemplate: settings.string("reply_to"),
            messageIDDomain: String(from.address.split(separator: "@").last ?? "tributary.local"),
            tls: settings.boolean("starttls") == true ? .required : .none, caFile: settings.string("ca_file"),
            batch: settings.integer("batch") ?? 50,
            pollInterval: interval == .zero ? nil : interval, curl: try services.shared(CurlClient.self).lane(channel.id, limit: 1))
    }
}
