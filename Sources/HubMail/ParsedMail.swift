package import Foundation
import HubCore

/// A mail message as the hub reads it: never fails, so that a message that cannot be
/// parsed is still kept (raw) and shown with a notice.
package struct ParsedMail: Sendable {
    package var headers: MailHeaders
    package var subject: String
    package var from: MailAddress?
    package var to: [MailAddress]
    package var cc: [MailAddress]
    package var replyTo: [MailAddress]
    package var date: Date?
    /// Without angle brackets.
    package var messageID: String?
    package var inReplyTo: [String]
    package var references: [String]
    /// The plain-text body, preferred; the HTML body turned into text when it is the only one.
    package var text: String
    package var html: String?
    package var attachments: [MailAttachment]
    /// What could not be read (a missing MIME boundary, an unknown charset).
    package var problems: [String]

    /// The text without the quoted history, for display.
    package var displayText: String { QuoteTrimmer.trim(text) }

    /// An auto-reply, a bulk or list mail, or a bounce: kept, never answered by the bot.
    package var isAutomated: Bool {
        if let submitted = headers["Auto-Submitted"]?.lowercased(), submitted != "no" { return true }
        if headers["X-Autoreply"] != nil || headers["X-Autorespond"] != nil || headers["X-Auto-Response-Suppress"] != nil { return true }
        if let precedence = headers["Precedence"]?.lowercased(), ["bulk", "junk", "list", "auto_reply"].contains(precedence) {
            return true
        }
        if headers["List-Id"] != nil || headers["List-Unsubscribe"] != nil { return true }
        return isBounce
    }

    /// A delivery status notification.
    package var isBounce: Bool {
        if HeaderValue(headers["Content-Type"]).value == "multipart/report" { return true }
        let sender = from?.address.lowercased() ?? ""
        return sender.hasPrefix("mailer-daemon@") || sender.hasPrefix("postmaster@") || headers["Return-Path"] == "<>"
    }

    /// Whether the receiving server says the sender passed DMARC.
    package var passedDMARC: Bool {
        headers.all("Authentication-Results").contains { $0.lowercased().contains("dmarc=pass") }
    }
}

/// A file carried by a message.
package struct MailAttachment: Sendable, Hashable {
    package var filename: String
    package var mimeType: String
    package var contentID: String?
    package var inline: Bool
    package var data: [UInt8]

    package init(filename: String, mimeType: String, contentID: String?, inline: Bool, data: [UInt8]) {
        self.filename = filename
        self.mimeType = mimeType
        self.contentID = contentID
        self.inline = inline
        self.data = data
    }
}
