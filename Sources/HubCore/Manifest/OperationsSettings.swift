/// The manifest's `audit:` section: how long the audit trail is kept.
package struct AuditSettings: Sendable, Hashable {
    /// The shortest retention `check` accepts: the trail must cover at least half a year.
    package static let minimumRetention: Duration = .seconds(180 * 86_400)

    /// Rows older than this are pruned, a whole day at a time, behind an anchor hash.
    package var retention: Duration = .seconds(365 * 86_400)

    package init() {}
}

/// The manifest's `limits:` section: request rates and connection limits.
package struct LimitSettings: Sendable, Hashable {
    /// `/api/v1` per bearer token (or per client address when there is none).
    package var api = RateLimit(perSecond: 200, burst: 400)
    /// `/hooks/{channel}` per channel: providers retry on 429, so this is generous.
    package var hooks = RateLimit(perSecond: 2000, burst: 4000)
    /// `/chat/{channel}` (the public widget: posts, history and socket messages) per client address
    /// and channel. Generous, since an office behind one address shares it; a flood of new visitors
    /// from one address is what it stops.
    package var chat = RateLimit(perSecond: 50, burst: 200)
    /// `POST /api/v1/auth/login` per client address, before any password is checked.
    package var login = RateLimit(perSecond: 10, burst: 30)
    /// Open connections one client address may hold.
    package var connectionsPerAddress = 256
    /// How long a request's head may take to arrive, and how long a kept-alive connection may idle.
    package var headerTimeout: Duration = .seconds(10)
    package var idleTimeout: Duration = .seconds(60)
    /// Past these the hub degrades (``OverloadPolicy``).
    package var overload = OverloadPolicy()

    package init() {}
}

/// A token bucket's shape: `perSecond` tokens return each second, up to `burst`.
package struct RateLimit: Sendable, Hashable {
    package var perSecond: Double
    package var burst: Int

    package init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = burst
    }

    /// Parses `20/s`, `600/m` or `3600/h`; `nil` when malformed or not positive.
    package init?(rateText text: String, burst: Int? = nil) {
        let parts = text.trimmingWhitespace().split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let count = Double(parts[0]), count > 0 else { return nil }
        let seconds: Double
        switch parts[1] {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3600
        default: return nil
        }
        self.perSecond = count / seconds
        self.burst = burst ?? max(1, Int(count.rounded(.up)))
    }
}
