/// One token bucket: full at `burst`, refilled at `perSecond`, each request taking a token.
/// Times are seconds on any monotonic clock the caller keeps.
package struct TokenBucket: Sendable, Hashable {
    package let limit: RateLimit
    private var tokens: Double
    private var updatedAt: Double

    package init(_ limit: RateLimit, now: Double) {
        self.limit = limit
        self.tokens = Double(limit.burst)
        self.updatedAt = now
    }

    /// Takes a token: `nil` when one was there, or the whole seconds until one will be (what
    /// `Retry-After` says; never 0).
    package mutating func take(now: Double) -> Int? {
        refill(now: now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return max(1, Int(((1 - tokens) / limit.perSecond).rounded(.up)))
    }

    /// Whether the bucket is full again, so that a table of buckets can forget it.
    package mutating func isFull(now: Double) -> Bool {
        refill(now: now)
        return tokens >= Double(limit.burst)
    }

    private mutating func refill(now: Double) {
        let elapsed = max(0, now - updatedAt)
        tokens = min(Double(limit.burst), tokens + elapsed * limit.perSecond)
        updatedAt = now
    }
}
