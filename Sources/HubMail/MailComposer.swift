package import Foundation
import HubCore

/// An outbound mail, ready for SMTP: the RFC 5322 bytes and the envelope.
package struct ComposedMail: Sendable {
    package var message: [UInt8]
    /// Every envelope recipient (To, Cc and Bcc); Bcc never appears in the headers.
    package var recipients: [String]
    package var messageID: String
}

/// Writes replies the way mail clients expect them: Date and Message-ID, threaded
/// with In-Reply-To and References, a `Re:` subject, UTF-8 text and HTML alternatives
/// in base64, non-ASCII display names and subjects as encoded words.
package enum MailComposer {
    package struct Draft: Sendable {
        package var from: MailAddress
        package var replyTo: MailAddress?
        package var to: [MailAddress]
        package var cc: [MailAddress]
        package var bcc: [MailAddress]
        package var subject: String
        package var text: String
        package var html: String?
        /// Without brackets.
        package var messageID: String
        package var inReplyTo: String?
        package var references: [String]
        package var date: Date

        package init(
            from: MailAddress, replyTo: MailAddress? = nil, to: [MailAddress], cc: [MailAddress] = [], bcc: [MailAddress] = [],
            subject: String, text: String, html: String? = nil, messageID: String, inReplyTo: String? = nil, references: [String] = [],
            date: Date
        ) {
            self.from = from
            self.replyTo = replyTo
            self.to = to
            self.cc = cc
            self.bcc = bcc
            self.subject = subject
            self.text = text
            self.html = html
            self.messageID = messageID
            self.inReplyTo = inReplyTo
            self.references = references
            self.date = date
        }
    }

    package static func compose(_ draft: Draft) -> ComposedMail {
        var lines: [String] = []
        lines.append("From: \(draft.from.headerValue)")
        if let replyTo = draft.replyTo { lines.append("Reply-To: \(replyTo.headerValue)") }
        lines.append("To: " + draft.to.map(\.headerValue).joined(separator: ", "))
        if !draft.cc.isEmpty { lines.append("Cc: " + draft.cc.map(\.headerValue).joined(separator: ", ")) }
        lines.append("Subject: " + EncodedWords.encode(draft.subject))
        lines.append("Date: " + MailDate.format(draft.date))
        lines.append("Message-ID: <\(draft.messageID)>")
        if let parent = draft.inReplyTo { lines.append("In-Reply-To: <\(parent)>") }
        if !draft.references.isEmpty { lines.append("References: " + draft.references.map { "<\($0)>" }.joined(separator: "\r\n ")) }
        lines.append("MIME-Version: 1.0")
        lines.append("X-Mailer: Tributary")
        let textPart = [
            "Content-Type: text/plain; charset=\"utf-8\"", "Content-Transfer-Encoding: base64", "",
            Base64Lenient.encodeLines(Array(normalise(draft.text).utf8)),
        ]
        if let html = draft.html {
            let boundary =
                "=_tributary_" + String(draft.messageID.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
            lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("--\(boundary)")
            lines += textPart
            lines.append("--\(boundary)")
            lines += [
                "Content-Type: text/html; charset=\"utf-8\"", "Content-Transfer-Encoding: base64", "",
                Base64Lenient.encodeLines(Array(html.utf8)),
            ]
            lines.append("--\(boundary)--")
        } else {
            lines += textPart
        }
        let recipients = (draft.to + draft.cc + draft.bcc).map(\.address)
        var seen: Set<String> = []
        return ComposedMail(
            message: Array((lines.joined(separator: "\r\n") + "\r\n").utf8),
            recipients: recipients.filter { seen.insert($0.lowercased()).inserted }, messageID: draft.messageID)
    }

    /// CRLF line ends, as RFC 5322 wants.
    static func normalise(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }
}
