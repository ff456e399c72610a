package import Foundation

/// How long and how often the hub may write to a customer after they reached out,
/// on channels that limit it (WeChat official accounts since June 2023: five
/// messages within 48 hours of a message, three within a minute of a menu click,
/// follow or scan).
package struct ReplyWindow: Sendable, Hashable {
    /// Opened by a customer message.
    package var afterMessage: ReplyAllowance
    /// Opened by a customer action such as a menu click; `nil` when actions open none.
    package var afterActivity: ReplyAllowance?

    package init(afterMessage: ReplyAllowance, afterActivity: ReplyAllowance? = nil) {
        self.afterMessage = afterMessage
        self.afterActivity = afterActivity
    }
}

/// A window length and how many replies fit in it.
package struct ReplyAllowance: Sendable, Hashable {
    package var duration: Duration
    /// `nil` when the window has no count limit.
    package var quota: Int?

    package init(duration: Duration, quota: Int?) {
        self.duration = duration
        self.quota = quota
    }

    /// When a window opened at `start` closes.
    package func end(openedAt start: Date) -> Date {
        start.addingTimeInterval(
            TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18)
    }
}
