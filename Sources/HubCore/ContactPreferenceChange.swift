package import struct Foundation.Date

/// A customer opting out of (or back into) messages on one channel: SMS `STOP` and
/// `START`, a WeChat unfollow and follow.
package struct ContactPreferenceChange: Sendable, Hashable {
    /// The channel's thread for the customer (a phone number, an openid).
    package var threadKey: String
    package var optedOut: Bool
    /// What the customer did, e.g. `STOP` or `unsubscribe`, for the timeline.
    package var reason: String
    package var at: Date

    package init(threadKey: String, optedOut: Bool, reason: String, at: Date) {
        self.threadKey = threadKey
        self.optedOut = optedOut
        self.reason = reason
        self.at = at
    }
}
