/// What an inbound mail says about the thread it belongs to; the store decides the
/// conversation from it (and from who sent it).
package struct MailThreading: Sendable, Hashable {
    /// Without brackets.
    package var messageID: String
    /// `In-Reply-To` first, then `References`, newest first.
    package var references: [String]
    package var subject: String
    package var from: String
    package var to: [String]
    /// An auto-reply, bulk mail or bounce: kept, never answered by the bot.
    package var automated: Bool

    package init(messageID: String, references: [String], subject: String, from: String, to: [String], automated: Bool) {
        self.messageID = messageID
        self.references = references
        self.subject = subject
        self.from = from
        self.to = to
        self.automated = automated
    }

    /// The subject without `Re:`/`Fwd:`/`回复：` prefixes, case-folded, for matching.
    package static func baseSubject(_ subject: String) -> String {
        var base = subject.trimmingWhitespace()
        let prefixes = ["re:", "re：", "fw:", "fwd:", "回复:", "回复：", "答复:", "答复：", "转发:", "转发：", "aw:", "sv:", "wg:"]
        var changed = true
        while changed {
            changed = false
            if let prefix = prefixes.first(where: { base.lowercased().hasPrefix($0) }) {
                base = String(base.dropFirst(prefix.count)).trimmingWhitespace()
                changed = true
            }
        }
        return base.lowercased()
    }
}

/// What an outbound mail needs to thread under the customer's last message.
package struct MailReplyContext: Sendable, Hashable {
    package var to: String
    package var subject: String
    /// The customer's last Message-ID.
    package var inReplyTo: String?
    package var references: [String]
    /// Addresses the agent copied on this reply.
    package var cc: [String]

    package init(to: String, subject: String, inReplyTo: String?, references: [String], cc: [String] = []) {
        self.to = to
        self.subject = subject
        self.inReplyTo = inReplyTo
        self.references = references
        self.cc = cc
    }
}

extension MailReplyContext {
    /// `Re: ` once, whatever prefix (`RE:`, `回复：`, `Re[2]:`) the subject already had.
    package static func replySubject(_ subject: String) -> String {
        var base = subject.trimmingWhitespace()
        while let prefix = ["re:", "re：", "回复:", "回复：", "答复:", "答复：", "aw:", "sv:"].first(where: { base.lowercased().hasPrefix($0) }) {
            base = String(base.dropFirst(prefix.count)).trimmingWhitespace()
        }
        if base.lowercased().hasPrefix("re["), let close = base.firstIndex(of: "]"), base[close...].dropFirst().first == ":" {
            base = String(base[base.index(close, offsetBy: 2)...]).trimmingWhitespace()
        }
        return "Re: " + base
    }
}
