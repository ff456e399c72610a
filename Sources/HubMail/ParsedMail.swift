import Foundation
import HubCore

/// A mail message as the hub reads it: never fails, so that a message that cannot be
/// parsed is still kept (raw) and shown with a notice.
public struct ParsedMail: Sendable {
    public var headers: MailHeaders
    public var subject: String
    public var from: MailAddress?
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var replyTo: [MailAddress]
    public var date: Date?
    /// Without angle brackets.
    public var messageID: String?
    public var inReplyTo: [String]
    public var references: [String]
    /// The plain-text body, preferred; the HTML body turned into text when it is the only one.
    public var text: String
    public var html: String?
    public var attachments: [MailAttachment]
    /// What could not be read (a missing MIME boundary, an unknown charset).
    public var problems: [String]

    /// The text without the quoted history, for display.
    public var displayText: String { QuoteTrimmer.trim(text) }

    /// An auto-reply, a bulk or list mail, or a bounce: kept, never answered by the bot.
    public var isAutomated: Bool {
        if let submitted = headers["Auto-Submitted"]?.lowercased(), submitted != "no" { return true }
        if headers["X-Autoreply"] != nil || headers["X-Autorespond"] != nil || headers["X-Auto-Response-Suppress"] != nil { return true }
        if let precedence = headers["Precedence"]?.lowercased(), ["bulk", "junk", "list", "auto_reply"].contains(precedence) {
            return true
        }
        if headers["List-Id"] != nil || headers["List-Unsubscribe"] != nil { return true }
        return isBounce
    }

    /// A delivery status notification.
    public var isBounce: Bool {
        if HeaderValue(headers["Content-Type"]).value == "multipart/report" { return true }
        let sender = from?.address.lowercased() ?? ""
        return sender.hasPrefix("mailer-daemon@") || sender.hasPrefix("postmaster@") || headers["Return-Path"] == "<>"
    }

    /// Whether the receiving server says the sender passed DMARC.
    public var passedDMARC: Bool {
        headers.all("Authentication-Results").contains { $0.lowercased().contains("dmarc=pass") }
    }
}

/// A file carried by a message.
public struct MailAttachment: Sendable, Hashable {
    public var filename: String
    public var mimeType: String
    public var contentID: String?
    public var inline: Bool
    public var data: [UInt8]

    public init(filename: String, mimeType: String, contentID: String?, inline: Bool, data: [UInt8]) {
        self.filename = filename
        self.mimeType = mimeType
        self.contentID = contentID
        self.inline = inline
        self.data = data
    }
}
