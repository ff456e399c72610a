import Foundation
package import HubCore
import HubCurl
import HubMail

/// `kind: email`: one mailbox, IMAP in and SMTP out.
package enum EmailKind: TypedChannelKind {
    package static let name = "email"

    /// `imap_url: imap://host/Support` names the mailbox in its path, as RFC 5092 has it; the
    /// path is then the mailbox, and a different `mailbox:` beside it is a manifest problem.
    package static func settingProblems(_ settings: ChannelSettings) -> [(key: String, message: String)] {
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

    package static func makeAdapter(for channel: ChannelConfig, settings: EmailSettings, services: AdapterServices) throws(HubError)
        -> any ChannelAdapter
    {
        guard let from = MailAddress.list(settings.from).first else {
            throw HubError(
                .badRequest, code: "invalid_setting",
                message: "channel '\(channel.id)': 'from' must be an address, e.g. Support <support@example.com>")
        }
        let mailbox = mailbox(inURL: settings.imapURL) ?? settings.mailbox
        let interval = settings.pollInterval
        return EmailAdapter(
            channelID: channel.id, imapURL: server(ofURL: settings.imapURL), mailbox: mailbox, smtpURL: settings.smtpURL,
            username: settings.username, password: settings.password, from: from, replyToTemplate: settings.replyTo,
            messageIDDomain: String(from.address.split(separator: "@").last ?? "tributary.local"),
            tls: settings.startTLS ? .required : .none, caFile: settings.caFile, batch: settings.batch,
            pollInterval: interval == .zero ? nil : interval, curl: try services.shared(CurlClient.self).lane(channel.id, limit: 1))
    }
}
