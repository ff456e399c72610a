package import Foundation

/// What the hub knows about one customer on one channel that decides whether it may
/// write to them: when they last wrote or acted, replies since, and opt-out.
package struct ContactState: Sendable, Hashable {
    package var lastMessageAt: Date?
    package var repliesSinceMessage: Int
    package var lastActivityAt: Date?
    package var repliesSinceActivity: Int
    package var optedOut: Bool

    package init(
        lastMessageAt: Date? = nil, repliesSinceMessage: Int = 0, lastActivityAt: Date? = nil, repliesSinceActivity: Int = 0,
        optedOut: Bool = false
    ) {
        self.lastMessageAt = lastMessageAt
        self.repliesSinceMessage = repliesSinceMessage
        self.lastActivityAt = lastActivityAt
        self.repliesSinceActivity = repliesSinceActivity
        self.optedOut = optedOut
    }
}

/// Which allowance a permitted reply uses, so that the store can count it there.
package enum ReplyGrant: Sendable, Hashable {
    case unrestricted
    case messageWindow
    case activityWindow
}

/// Decides, before a reply is queued, whether the channel would accept it: the hub
/// refuses a send that would break the channel's rules and tells the agent why,
/// instead of letting the provider reject it later.
package enum ReplyGate {
    package static func check(
        _ state: ContactState?, capabilities: ChannelCapabilities, channelID: ChannelID, now: Date
    ) -> Result<ReplyGrant, HubError> {
        let state = state ?? ContactState()
        if capabilities.honoursOptOut && state.optedOut {
            return .failure(
                HubError(
                    .conflict, code: "recipient_opted_out",
                    message:
                        "the customer opted out of messages on channel '\(channelID)'; nothing is sent there until they opt back in (SMS: START)"
                ))
        }
        guard let window = capabilities.replyWindow else { return .success(.unrestricted) }
        if allowance(window.afterMessage, since: state.lastMessageAt, used: state.repliesSinceMessage, now: now) == true {
            return .success(.messageWindow)
        }
        if let activityAllowance = window.afterActivity,
            allowance(activityAllowance, since: state.lastActivityAt, used: state.repliesSinceActivity, now: now) == true
        {
            return .success(.activityWindow)
        }
        let messageOpen = allowance(window.afterMessage, since: state.lastMessageAt, used: 0, now: now) == true
        if messageOpen, let quota = window.afterMessage.quota {
            return .failure(
                HubError(
                    .conflict, code: "reply_quota_exhausted",
                    message:
                        "channel '\(channelID)' allows \(quota) replies after a customer message and they are used up; the next customer message opens the window again"
                ))
        }
        let seconds = window.afterMessage.duration.components.seconds
        let length = seconds % 3600 == 0 ? "\(seconds / 3600) hours" : "\(seconds / 60) minutes"
        let last = state.lastMessageAt.map { "the customer last wrote at \($0.ISO8601Format())" } ?? "the customer has not written here"
        return .failure(
            HubError(
                .conflict, code: "outside_reply_window",
                message:
                    "channel '\(channelID)' only allows replies within \(length) of the customer's last message and \(last); reply on another channel of this customer, or wait for them to write"
            ))
    }

    /// `true` when a window opened at `since` is still open at `now` with room left;
    /// `nil` when no window was ever opened.
    static func allowance(_ allowance: ReplyAllowance, since: Date?, used: Int, now: Date) -> Bool? {
        guard let since else { return nil }
        guard now <= allowance.end(openedAt: since) else { return false }
        return allowance.quota.map { used < $0 } ?? true
    }
}
