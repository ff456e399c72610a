package import Foundation

/// One channel an agent can answer a customer on, as the console's composer shows it before
/// sending: whether the channel would take a reply now and, when not, the same refusal the
/// send would get; the reply window and the replies left in it; the length limit.
package struct ReplyOption: Sendable, Hashable {
    package var conversation: ConversationID
    package var channel: ChannelID
    package var kind: String
    /// The mail thread's subject; a reply goes out as `Re:` it.
    package var subject: String?
    package var allowed: Bool
    /// The error code and message a send would get now (`outside_reply_window`, `recipient_opted_out`…).
    package var refusalCode: String?
    package var refusalMessage: String?
    /// When the window the next reply would use closes; `nil` on channels without one.
    package var windowClosesAt: Date?
    package var repliesLeft: Int?
    package var maxLength: Int?
    package var optedOut: Bool

    /// The option for a thread in `state` on a channel with `capabilities`, decided by ``ReplyGate``.
    package static func evaluate(
        conversation: ConversationID, channel: ChannelID, kind: String, subject: String?, state: ContactState?,
        capabilities: ChannelCapabilities, now: Date
    ) -> ReplyOption {
        let state = state ?? ContactState()
        var option = ReplyOption(
            conversation: conversation, channel: channel, kind: kind, subject: subject, allowed: true, refusalCode: nil,
            refusalMessage: nil,
            windowClosesAt: nil, repliesLeft: nil, maxLength: capabilities.maxTextLength,
            optedOut: capabilities.honoursOptOut && state.optedOut)
        switch ReplyGate.check(state, capabilities: capabilities, channelID: channel, now: now) {
        case .failure(let refusal):
            option.allowed = false
            option.refusalCode = refusal.code
            option.refusalMessage = refusal.message
        case .success(.messageWindow):
            if let allowance = capabilities.replyWindow?.afterMessage, let since = state.lastMessageAt {
                option.windowClosesAt = allowance.end(openedAt: since)
                option.repliesLeft = allowance.quota.map { max(0, $0 - state.repliesSinceMessage) }
            }
        case .success(.activityWindow):
            if let allowance = capabilities.replyWindow?.afterActivity, let since = state.lastActivityAt {
                option.windowClosesAt = allowance.end(openedAt: since)
                option.repliesLeft = allowance.quota.map { max(0, $0 - state.repliesSinceActivity) }
            }
        case .success(.unrestricted):
            break
        }
        return option
    }
}

extension ReplyOption: Encodable {
    enum CodingKeys: String, CodingKey {
        case conversation, channel, kind, subject, allowed, refusal
        case windowClosesAt = "window_closes_at"
        case repliesLeft = "replies_left"
        case maxLength = "max_length"
        case optedOut = "opted_out"
    }

    enum RefusalKeys: String, CodingKey {
        case error, message
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(conversation, forKey: .conversation)
        try container.encode(channel, forKey: .channel)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(subject, forKey: .subject)
        try container.encode(allowed, forKey: .allowed)
        if let refusalCode {
            var refusal = container.nestedContainer(keyedBy: RefusalKeys.self, forKey: .refusal)
            try refusal.encode(refusalCode, forKey: .error)
            try refusal.encodeIfPresent(refusalMessage, forKey: .message)
        }
        try container.encodeIfPresent(windowClosesAt, forKey: .windowClosesAt)
        try container.encodeIfPresent(repliesLeft, forKey: .repliesLeft)
        try container.encodeIfPresent(maxLength, forKey: .maxLength)
        try container.encode(optedOut, forKey: .optedOut)
    }
}
